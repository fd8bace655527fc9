// Which errors mean "the database cannot be reached right now" (a restart, a failover, an ended
// connection, a network fault, a pool that could not open a connection in time) rather than a bug
// or bad input. The API answers those with 503: the request may be tried again once the database is back.

/** SQLSTATEs of lost or refused connections: class 08 and the shutdown codes of class 57. */
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED']);
/** Messages of node-postgres and pg-pool that carry no code. */
const MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Connection terminated due to connection timeout|not queryable|Client was closed|Cannot use a pool after calling end|the database system is (shutting down|starting up|in recovery mode)/i;

/** True when `e` (or an error it wraps) says the database connection was lost, refused or timed out. */
export function isConnectionError(e: unknown, depth = 0): boolean {
  if (!e || typeof e !== 'object' || depth > 4) return false;
  const err = e as { code?: unknown; message?: unknown; errors?: unknown; cause?: unknown };
  if (typeof err.code === 'string' && (err.code.startsWith('08') || SQLSTATES.has(err.code) || SOCKET_CODES.has(err.code))) return true;
  if (typeof err.message === 'string' && MESSAGES.test(err.message)) return true;
  // Node's connect to several addresses (localhost: ::1 and 127.0.0.1) fails with an AggregateError.
  if (Array.isArray(err.errors) && err.errors.some((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(err.cause, depth + 1);
}
