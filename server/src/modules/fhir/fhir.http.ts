/**
 * HTTP plumbing of the FHIR endpoint: JSON bodies (application/fhir+json or application/json, a
 * leading byte-order mark tolerated), bearer-token sign-in, `application/fhir+json` on every answer,
 * and the headers FHIR puts on a written resource (Location, ETag, Last-Modified, Prefer).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../../db/connect.js';
import { authenticate } from '../../platform/auth/auth.service.js';
import { FhirError, invalid, operationOutcome, type Issue } from './fhir.outcome.js';
import { etag, FHIR_JSON, type FhirResource } from './fhir.types.js';

/** Largest body accepted: ABDM documents carry their PDFs inline as base64. */
export const FHIR_BODY_LIMIT = 20 * 1024 * 1024;
const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json+fhir'];

/** Parses a request body as FHIR JSON: strips a UTF-8 BOM, refuses empty bodies and `__proto__` keys. */
export function parseFhirJson(text: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (!body.trim()) throw invalid('The body is empty; send a FHIR resource as JSON', undefined, 'अनुरोध खाली है; FHIR रिसोर्स JSON में भेजें', 'structure');
  try {
    return JSON.parse(body, (key, value) => (key === '__proto__' ? undefined : value));
  } catch (e) {
    throw invalid(`The body is not valid JSON: ${(e as Error).message}`, undefined, `अनुरोध सही JSON नहीं है: ${(e as Error).message}`, 'structure');
  }
}

/** True unless the client asks only for something other than JSON (XML, Turtle) by Accept or `_format`. */
export function acceptsJson(accept: string | undefined, format: unknown): boolean {
  if (typeof format === 'string' && format && !/json/i.test(format)) return false;
  if (!accept) return true;
  return /json|\*\/\*|application\/\*/i.test(accept);
}

/**
 * Body parsers, sign-in and response type for the FHIR plugin. Tokens are the API's own session tokens;
 * routes marked `config.public` (metadata) answer without one.
 */
export function installFhirHttp(app: FastifyInstance, db: Db) {
  app.removeContentTypeParser(['application/json']);
  app.addContentTypeParser(JSON_TYPES, { parseAs: 'string', bodyLimit: FHIR_BODY_LIMIT }, (_req, body, done) => {
    try {
      done(null, parseFhirJson(String(body)));
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.addHook('onRequest', async (request) => {
    if (!acceptsJson(request.headers.accept, (request.query as Record<string, unknown> | undefined)?._format)) {
      throw new FhirError(406, 'not-supported', { en: `This server answers in JSON only (${FHIR_JSON}); ask for it in Accept or _format`, hi: 'यह सर्वर केवल JSON में उत्तर देता है' });
    }
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (match) {
      request.bearer = match[1];
      request.actor = await authenticate(db.kysely, match[1], request.ip);
    }
    if (!request.actor && !request.routeOptions.config?.public && !request.is404) {
      throw header
        ? new FhirError(401, 'login', { en: 'Your session has ended or the token is not valid; sign in again', hi: 'आपका सत्र समाप्त हो गया है; फिर से लॉग इन करें' })
        : new FhirError(401, 'login', { en: 'Sign in first: send Authorization: Bearer <token> from POST /api/auth/login', hi: 'पहले लॉग इन करें' });
    }
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (payload !== undefined && payload !== null && payload !== '') reply.header('content-type', `${FHIR_JSON}; charset=utf-8`);
    return payload;
  });
}

/** The FHIR base URL as the client reached it, for fullUrl and paging links. */
export function baseUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}/fhir`;
}

/** ETag (`W/"<meta.versionId>"`, what If-Match takes) and Last-Modified (`meta.lastUpdated`) of a resource. */
function versionHeaders(reply: FastifyReply, resource: FhirResource) {
  if (resource.meta?.versionId) reply.header('etag', etag(resource.meta.versionId));
  if (resource.meta?.lastUpdated) reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
}

/** Answers a read with the resource and its ETag and Last-Modified headers. */
export function sendRead(reply: FastifyReply, resource: FhirResource) {
  versionHeaders(reply, resource);
  return resource;
}

/**
 * Answers a create (201) or update (200) the way FHIR asks: Location (create) or Content-Location
 * (update) at the version written (`…/<type>/<id>/_history/<vid>`, which vread answers), ETag and
 * Last-Modified headers, and the body the client prefers (`Prefer: return=minimal | representation | OperationOutcome`).
 */
export function sendWritten(request: FastifyRequest, reply: FastifyReply, resource: FhirResource, status: 200 | 201, notes: Issue[] = []) {
  const version = resource.meta?.versionId ?? '1';
  const location = `${baseUrl(request)}/${resource.resourceType}/${resource.id}/_history/${version}`;
  reply.status(status).header('etag', etag(version));
  if (status === 201) reply.header('location', location); else reply.header('content-location', location);
  if (resource.meta?.lastUpdated) reply.header('last-modified', new Date(resource.meta.lastUpdated).toUTCString());
  const prefer = String(request.headers.prefer ?? '');
  if (/return=minimal/i.test(prefer)) return reply.send();
  if (/return=OperationOutcome/i.test(prefer)) {
    const done: Issue = { severity: 'information', code: 'informational', diagnostics: `${status === 201 ? 'Created' : 'Updated'} ${resource.resourceType}/${resource.id} version ${version}` };
    return reply.send(operationOutcome([done, ...notes]));
  }
  return reply.send(resource);
}

/** The FHIR resource in a request body, checked to be of `type` (400 naming `resourceType` otherwise). */
export function bodyResource(body: unknown, type: string): FhirResource {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw invalid(`Send a ${type} resource as a JSON object`, undefined, `${type} रिसोर्स JSON ऑब्जेक्ट के रूप में भेजें`, 'structure');
  }
  const rt = (body as FhirResource).resourceType;
  if (rt !== type) {
    throw invalid(`resourceType is ${rt === undefined ? 'missing' : JSON.stringify(rt)}; this endpoint takes ${type}`, 'resourceType', `resourceType ${type} होना चाहिए`);
  }
  return body as FhirResource;
}
