import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import type { Config } from './config.js';
import type { Db } from './db/connect.js';
import { auditRoutes } from './platform/audit.routes.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { authenticate } from './platform/auth/auth.service.js';
import { installErrorHandler, installValidation, lazySerializers } from './platform/http.js';
import { redactedLogger, RequestLog } from './platform/logging.js';
import { installInputGuard } from './platform/input.js';
import { unauthenticated } from './platform/errors.js';
import { installRoutePermissions } from './platform/route-permissions.js';
import { geoRoutes } from './modules/geo/geo.routes.js';
import { facilityRoutes } from './modules/facilities/facilities.routes.js';
import { hmisMetadataRoutes } from './modules/hmis/hmis.metadata.routes.js';
import { hmisDataValueRoutes } from './modules/hmis/hmis.datavalues.routes.js';
import { hmisReturnRoutes } from './modules/hmis/hmis.returns.routes.js';
import { hmisAnalyticsRoutes } from './modules/hmis/hmis.analytics.routes.js';
import { hmisFavouriteRoutes } from './modules/hmis/hmis.favourites.routes.js';
import { hmisSheetRoutes } from './modules/hmis/hmis.sheets.routes.js';
import { hmisQualityRoutes } from './modules/hmis/hmis.quality.routes.js';
import { dhis2CompleteRoutes } from './modules/hmis/dhis2/dhis2.complete.routes.js';
import { dhis2MetadataRoutes } from './modules/hmis/dhis2/dhis2.metadata.routes.js';
import { smsSenderFor, type SmsSender } from './platform/sms.js';
import { createJobs } from './platform/jobs/index.js';
import { emailSenderFor, Outbox, type EmailSender } from './platform/outbox/index.js';
import { outboxRoutes } from './platform/outbox/outbox.routes.js';
import { surveillanceRoutes } from './modules/surveillance/surveillance.routes.js';
import { patientRoutes } from './modules/patients/patients.routes.js';
import { fhirRoutes } from './modules/fhir/fhir.routes.js';
import { publicRegistrationRoutes } from './modules/patients/patients.public.routes.js';
import { presenceRoutes } from './modules/patients/patients.presence.routes.js';
import { maternalRoutes } from './modules/patients/patients.maternal.routes.js';
import { telemedicineRoutes } from './modules/telemedicine/telemedicine.routes.js';
import { teleStatsRoutes } from './modules/telemedicine/telemedicine.stats.routes.js';
import { teleClinicalRoutes } from './modules/telemedicine/telemedicine.clinical.routes.js';
import { ambulanceRoutes } from './modules/ambulances/ambulances.routes.js';
import { dispatchRoutes } from './modules/dispatch/dispatch.routes.js';
import { responseTimeRoutes } from './modules/dispatch/stats/stats.routes.js';
import { grievanceRoutes } from './modules/grievances/grievances.routes.js';
import { publicGrievanceRoutes } from './modules/grievances/grievances.public.routes.js';
import { helplineRoutes } from './modules/helpline/helpline.routes.js';
import { ashaRoutes } from './modules/asha/asha.routes.js';
import { kitchenRoutes } from './modules/kitchens/kitchens.routes.js';
import { schemeRoutes } from './modules/schemes/schemes.routes.js';
import { registerRoutes } from './modules/registers/registers.routes.js';
import { admissionRoutes } from './modules/patients/patients.admissions.routes.js';

export interface AppDeps {
  db: Db;
  config: Config;
  /** Folder of the built web UI; served at `/` when it holds index.html. */
  webDist?: string | null;
  /** Where text messages go; default from config (the log sender in development). */
  sms?: SmsSender;
  /** Where e-mail goes; default from config (the log sender in development). */
  email?: EmailSender;
  logger?: boolean | object;
  /** Tests only: sees every answer as sent (the harness checks each FHIR answer against R4). */
  inspectAnswer?: (method: string, url: string, status: number, payload: unknown) => void;
}

