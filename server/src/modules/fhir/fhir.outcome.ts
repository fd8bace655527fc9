/**
 * Errors under /fhir are OperationOutcome resources with the HTTP status FHIR expects. The rest of the
 * API keeps its own `{error:{code,message}}` shape: this handler is installed only inside the FHIR plugin.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, localise, pickLang, serviceUnavailable, type ErrorCode, type FieldProblem, type Message } from '../../platform/errors.js';
import { isConnectionError } from '../../db/connection-errors.js';
import { isRaceError } from '../../platform/races.js';

/** The IssueType codes (http://hl7.org/fhir/issue-type) this server uses. */
export type IssueCode =
  | 'invalid' | 'structure' | 'required' | 'value' | 'login' | 'forbidden' | 'not-found' | 'not-supported'
  | 'duplicate' | 'conflict' | 'processing' | 'too-costly' | 'throttled' | 'exception' | 'informational' | 'transient'
  | 'invariant' | 'code-invalid';

/** One OperationOutcome issue. */
export interface Issue {
  severity: 'fatal' | 'error' | 'warning' | 'information';
  code: IssueCode;
  diagnostics: string;
  expression?: string[];
}

/** An error that becomes an OperationOutcome: status, issue code, message (English and Hindi) and the element at fault. */
export class FhirError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    readonly msg: Message,
    readonly expression?: string[],
    readonly more: Issue[] = [],
  ) {
    super(msg.en);
  }
}

/** 400: the request is not something the server can read (bad JSON, wrong resourceType, a bad value). */
export const invalid = (en: string, expression?: string | string[], hi?: string, code: IssueCode = 'invalid') =>
  new FhirError(400, code, { en, hi }, expression === undefined ? undefined : [expression].flat());
/** 404: no such resource (or resource type). */
export const fhirNotFound = (en: string, hi?: string) => new FhirError(404, 'not-found', { en, hi });
/** 405: the interaction is not offered for this resource type. */
export const notAllowed = (en: string, hi?: string) => new FhirError(405, 'not-supported', { en, hi });
/** 422: well-formed, but breaks a rule of this server (for example a subject that does not exist here). */
export const unprocessable = (en: string, expression?: string | string[], hi?: string) =>
  new FhirError(422, 'processing', { en, hi }, expression === undefined ? undefined : [expression].flat());

/**
 * The same error, said of one part of a larger request: `Bundle.entry[3] (Patient): …`, with element
 * paths moved under `path` (Patient.gender → Bundle.entry[3].resource.gender).
 */
export function inContext(e: unknown, label: string, path: string): unknown {
  // An expression already rooted at the bundle's entry (`Bundle.entry[2].request.url`) is kept as it is.
  const under = (x: string) => (x.startsWith('Bundle.entry[') ? x : `${path}.${x.replace(/^[A-Z][A-Za-z]+\./, '')}`);
  if (e instanceof FhirError) {
    return new FhirError(e.status, e.code, { en: `${label}: ${e.msg.en}`, hi: e.msg.hi && `${label}: ${e.msg.hi}` }, e.expression?.map(under) ?? [path], e.more);
  }
  if (e instanceof AppError) {
    const fields = (e.details?.fields ?? []) as FieldProblem[];
    const expression = fields.length ? fields.map((f) => under(f.field)) : typeof e.details?.field === 'string' ? [under(e.details.field)] : [path];
    const msg = fields.length
      ? { en: fields.map((f) => `${under(f.field)}: ${f.message}`).join('; '), hi: fields.map((f) => `${under(f.field)}: ${f.messageHi ?? f.message}`).join('; ') }
      : e.msg;
    return new FhirError(e.status, APP_CODES[e.code], { en: `${label}: ${msg.en}`, hi: msg.hi && `${label}: ${msg.hi}` }, expression);
  }
  return e;
}

/** An OperationOutcome resource from issues; control characters from the request (a NUL in a path) shown as U+FFFD, as FHIR strings cannot carry them. */
export function operationOutcome(issues: Issue[]) {
  const clean = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD');
  return { resourceType: 'OperationOutcome', issue: issues.map((i) => ({ ...i, diagnostics: clean(i.diagnostics), ...(i.expression ? { expression: i.expression.map(clean) } : {}) })) };
}

const APP_CODES: Record<ErrorCode, IssueCode> = {
  bad_request: 'invalid',
  unauthenticated: 'login',
  forbidden: 'forbidden',
  not_found: 'not-found',
  conflict: 'duplicate',
  payload_too_large: 'too-costly',
  unsupported_media_type: 'not-supported',
  rate_limited: 'throttled',
  internal: 'exception',
  service_unavailable: 'transient',
};

/**
 * The status and OperationOutcome for any error thrown under /fhir: FhirError, the API's AppError
 * (permission and scope refusals, registry rules), Fastify's body and validation errors, and database
 * errors that come from bad input. Anything else is a logged 500 without details.
 */
