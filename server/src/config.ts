import { randomBytes } from 'node:crypto';
import path from 'node:path';

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
  /** Requests per minute per IP allowed on login. */
  readonly loginRateLimit: number;
  /** SMS gateway URL (POST {to, text}); null = the development log sender, which sends nothing. */
  readonly smsUrl: string | null;
  readonly smsToken: string | null;
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
  const host = env.HOST?.trim() || '127.0.0.1';
  const databaseUrl = env.DATABASE_URL?.trim() || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push(`DATABASE_URL must start with postgres:// or postgresql:// (got ${JSON.stringify(databaseUrl.slice(0, 20))}…)`);
  }
  const adminPassword = env.SWASTHYA_ADMIN_PASSWORD ?? null;
  if (adminPassword !== null && adminPassword.length < 8) {
    problems.push('SWASTHYA_ADMIN_PASSWORD must have at least 8 characters');
  }
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
  if (problems.length) throw new ConfigError(problems);
  return Object.freeze({
    port,
    host,
    dataDir: path.resolve(env.SWASTHYA_DATA_DIR?.trim() || './data'),
    databaseUrl,
    adminPassword: adminPassword || null,
    demo: !(demoRaw === '0' || demoRaw === 'false'),
    sessionHours,
    logLevel,
    loginRateLimit,
    smsUrl,
    smsToken: env.SWASTHYA_SMS_TOKEN?.trim() || null,
  });
}

export function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}