/** How long the health check waits for the database. */
const HEALTH_TIMEOUT_MS = 2_000;

/** Null when the database answers `select 1` within HEALTH_TIMEOUT_MS, else why not. */
async function databaseProblem(db: Db): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => { timer = setTimeout(() => resolve(`no answer within ${HEALTH_TIMEOUT_MS} ms`), HEALTH_TIMEOUT_MS); });
  const probe = db.kysely.selectNoFrom((eb) => eb.lit(1).as('one')).execute().then(() => null, (e: Error) => e.message || String(e));
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Fastify's trustProxy from the config: a number of hops becomes "the first n hops" (its types take no number). */
function trustedProxies(setting: Config['trustProxy'] | undefined): boolean | string | ((addr: string, hop: number) => boolean) {
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return setting ?? false;
}

/** The configured e-mail sender; the development one writes each message to the log. */
function configuredEmail(config: Config, app: FastifyInstance): EmailSender {
  return emailSenderFor(config, (line) => app.log.warn(line));
}

/** The whole HTTP application: every module registered. Tests build it too. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // Request URLs are logged without their query strings (search terms, keys); see platform/logging.ts.
    logger: redactedLogger(deps.logger),
    // One line per request, at debug only (platform/logging.ts).
    logController: new RequestLog(),
    bodyLimit: 1024 * 1024,
    // Behind a load balancer, SWASTHYA_TRUST_PROXY makes request.ip the client's (sign-in limits key on it).
    trustProxy: trustedProxies(deps.config.trustProxy),
    // DHIS2 clients call versioned paths (/api/40/metadata, /api/33/dataValueSets): answered as /api/… (docs/hmis.md).
    rewriteUrl: (req) => (req.url ?? '/').replace(/^\/api\/\d{2}\//, '/api/'),
    ajv: { customOptions: { removeAdditional: false } },
    // Response serialisers are built on a route's first answer, not all at start (platform/http.ts).
    schemaController: { compilersFactory: { buildSerializer: lazySerializers() as never } },
  });
  // The API speaks JSON; other bodies get 415 with a message rather than a confusing 400.
  app.removeContentTypeParser('text/plain');
  installValidation(app);
  installErrorHandler(app);
  // Text PostgreSQL cannot keep is refused (400 naming the field); Aadhaar numbers in free text are masked.
  installInputGuard(app);
  if (deps.inspectAnswer) {
    const inspect = deps.inspectAnswer;
    app.addHook('onSend', async (request, reply, payload) => { inspect(request.method, request.url, reply.statusCode, payload); return payload; });
  }

  const sms = deps.sms ?? smsSenderFor(deps.config, (line) => app.log.warn(line));
  if (!deps.sms && sms.kind === 'log') {
    app.log.warn('SMS: the development log sender is in use: no text message is sent, each one (one-time codes included) is written to this log. Set SWASTHYA_SMS_URL to send through a gateway.');
  }
  app.decorate('sms', sms);
  // One scheduler (pg-boss) and one outbox for every message; started when the app is ready, stopped when it closes.
  const jobs = createJobs(deps.db, { pollSeconds: (deps.config.jobPollMs ?? 2000) / 1000, retryDelaySeconds: deps.config.messageRetrySeconds ?? 30, log: app.log });
  const email = deps.email ?? configuredEmail(deps.config, app);
  const outbox = new Outbox(deps.db, { sms, email }, jobs, { retrySeconds: deps.config.messageRetrySeconds ?? 30, attempts: deps.config.messageAttempts ?? 8, log: app.log });
  app.decorate('jobs', jobs);
  app.decorate('outbox', outbox);
  app.addHook('onReady', async () => { await jobs.start(); });
  app.addHook('onClose', async () => { await jobs.stop(); });
  app.decorateRequest('actor', null);
  app.decorateRequest('bearer', null);
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (match) {
      request.bearer = match[1];
      request.actor = await authenticate(deps.db.kysely, match[1], request.ip);
    }
    if (!request.actor && !request.routeOptions.config?.public) {
      throw header ? unauthenticated('Your session has ended or the token is not valid; sign in again', 'आपका सत्र समाप्त हो गया है; फिर से लॉग इन करें') : unauthenticated();
    }
  });
  // Permission before any body is read: each route's declared need (platform/route-permissions.ts)
  // is checked in a route-level onRequest hook, after the API's and FHIR's sign-in hooks.
  installRoutePermissions(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Swasthya API', version: '0.1.0', description: 'State health information management system' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  app.get('/api/health', { config: { public: true }, schema: { tags: ['platform'], summary: 'Liveness and whether the database answers (200, or 503 while it does not)' } }, async (request, reply) => {
    const problem = await databaseProblem(deps.db);
    if (!problem) return { status: 'ok', database: deps.db.engine };
    request.log.warn({ reason: problem }, 'health: database unavailable');
    // The reason (addresses, error text) goes to the log only; the caller learns that the database does not answer.
    return reply.status(503).send({ status: 'unavailable', database: deps.db.engine, message: 'The database does not answer; API requests get 503 until it is back' });
  });

  await app.register(authRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(outboxRoutes(deps));
  await app.register(geoRoutes(deps));
  await app.register(facilityRoutes(deps));
  await app.register(hmisMetadataRoutes(deps));
  await app.register(hmisDataValueRoutes(deps));
  await app.register(hmisReturnRoutes(deps));
  await app.register(hmisAnalyticsRoutes(deps));
  await app.register(hmisFavouriteRoutes(deps));
  await app.register(hmisSheetRoutes(deps));
  await app.register(hmisQualityRoutes(deps));
  await app.register(dhis2CompleteRoutes(deps));
  await app.register(dhis2MetadataRoutes(deps));
  await app.register(surveillanceRoutes(deps));
  await app.register(patientRoutes({ ...deps, sms }));
  await app.register(fhirRoutes(deps));
  await app.register(publicRegistrationRoutes({ ...deps, sms }));
  await app.register(presenceRoutes({ ...deps, sms }));
  await app.register(maternalRoutes(deps));
  await app.register(telemedicineRoutes({ ...deps, sms }));
  await app.register(teleStatsRoutes(deps));
  await app.register(teleClinicalRoutes(deps));
  await app.register(ambulanceRoutes(deps));
  await app.register(dispatchRoutes(deps));
  await app.register(responseTimeRoutes(deps));
  await app.register(grievanceRoutes({ ...deps, sms }));
  await app.register(publicGrievanceRoutes({ ...deps, sms }));
  await app.register(helplineRoutes(deps));
  await app.register(ashaRoutes(deps));
  await app.register(kitchenRoutes(deps));
  await app.register(schemeRoutes(deps));
  await app.register(registerRoutes(deps));
  await app.register(admissionRoutes(deps));

  const dist = deps.webDist;
  // Decided once: the static plugin (and reply.sendFile) exists only when the UI was built at start.
  const servesUi = !!dist && fs.existsSync(path.join(dist, 'index.html'));
  if (servesUi) {
    await app.register(fastifyStatic, {
      root: dist, prefix: '/', wildcard: true, index: 'index.html',
      // The build writes .br and .gz copies; browsers that accept them get those.
      preCompressed: true,
      // Built assets have their content's hash in their names: kept for a year. The page and the
      // service worker are checked every time, so a new version shows at once.
      cacheControl: false,
      setHeaders(res, file) {
        res.setHeader('vary', 'accept-encoding');
        res.setHeader('cache-control', /[\\/]assets[\\/]/.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  // Unknown API paths and missing assets are 404s; any other page path is the single-page app.
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    const isPage = request.method === 'GET' && !url.startsWith('/api/') && !url.startsWith('/fhir/') && !/\.[a-z0-9]+$/i.test(url);
    if (isPage && servesUi) return reply.type('text/html').sendFile('index.html');
    return reply.status(404).send({ error: { code: 'not_found', message: `No route ${request.method} ${url}` } });
  });
  return app;
}
