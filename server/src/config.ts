import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import path from 'node:path';
import { passwordProblems } from './platform/auth/password-policy.js';

/** Settings read once from the environment. Tests build their own with `loadConfig({...})`. */
export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  /** PostgreSQL connection string; when null the embedded PGlite database in dataDir is used. */
  readonly databaseUrl: string | null;
  /** Password of `admin` on an empty database; null = generate one and print it once. */
  readonly adminPassword: string | null;
  readonly demo: boolean;
  readonly sessionHours: number;
  readonly logLevel: string;
  /** Failed sign-ins (and sign-ins being checked) allowed per minute from one address, over all user names. */
  readonly loginRateLimit: number;
  /**
   * Proxies in front whose X-Forwarded-For is believed (Fastify's trustProxy): false = none, clients
   * connect directly; a number of hops; or their addresses. Sign-in limits key on the client's address.
   */
  readonly trustProxy: false | number | string;
  /** SMS gateway URL (POST {to, text}); null = the development log sender, which sends nothing. */
  readonly smsUrl: string | null;
  readonly smsToken: string | null;
  /** E-mail service URL (POST {to, subject, text, id}); null = the development log sender, which sends nothing. */
  readonly emailUrl: string | null;
  readonly emailToken: string | null;
  /** The outbox (platform/outbox): seconds before a failed message is tried again (doubled each time), and tries in all. */
  readonly messageRetrySeconds: number;
  readonly messageAttempts: number;
  /** How often each instance looks for queued jobs (platform/jobs), in milliseconds. */
  readonly jobPollMs: number;
  /** S3-compatible store for patient documents; null = files under `<dataDir>/documents`. */
  readonly s3: S3Config | null;
  /** Video room address for a teleconsultation; `{room}` becomes an unguessable room name (Jitsi-compatible). */
  readonly videoUrlTemplate: string;
  /** Minutes after which a waiting teleconsultation request that nobody took expires. */
  readonly teleExpiryMinutes: number;
  /** Map tiles the state serves ({z}/{x}/{y} template) and their credit line; null = outlines only. */
  readonly tileUrl: string | null;
  readonly tileAttribution: string | null;
  /** Seconds an assigned ambulance has to set off (en route) before the dispatch sweep gives its call to the next vehicle. */
  readonly dispatchAcceptSeconds: number;
  /** Ambulance events (ambulances.events.ts): offline after minutes without a fix, overspeed, geofence radius, long halt. */
  readonly ambulanceEvents: { readonly offlineMinutes: number; readonly overspeedKmh: number; readonly geofenceMetres: number; readonly longHaltMinutes: number };
}

/** An S3-compatible bucket reached with path-style URLs (`endpoint/bucket/key`) and SigV4. */
export interface S3Config {
  readonly endpoint: string;
  readonly bucket: string;
  readonly accessKey: string;
  readonly secretKey: string;
  readonly region: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid environment:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, def: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    problems.push(`${name}=${JSON.stringify(raw)} must be a whole number from ${min} to ${max}`);
    return def;
  }
  return n;
}