export function outcomeOf(error: any, request: FastifyRequest): { status: number; body: ReturnType<typeof operationOutcome> } {
  const lang = pickLang(request.headers['accept-language']);
  if (isConnectionError(error)) {
    request.log.warn({ code: error.code, reason: String(error.message ?? error) }, 'database unavailable; answered 503');
    error = serviceUnavailable();
  }
  const issue = (code: IssueCode, diagnostics: string, expression?: string[]): Issue =>
    ({ severity: 'error', code, diagnostics, ...(expression?.length ? { expression } : {}) });
  if (error instanceof FhirError) {
    return { status: error.status, body: operationOutcome([issue(error.code, localise(error.msg, lang), error.expression), ...error.more]) };
  }
  if (error instanceof AppError) {
    const fields = (error.details?.fields ?? []) as FieldProblem[];
    const issues = fields.length
      ? fields.map((f) => issue(APP_CODES[error.code], `${f.field}: ${lang === 'hi' ? f.messageHi ?? f.message : f.message}`, [f.field]))
      : [issue(APP_CODES[error.code], localise(error.msg, lang), typeof error.details?.field === 'string' ? [error.details.field] : undefined)];
    return { status: error.status, body: operationOutcome(issues) };
  }
  if (error.validation) {
    const fields = (error.fields ?? []) as FieldProblem[];
    const text = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : String(error.message);
    return { status: 400, body: operationOutcome([issue('invalid', text)]) };
  }
  const code: string | undefined = error.code;
  if (code === 'FST_ERR_CTP_BODY_TOO_LARGE' || error.statusCode === 413) {
    return { status: 413, body: operationOutcome([issue('too-costly', 'The request body is too large')]) };
  }
  if (code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || error.statusCode === 415) {
    const type = request.headers['content-type'] ?? '(none)';
    return { status: 415, body: operationOutcome([issue('not-supported', `Content-Type ${type} is not accepted; send application/fhir+json (JSON only)`)]) };
  }
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError) {
    return { status: 400, body: operationOutcome([issue('structure', `The body is not valid JSON: ${error.message}`)]) };
  }
  // PostgreSQL refusing text from the request (a \u0000 in a string), or a lost race (a unique key taken, a
  // deadlock or serialization failure), as the API's own error handler answers it.
  if (code === '22P05' || code === '22021') return { status: 400, body: operationOutcome([issue('invalid', `The resource has text the database cannot keep: ${error.message}`)]) };
  if (isRaceError(error)) return { status: 409, body: operationOutcome([issue('duplicate', 'Another request stored the same record at the same moment; read it and try again')]) };
  const status: number | undefined = error.statusCode;
  if (status && status >= 400 && status < 500) {
    return { status, body: operationOutcome([issue(status === 404 ? 'not-found' : 'processing', String(error.message))]) };
  }
  request.log.error({ err: error }, 'unhandled FHIR error');
  return { status: 500, body: operationOutcome([issue('exception', lang === 'hi' ? 'सर्वर में त्रुटि' : 'Internal error')]) };
}

/**
 * The methods the FHIR routes take at a path of this shape (the base, /metadata, /<type>,
 * /<type>/<id>, /<type>/<id>/_history[/<vid>]), so another method there is a 405 naming them; empty for paths no route has.
 */
function methodsAt(url: string): string[] {
  const parts = url.replace(/^\/fhir/, '').split('/').filter(Boolean);
  if (parts.length === 0) return ['POST'];
  if (parts.length === 1) return parts[0] === 'metadata' ? ['GET', 'HEAD'] : ['GET', 'HEAD', 'POST'];
  if (parts.length === 2) return ['GET', 'HEAD', 'PUT', 'DELETE'];
  if ((parts.length === 3 || parts.length === 4) && parts[2] === '_history') return ['GET', 'HEAD'];
  return [];
}

/** Error and not-found handlers of the FHIR plugin: every error is an OperationOutcome; a known address with another method is a 405. */
export function installFhirErrors(app: FastifyInstance) {
  app.setErrorHandler((error: any, request: FastifyRequest, reply: FastifyReply) => {
    const { status, body } = outcomeOf(error, request);
    if (status === 401) reply.header('www-authenticate', 'Bearer realm="swasthya"');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const url = request.url.split('?')[0];
    const allowed = methodsAt(url);
    if (allowed.length) {
      return reply.status(405).header('allow', allowed.join(', ')).send(operationOutcome([{
        severity: 'error', code: 'not-supported',
        diagnostics: `${request.method} is not supported on ${url}; this address takes ${allowed.join(', ')} (see /fhir/metadata)`,
      }]));
    }
    return reply.status(404).send(operationOutcome([{
      severity: 'error', code: 'not-found',
      diagnostics: `No FHIR interaction ${request.method} ${url}; see ${url.startsWith('/fhir') ? '/fhir' : ''}/metadata for what this server supports`,
    }]));
  });
}
