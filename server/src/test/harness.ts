import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import { loadConfig, type Config } from '../config.js';
import { openPglite, openPostgres, type Db, type Engine } from '../db/connect.js';
import { createSchema, dropSchema } from '../db/schemas.js';
import { databaseUrl, preparedTemplate, withClient } from '../db/pg-template.js';
import { DISTRICT_HQ } from '../modules/geo/geo.headquarters.js';
import { checkFhirAnswer } from './fhir-conformance.js';
import { sourceKey } from './source-key.js';

export const ADMIN_PASSWORD = 'Test-Admin-Pass-1';

/**
 * The suites whose subject is the engine itself (connections, transactions, COPY, listeners, the job
 * queue and the outbox on PGlite's one connection, sign-in and sessions, stored objects, the race
 * rules): under SWASTHYA_TEST_ENGINES=split (CI) these run on both engines, every other suite
 * (the modules', and the HTTP layer's permission, scope and input checks, which do not depend on the
 * engine) on PostgreSQL only: PostgreSQL is the stricter (real parallel connections, the races), and
 * the PGlite half was two thirds of the server tests' time on a 2-core machine. Without the split every
 * suite runs on both; without PostgreSQL, on PGlite (which also serves every browser test).
 */
const BOTH_ENGINES = /\/server\/src\/(db\/|platform\/(jobs|outbox|auth)\/|platform\/(races|objectstore|archive|engines)\.test\.)/;

export function testEngines(): Engine[] {
  if (!process.env.TEST_DATABASE_URL) return ['pglite'];
  if (process.env.SWASTHYA_TEST_ENGINES === 'split' && !BOTH_ENGINES.test((process.argv[1] ?? '').replace(/\\/g, '/'))) return ['postgresql'];
  return ['pglite', 'postgresql'];
}

/**
 * One engine for the long suites whose subject is not the SQL (the fuzzing of every operation, FHIR
 * bundles kept as sent, a profile package's import): the PostgreSQL server when TEST_DATABASE_URL is
 * set, else PGlite. Every other suite still runs on both; these three cost CI minutes on the second.
 */
export function oneEngine(): Engine[] {
  return process.env.TEST_DATABASE_URL ? ['postgresql'] : ['pglite'];
}

const TEMPLATE_LOCK = 727275;

/** Test sessions commit without waiting for the disk: a test database is thrown away, and waiting for each commit's flush was much of the PostgreSQL runs' time. */
const TEST_SETTINGS = '-c synchronous_commit=off';

let pgTemplate: Promise<string> | null = null;

/**
 * A PostgreSQL database made ready by `prepareDatabase`, kept on the server as a template (one per
 * code and day, made under an advisory lock by whichever test comes first): each test app's database
 * is a copy of it (CREATE DATABASE … TEMPLATE), which takes a fraction of the migrations' time.
 */
function preparedPostgresTemplate(url: string): Promise<string> {
  return pgTemplate ??= preparedTemplate(url, {
    prefix: 'swasthya_tmpl', key: sourceKey(), lock: TEMPLATE_LOCK,
    fill: async (partUrl) => {
      const db = await openPostgres(partUrl, { max: 2, appName: 'swasthya template', settings: TEST_SETTINGS });
      try {
        await prepareDatabase(db, testConfig());
      } finally {
        await db.close();
      }
    },
  });
}