/** Parses the environment once; every bad variable is named in one ConfigError. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const port = int(env, 'PORT', 8080, 0, 65535, problems);
  const sessionHours = int(env, 'SWASTHYA_SESSION_HOURS', 12, 1, 24 * 30, problems);
  const loginRateLimit = int(env, 'SWASTHYA_LOGIN_RATE_LIMIT', 30, 1, 10000, problems);
  const trustProxy = trustedProxies(env, problems);
  const host = env.HOST?.trim() || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got ${JSON.stringify(databaseUrl.slice(0, 20))}…)`);
  }
  const adminPassword = env.SWASTHYA_ADMIN_PASSWORD ?? null;
  const adminProblem = adminPassword !== null ? passwordProblems(adminPassword, 'admin') : null;
  if (adminProblem) problems.push(`SWASTHYA_ADMIN_PASSWORD: ${adminProblem.en}`);
  const demoRaw = env.SWASTHYA_DEMO ?? '1';
  if (!['0', '1', 'true', 'false', ''].includes(demoRaw)) {
    problems.push(`SWASTHYA_DEMO=${JSON.stringify(demoRaw)} must be 0 or 1`);
  }
  const logLevel = env.LOG_LEVEL?.trim() || 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push(`LOG_LEVEL=${JSON.stringify(logLevel)} must be one of fatal, error, warn, info, debug, trace, silent`);
  }
  const smsUrl = env.SWASTHYA_SMS_URL?.trim() || null;
  if (smsUrl && !/^https?:\/\//.test(smsUrl)) problems.push(`SWASTHYA_SMS_URL must start with http:// or https://`);
  const emailUrl = env.SWASTHYA_EMAIL_URL?.trim() || null;
  if (emailUrl && !/^https?:\/\//.test(emailUrl)) problems.push(`SWASTHYA_EMAIL_URL must start with http:// or https://`);
  const messageRetrySeconds = int(env, 'SWASTHYA_MESSAGE_RETRY_SECONDS', 30, 1, 3600, problems);
  const messageAttempts = int(env, 'SWASTHYA_MESSAGE_ATTEMPTS', 8, 1, 50, problems);
  const jobPollMs = int(env, 'SWASTHYA_JOB_POLL_MS', 2000, 500, 60_000, problems);
  const s3 = s3Config(env, problems);
  const videoUrlTemplate = env.SWASTHYA_VIDEO_URL?.trim() || 'https://meet.jit.si/swasthya-{room}';
  if (!/^https:\/\/\S+$/.test(videoUrlTemplate) || !videoUrlTemplate.includes('{room}')) {
    problems.push('SWASTHYA_VIDEO_URL must be an https:// address containing {room} (e.g. https://meet.example.in/{room})');
  }
  const teleExpiryMinutes = int(env, 'SWASTHYA_TELE_EXPIRY_MINUTES', 240, 5, 24 * 60, problems);
  const dispatchAcceptSeconds = int(env, 'SWASTHYA_DISPATCH_ACCEPT_SECONDS', 120, 10, 3600, problems);
  const ambulanceEvents = Object.freeze({
    offlineMinutes: int(env, 'SWASTHYA_OFFLINE_MINUTES', 10, 1, 24 * 60, problems),
    // 108 ambulances on highways; state speed limits for emergency vehicles are about 80–100 km/h.
    overspeedKmh: int(env, 'SWASTHYA_OVERSPEED_KMH', 100, 20, 200, problems),
    geofenceMetres: int(env, 'SWASTHYA_GEOFENCE_METRES', 200, 20, 5000, problems),
    longHaltMinutes: int(env, 'SWASTHYA_LONG_HALT_MINUTES', 20, 1, 24 * 60, problems),
  });
  const tileUrl = env.SWASTHYA_TILE_URL?.trim() || null;
  if (tileUrl && (!/^https?:\/\/\S+$/.test(tileUrl) || !['{z}', '{x}', '{y}'].every((k) => tileUrl.includes(k)))) {
    problems.push('SWASTHYA_TILE_URL must be an http:// or https:// address containing {z}, {x} and {y} (e.g. https://tiles.example.in/{z}/{x}/{y}.png), or unset for district outlines only');
  }
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    videoUrlTemplate,
    teleExpiryMinutes,
    dispatchAcceptSeconds,
    ambulanceEvents,
    tileUrl,
    tileAttribution: env.SWASTHYA_TILE_ATTRIBUTION?.trim() || null,
    port,
    host,
    dataDir: path.resolve(env.SWASTHYA_DATA_DIR?.trim() || './data'),
    databaseUrl,
    adminPassword: adminPassword || null,
    demo: !(demoRaw === '0' || demoRaw === 'false'),
    sessionHours,
    logLevel,
    loginRateLimit,
    trustProxy,
    smsUrl,
    smsToken: env.SWASTHYA_SMS_TOKEN?.trim() || null,
    emailUrl,
    emailToken: env.SWASTHYA_EMAIL_TOKEN?.trim() || null,
    messageRetrySeconds,
    messageAttempts,
    jobPollMs,
    s3,
  });
}

/**
 * SWASTHYA_TRUST_PROXY: unset (or 0) when clients connect directly; behind a load balancer either the
 * number of proxies in front or their addresses (IPs, CIDR ranges, or loopback / linklocal / uniquelocal).
 * Never "trust everyone": a client could then choose the address its sign-in failures are counted on.
 */
