import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { Actor } from './actor.js';
import { AppError, detailsOf, localise, pickLang, serviceUnavailable, unauthenticated, type FieldProblem } from './errors.js';
import { isConnectionError } from '../db/connection-errors.js';
import { isRaceError, raceConflict } from './races.js';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    bearer: string | null;
  }
  interface FastifyInstance {
    /** Where text messages go (see platform/sms.ts). */
    sms: import('./sms.js').SmsSender;
    /** Timed and queued work of every module (platform/jobs). */
    jobs: import('./jobs/index.js').Jobs;
    /** Every SMS and e-mail goes through the outbox (platform/outbox). */
    outbox: import('./outbox/index.js').Outbox;
  }
  interface FastifyContextConfig {
    /** Route answers without a bearer token. */
    public?: boolean;
  }
}

/** The signed-in actor; 401 when the request has none. */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw unauthenticated();
  return request.actor;
}

/** Error body schema, shared by every route's responses. */
export const ErrorBody = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Any()) }),
});

export const Paging = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
};

export function page<T extends TSchema>(item: T) {
  return Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Optional(Type.Integer()), offset: Type.Optional(Type.Integer()) });
}

/**
 * Bodies are validated strictly (no type coercion, unknown fields refused); query strings and path
 * parameters are coerced from text, since everything in a URL is text.
 */
const strict = addFormats(new Ajv({ allErrors: true, coerceTypes: false, removeAdditional: false, useDefaults: true, strict: false }));
const lenient = addFormats(new Ajv({ allErrors: true, coerceTypes: 'array', removeAdditional: false, useDefaults: true, strict: false }));
/**
 * Compiled validators by schema text, shared by every app of the process, and compiled on a route's
 * first request rather than at start: an app has ~500 schemas, a test or a tool's app uses a few, and
 * compiling them all was most of the second an app took to build. `compileEverySchema` (a test) compiles
 * them all, so a schema Ajv refuses still fails a test rather than a first request.
 */
const compiled = { strict: new Map<string, ValidateFn>(), lenient: new Map<string, ValidateFn>() };
type ValidateFn = ((data: unknown) => boolean) & { errors?: unknown };

function compileValidator(which: 'strict' | 'lenient', schema: unknown): ValidateFn {
  const key = JSON.stringify(schema);
  let validate = compiled[which].get(key);
  if (!validate) compiled[which].set(key, validate = (which === 'strict' ? strict : lenient).compile(schema as object) as ValidateFn);
  return validate;
}

/** A validator that compiles on its first use; Fastify reads `.errors` off the function it was given. */
function lazyValidator(which: 'strict' | 'lenient', schema: unknown): ValidateFn {
  let real: ValidateFn | undefined;
  const v: ValidateFn = (data) => {
    real ??= compileValidator(which, schema);
    const ok = real(data);
    v.errors = real.errors;
    return ok;
  };
  return v;
}

type SerializerFactory = (externalSchemas: unknown, options: unknown) => (route: { schema: unknown }) => (data: unknown) => string;
/**
 * Fastify's own response serialisers (fast-json-stringify), each built on its route's first answer
 * with that status rather than for every route at start (see the validators above). Given to Fastify
 * as `schemaController.compilersFactory.buildSerializer`.
 */
export function lazySerializers(): SerializerFactory {
  const real = (SerializerSelector as unknown as () => SerializerFactory)();
  return (externalSchemas, options) => {
    const build = real(externalSchemas, options);
    return (route) => {
      let fn: ((data: unknown) => string) | undefined;
      return (data) => (fn ??= build(route))(data);
    };
  };
}

/** Compiles every route's validators and serialisers now (a test: no schema waits for a first request to fail). */
export function compileEverySchema(routes: { method: string | string[]; url: string; schema?: Record<string, unknown> }[]): string[] {
  const problems: string[] = [];
  const build = (SerializerSelector as unknown as () => SerializerFactory)()(undefined, {});
  for (const r of routes) {
    const s = r.schema ?? {};
    for (const part of ['body', 'querystring', 'params', 'headers'] as const) {
      if (s[part] === undefined) continue;
      try { compileValidator(part === 'body' ? 'strict' : 'lenient', s[part]); } catch (e) { problems.push(`${r.method} ${r.url} ${part}: ${(e as Error).message}`); }
    }
    for (const [status, schema] of Object.entries((s.response ?? {}) as Record<string, unknown>)) {
      try { build({ schema } as { schema: unknown }); } catch (e) { problems.push(`${r.method} ${r.url} response ${status}: ${(e as Error).message}`); }
    }
  }
  return problems;
}

/** Every route of an app as registered (its schemas), for `compileEverySchema`. */
const routeLists = new WeakMap<FastifyInstance, { method: string | string[]; url: string; schema?: Record<string, unknown> }[]>();
export const routesOf = (app: FastifyInstance) => routeLists.get(app) ?? [];

