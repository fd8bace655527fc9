import type { FastifyRequest } from 'fastify';

/**
 * The DHIS2 Web API version whose shapes Swasthya's `/api` follows (metadata export and import,
 * field filters, pager, data value sets, system info). Clients that check `version` see this.
 */
export const DHIS2_API_VERSION = '2.40.0';
export const SWASTHYA_REVISION = 'swasthya-0.1.0';

/** DHIS2's timestamp form: milliseconds, no zone (the server's zone, UTC here). */
export const dhis2Timestamp = (d: Date) => d.toISOString().slice(0, 23);

/** Where this API is reached, as the caller reached it (DHIS2's contextPath). */
export function contextPath(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** DHIS2's `/api/system/info` for a signed-in user (no server internals: no database, paths or memory). */
export function systemInfo(request: FastifyRequest, now = new Date()) {
  const base = contextPath(request);
  return {
    contextPath: base,
    userAgent: String(request.headers['user-agent'] ?? ''),
    calendar: 'iso8601',
    dateFormat: 'yyyy-mm-dd',
    serverDate: dhis2Timestamp(now),
    serverTimeZoneId: 'Etc/UTC',
    serverTimeZoneDisplayName: 'Coordinated Universal Time',
    version: DHIS2_API_VERSION,
    revision: SWASTHYA_REVISION,
    systemName: 'Swasthya',
    instanceBaseUrl: base,
    isMetadataVersionEnabled: false,
    isMetadataSyncEnabled: false,
    emailConfigured: false,
    redisEnabled: false,
    encryption: false,
  };
}

/** The `system` block DHIS2 writes at the head of a metadata export. */
export function metadataSystem(now = new Date()) {
  return { rev: SWASTHYA_REVISION, version: DHIS2_API_VERSION, date: dhis2Timestamp(now) };
}