function trustedProxies(env: Env, problems: string[]): false | number | string {
  const raw = env.SWASTHYA_TRUST_PROXY?.trim() ?? '';
  if (raw === '' || raw === '0') return false;
  if (/^\d+$/.test(raw) && Number(raw) <= 10) return Number(raw);
  const parts = raw.split(',').map((p) => p.trim());
  const ok = (p: string) => ['loopback', 'linklocal', 'uniquelocal'].includes(p) || (() => {
    const [addr, bits, extra] = p.split('/');
    const v = isIP(addr ?? '');
    return v !== 0 && extra === undefined && (bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (v === 4 ? 32 : 128)));
  })();
  if (parts.every(ok)) return parts.join(',');
  problems.push(`SWASTHYA_TRUST_PROXY=${JSON.stringify(raw)} must be the number of proxies in front (1 to 10) or their addresses, e.g. 10.0.0.5,10.0.1.0/24 (unset when clients connect directly)`);
  return false;
}

/** SWASTHYA_S3_*: all of endpoint, bucket and keys, or none (documents then stay under the data directory). */
function s3Config(env: Env, problems: string[]): S3Config | null {
  const needed = ['SWASTHYA_S3_ENDPOINT', 'SWASTHYA_S3_BUCKET', 'SWASTHYA_S3_ACCESS_KEY', 'SWASTHYA_S3_SECRET_KEY'];
  const given = (name: string) => env[name]?.trim() || '';
  if (![...needed, 'SWASTHYA_S3_REGION'].some(given)) return null;
  const missing = needed.filter((name) => !given(name));
  if (missing.length) {
    problems.push(`${missing.join(', ')} must be set too: an S3 document store needs SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_BUCKET, SWASTHYA_S3_ACCESS_KEY and SWASTHYA_S3_SECRET_KEY (or none of them, to keep documents under SWASTHYA_DATA_DIR)`);
  }
  const endpoint = given('SWASTHYA_S3_ENDPOINT').replace(/\/+$/, '');
  let url: URL | null = null;
  try { url = endpoint ? new URL(endpoint) : null; } catch { /* reported below */ }
  if (endpoint && (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password)) {
    problems.push(`SWASTHYA_S3_ENDPOINT=${JSON.stringify(endpoint.replace(/\/\/[^/@]*@/, '//…@'))} must be an http:// or https:// address without query or credentials, e.g. https://minio.example.in:9000`);
  }
  const bucket = given('SWASTHYA_S3_BUCKET');
  if (bucket && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    problems.push(`SWASTHYA_S3_BUCKET=${JSON.stringify(bucket)} must be 3 to 63 lower-case letters, digits, dots or hyphens, starting and ending with a letter or digit`);
  }
  const region = given('SWASTHYA_S3_REGION') || 'ap-south-1';
  if (!/^[a-z0-9-]{1,40}$/.test(region)) problems.push(`SWASTHYA_S3_REGION=${JSON.stringify(region)} must be a region name such as ap-south-1`);
  return Object.freeze({ endpoint, bucket, accessKey: given('SWASTHYA_S3_ACCESS_KEY'), secretKey: given('SWASTHYA_S3_SECRET_KEY'), region });
}

export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
