// What the request log may hold. Query strings carry search terms (names, mobiles), waiting-room
// keys, FHIR search parameters and the like, so a logged URL keeps its path and shows `?[redacted]`
// in place of the query, except on the few routes whose parameters are known to be harmless
// (aggregate reports, the facility and org-unit registries). Headers are never logged, so neither
// is a bearer token.
//
// At `info` the log is quiet: the start-up summary, warnings and errors. Each request is one line
// (method, path, status, time) at `debug` only, where Fastify writes two lines per request at `info`.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

/** Paths whose query strings name only org units, periods, data sets and paging. */
const HARMLESS_QUERY = [/^\/api\/health$/, /^\/api\/geo\//, /^\/api\/facilities(\/points|\/summary)?$/, /^\/api\/hmis\//, /^\/api\/dataValueSets$/, /^\/api\/docs(\/|$)/];

/** The URL as it may be logged: the path, and the query string only where it is known to be harmless. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const path = url.slice(0, q);
  return HARMLESS_QUERY.some((re) => re.test(path)) ? url : `${path}?[redacted]`;
}

/** Fastify's request serializer with the URL redacted (and, like Fastify's own, no headers). */
export function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: loggableUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket ? req.socket.remotePort : undefined,
  };
}

/** Logger options for Fastify with the redacting request serializer, whatever else was asked for. */
export function redactedLogger(logger: boolean | object | undefined): boolean | object {
  if (!logger) return false;
  const opts = logger === true ? {} : logger as { serializers?: Record<string, unknown> };
  return {
    ...opts,
    serializers: { ...opts.serializers, req: serializeRequest },
    // In case a request's headers are ever logged whole.
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
  };
}

/** Fastify's request log lines, one per request and only at `debug`; a request that failed stays an error. */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else reply.log.debug({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request');
  }

  override routeNotFound(): void {}

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) reply.log.error({ req: request, res: reply, err: error }, error?.message);
    else reply.log.debug({ res: reply, err: error }, error?.message);
  }
}