/** A database of its own on the PostgreSQL server, copied from the prepared template, dropped on close. */
async function preparedPostgres(): Promise<Db> {
  const url = process.env.TEST_DATABASE_URL!;
  const template = await preparedPostgresTemplate(url);
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await withClient(url, (c) => c.query(`create database ${pg.escapeIdentifier(name)} template ${pg.escapeIdentifier(template)}`));
  const db = await openPostgres(databaseUrl(url, name), { max: 5, appName: `swasthya ${name}`, settings: TEST_SETTINGS });
  return {
    ...db,
    async close() {
      await db.close();
      await withClient(url, (c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
    },
  };
}

/** A fresh database: in-memory PGlite, or a new schema on the PostgreSQL server, dropped on close. */
export async function freshDb(engine: Engine): Promise<Db> {
  if (engine === 'pglite') return openPglite(null);
  const url = process.env.TEST_DATABASE_URL!;
  const schema = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await createSchema(url, schema);
  const db = await openPostgres(url, { schema, max: 5, settings: TEST_SETTINGS });
  return {
    ...db,
    async close() {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}

let prepared: Promise<Blob> | null = null;

/**
 * An in-memory PGlite database made ready by `prepareDatabase` (migrations, geography, HMIS metadata,
 * admin) is saved once as a tarball in the temporary folder and every later test database of the same
 * code opens from it: PGlite's own set-up of a new cluster and the migrations take seconds each time.
 */
function preparedPgliteDump(): Promise<Blob> {
  return prepared ??= (async () => {
    const file = join(tmpdir(), `swasthya-test-pglite-${sourceKey()}.tar`);
    if (existsSync(file)) return new Blob([readFileSync(file)]);
    const db = await openPglite(null);
    try {
      await prepareDatabase(db, testConfig());
      const dump = await db.dump!();
      const part = `${file}.${process.pid}.part`;
      writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
      renameSync(part, file);
      // Older fingerprints are of code that has changed since.
      for (const old of readdirSync(tmpdir())) {
        if (old.startsWith('swasthya-test-pglite-') && join(tmpdir(), old) !== file && !old.endsWith('.part')) rmSync(join(tmpdir(), old), { force: true });
      }
      return dump;
    } finally {
      await db.close();
    }
  })();
}

export function testConfig(over: Partial<Config> = {}): Config {
  return { ...loadConfig({ SWASTHYA_DATA_DIR: '/nonexistent', SWASTHYA_LOGIN_RATE_LIMIT: '10000' }), adminPassword: ADMIN_PASSWORD, demo: false, ...over };
}

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  engine: Engine;
  /** Bearer token of `admin` (country scope). */
  adminToken: string;
  close(): Promise<void>;
  login(username: string, password: string): Promise<string>;
  /** Makes a user with a fresh name and returns its token. */
  userWith(role: string, orgUnit: string | number): Promise<{ token: string; username: string; id: string }>;
  req(method: string, url: string, token?: string | null, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
}

export async function startTestApp(engine: Engine, opts: { demo?: boolean; config?: Partial<Config> } = {}): Promise<TestApp> {
  const config = testConfig({ demo: opts.demo ?? false, ...opts.config });
  // Demo data is seeded on an empty database only (its staff get the password the admin is made with): from scratch.
  const prepared = !config.demo && process.env.SWASTHYA_TEST_FRESH !== '1';
  const db = !prepared ? await freshDb(engine)
    : engine === 'pglite' ? await openPglite(null, { from: await preparedPgliteDump() })
      : await preparedPostgres();
  if (!prepared) await prepareDatabase(db, config);
  const answers = fhirAnswerCheck();
  const app = await buildApp({ db, config, inspectAnswer: answers.inspectAnswer });
  await app.ready();
  answers.watch(app);
  const req: TestApp['req'] = async (method, url, token, body, headers = {}) => {
    const res = await app.inject({
      method: method as any,
      url,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    let parsed: any = res.body;
    try { parsed = res.body ? JSON.parse(res.body) : null; } catch { /* not JSON */ }
    return { status: res.statusCode, body: parsed };
  };
  const login = async (username: string, password: string) => {
    const r = await req('POST', '/api/auth/login', null, { username, password });
    if (r.status !== 200) throw new Error(`login ${username} failed: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.token as string;
  };
  const adminToken = await login('admin', ADMIN_PASSWORD);
  return {
    app, db, engine, adminToken, req, login,
    async userWith(role, orgUnit) {
      const username = `${role}_${randomBytes(4).toString('hex')}`;
      const password = `Pass-${randomBytes(6).toString('hex')}`;
      const r = await req('POST', '/api/users', adminToken, { username, password, role, orgUnit });
      if (r.status !== 201) throw new Error(`create user failed: ${r.status} ${JSON.stringify(r.body)}`);
      return { token: await login(username, password), username, id: r.body.id };
    },
    async close() {
      await app.close();
      await db.close();
      const left = answers.leftOver();
      if (left.length) throw new Error(left.join('\n'));
    },
  };
}

/**
 * Every /fhir answer of every test is checked against HL7's R4 schema and Medplum's validator
 * (fhir-conformance.ts): a request made with `app.inject` (or `t.req`) throws at once; one made over
 * HTTP (a FHIR client library) fails the suite when the app is closed.
 */
function fhirAnswerCheck() {
  const problems: string[] = [];
  return {
    inspectAnswer(method: string, url: string, status: number, payload: unknown) {
      try {
        checkFhirAnswer(method, url, status, typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '');
      } catch (e) {
        problems.push((e as Error).message);
      }
    },
    watch(app: FastifyInstance) {
      const inject = app.inject.bind(app) as (opts: any) => Promise<any>;
      (app as any).inject = (opts?: any) => {
        if (!opts || typeof opts !== 'object') return (inject as any)(opts);
        return inject(opts).then((res: any) => {
          if (problems.length) throw new Error(problems.splice(0).join('\n'));
          return res;
        });
      };
    },
    leftOver: () => problems.splice(0),
  };
}

/** Coordinates near the headquarters of a district given by LGD code (Hisar's otherwise), as facilities must lie in their district. */
function pointIn(orgUnit: unknown): { latitude: number; longitude: number } {
  const lgd = typeof orgUnit === 'number' || (typeof orgUnit === 'string' && /^\d+$/.test(orgUnit)) ? Number(orgUnit) : 63;
  const hq = lgd === 63 ? undefined : Object.values(DISTRICT_HQ).flat().find((h) => h[0] === lgd);
  return hq ? { latitude: Math.round(hq[2] * 100) / 100, longitude: Math.round(hq[3] * 100) / 100 } : { latitude: 29.15, longitude: 75.72 };
}

/** A valid facility body; override what a test cares about. */
export function facilityBody(over: Record<string, unknown> = {}) {
  return {
    name: `Test PHC ${randomBytes(3).toString('hex')}`,
    type: 'PHC',
    ownership: 'public',
    system: 'allopathic',
    orgUnit: '63',
    ...pointIn(over.orgUnit),
    ...over,
  };
}