export function installValidation(app: FastifyInstance) {
  const routes: { method: string | string[]; url: string; schema?: Record<string, unknown> }[] = [];
  routeLists.set(app, routes);
  app.addHook('onRoute', (r) => { routes.push({ method: r.method, url: r.url, schema: r.schema as Record<string, unknown> | undefined }); });
  app.setValidatorCompiler(({ schema, httpPart }) => lazyValidator(httpPart === 'body' ? 'strict' : 'lenient', schema) as any);
  app.setSchemaErrorFormatter((errors, dataVar) => {
    const err = new Error('validation') as Error & { fields: FieldProblem[]; dataVar: string };
    err.fields = (errors as ErrorObject[]).map((e) => describeAjv(e, dataVar));
    err.dataVar = dataVar;
    return err;
  });
}

function describeAjv(e: ErrorObject, dataVar: string): FieldProblem {
  const base = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const p = e.params as Record<string, any>;
  const where = dataVar === 'body' ? '' : `${dataVar}.`;
  switch (e.keyword) {
    case 'additionalProperties':
      return { field: `${where}${base ? base + '.' : ''}${p.additionalProperty}`, message: 'is not a known field; remove it', messageHi: 'अज्ञात फ़ील्ड है; इसे हटाएँ' };
    case 'required':
      return { field: `${where}${base ? base + '.' : ''}${p.missingProperty}`, message: 'is required', messageHi: 'आवश्यक है' };
    case 'type':
      return { field: `${where}${base || dataVar}`, message: `must be ${p.type}`, messageHi: `${hindiType(p.type)} होना चाहिए` };
    case 'minimum': case 'maximum': case 'exclusiveMinimum': case 'exclusiveMaximum':
      return { field: `${where}${base}`, message: `must be ${p.comparison} ${p.limit}`, messageHi: `${p.comparison} ${p.limit} होना चाहिए` };
    case 'enum':
      return { field: `${where}${base}`, message: `must be one of ${(p.allowedValues as unknown[]).join(', ')}`, messageHi: `इनमें से एक होना चाहिए: ${(p.allowedValues as unknown[]).join(', ')}` };
    case 'minLength':
      return { field: `${where}${base}`, message: p.limit === 1 ? 'must not be empty' : `must have at least ${p.limit} characters`, messageHi: p.limit === 1 ? 'खाली नहीं हो सकता' : `कम से कम ${p.limit} अक्षर होने चाहिए` };
    case 'maxLength':
      return { field: `${where}${base}`, message: `must have at most ${p.limit} characters`, messageHi: `अधिकतम ${p.limit} अक्षर हो सकते हैं` };
    case 'pattern': case 'format':
      return { field: `${where}${base}`, message: `is not in the expected form (${e.message})`, messageHi: 'अपेक्षित रूप में नहीं है' };
    default:
      return { field: `${where}${base || dataVar}`, message: e.message ?? 'is not valid', messageHi: 'मान्य नहीं है' };
  }
}

function hindiType(t: string) {
  return ({ string: 'पाठ', number: 'संख्या', integer: 'पूर्णांक', boolean: 'हाँ/नहीं', object: 'वस्तु', array: 'सूची' } as Record<string, string>)[t] ?? t;
}

/** One error shape for everything; bad input never becomes a 500. */
export function installErrorHandler(app: FastifyInstance) {
  app.setErrorHandler((error: any, request: FastifyRequest, reply: FastifyReply) => {
    const lang = pickLang(request.headers['accept-language']);
    if (isConnectionError(error)) {
      // The database went away (restart, failover, ended connection): 503, and the pool reconnects by itself.
      request.log.warn({ code: error.code, reason: String(error.message ?? error) }, 'database unavailable; answered 503');
      error = serviceUnavailable();
    }
    if (isRaceError(error)) {
      // A parallel request won a rule PostgreSQL enforces, and no service said more: 409, never 500.
      request.log.info({ code: error.code, constraint: error.constraint }, 'lost a race; answered 409');
      error = raceConflict();
    }
    if (error instanceof AppError) {
      return reply.status(error.status).send({ error: { code: error.code, message: localise(error.msg, lang), details: detailsOf(error) } });
    }
    if (error.validation && error.fields) {
      const fields = error.fields as FieldProblem[];
      const message = fields.map((f) => `${f.field}: ${lang === 'hi' ? f.messageHi ?? f.message : f.message}`).join('; ');
      return reply.status(400).send({ error: { code: 'bad_request', message, details: { fields, field: fields[0]?.field } } });
    }
    const status: number | undefined = error.statusCode;
    if (status === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // The limit in force is the route's own or the server's (1 MB for JSON): name it.
      const limit = `${Math.round(((request.routeOptions.bodyLimit ?? 1024 * 1024) / 1024 / 1024) * 10) / 10} MB`;
      return reply.status(413).send({ error: { code: 'payload_too_large', message: lang === 'hi' ? `अनुरोध ${limit} की सीमा से बड़ा है` : `The request body is larger than the ${limit} allowed here` } });
    }
    if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      return reply.status(415).send({ error: { code: 'unsupported_media_type', message: `Content-Type ${request.headers['content-type'] ?? '(none)'} is not accepted here; send application/json` } });
    }
    if (status && status >= 400 && status < 500) {
      const message = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
        ? `The body is not valid JSON: ${error.message}`
        : error.message;
      return reply.status(status).send({ error: { code: status === 429 ? 'rate_limited' : status === 404 ? 'not_found' : 'bad_request', message } });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'internal', message: lang === 'hi' ? 'सर्वर में त्रुटि' : 'Internal error' } });
  });
}
