// The request log never holds search terms, mobiles, waiting-room keys or bearer tokens; the server
// says once at start that the development SMS sender (which writes messages to the log) is in use.
// At `info` no request is logged; at `debug` each request is one line.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { prepareDatabase } from '../bootstrap.js';
import type { Db } from '../db/connect.js';
import { freshDb, testConfig } from '../test/harness.js';
import { loggableUrl } from './logging.js';

describe('request log', () => {
  const lines: string[] = [];
  let db: Db;
  let app: FastifyInstance;
  before(async () => {
    db = await freshDb('pglite');
    const config = testConfig();
    await prepareDatabase(db, config);
    // A pino destination: every log line lands in `lines`.
    app = await buildApp({ db, config, logger: { level: 'debug', stream: { write: (line: string) => { lines.push(line); } } } });
    await app.ready();
  });
  after(async () => {
    await app?.close();
    await db?.close();
  });

  it('logs paths without search terms, keys or tokens', async () => {
    const token = 'tok_9f8e7d6c5b4a39281706';
    const key = 'wr_key_5a4b3c2d1e0f9a8b';
    const requests = [
      '/api/patients?q=Kamla&mobile=9876543210',
      '/api/patients/duplicates?name=Kamla%20Devi&mobile=9876543210',
      `/api/public/telemedicine/requests/3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b?key=${key}`,
      `/api/public/telemedicine/requests/3f2a7c1e-5b6d-4e8f-9a0b-1c2d3e4f5a6b/events?key=${key}`,
      '/fhir/Patient?name=Kamla&telecom=9876543210&birthdate=le1990-01-01',
      `/telemedicine/wait/3f2a7c1e?key=${key}`,
    ];
    for (const url of requests) {
      await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    }
    await app.inject({ method: 'POST', url: '/api/public/otp?mobile=9876543210', payload: {} });
    const log = lines.join('');
    for (const secret of ['Kamla', '9876543210', key, token, 'le1990']) {
      assert.ok(!log.includes(secret), `the log holds ${secret}`);
    }
    const urls = lines.map((l) => JSON.parse(l)).filter((l) => l.req).map((l) => l.req.url);
    assert.ok(urls.includes('/api/patients?[redacted]'), urls.join(' '));
    assert.ok(urls.includes('/fhir/Patient?[redacted]'), urls.join(' '));
    assert.ok(urls.some((u: string) => u.endsWith('/events?[redacted]')), urls.join(' '));
  });

  it('keeps the query of routes whose parameters are harmless', async () => {
    assert.equal(loggableUrl('/api/hmis/analytics?dx=a&pe=2025&ou=63'), '/api/hmis/analytics?dx=a&pe=2025&ou=63');
    assert.equal(loggableUrl('/api/facilities?orgUnit=63&limit=5'), '/api/facilities?orgUnit=63&limit=5');
    assert.equal(loggableUrl('/api/patients'), '/api/patients');
    assert.equal(loggableUrl('/api/patients/x/visits?from=2025'), '/api/patients/x/visits?[redacted]');
    assert.equal(loggableUrl('/api/hmisx?q=1'), '/api/hmisx?[redacted]');
  });

  it('warns once at start that the development SMS sender is in use', () => {
    const warnings = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 40 && /development log sender/.test(l.msg));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0].msg, /SWASTHYA_SMS_URL/);
  });
});

describe('request log levels', () => {
  const logs: Record<string, string[]> = { info: [], debug: [] };
  let db: Db;
  const apps: FastifyInstance[] = [];
  before(async () => {
    db = await freshDb('pglite');
    const config = testConfig();
    await prepareDatabase(db, config);
    for (const level of ['info', 'debug']) {
      apps.push(await buildApp({ db, config, logger: { level, stream: { write: (line: string) => { logs[level].push(line); } } } }));
    }
  });
  after(async () => {
    for (const app of apps) await app.close();
    await db?.close();
  });

  const walk = async (app: FastifyInstance) => {
    await app.inject({ method: 'GET', url: '/api/health' });
    await app.inject({ method: 'GET', url: '/api/facilities' });
    await app.inject({ method: 'GET', url: '/api/no-such-thing' });
    await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' } });
  };
  const requestLines = (level: string) => logs[level].map((l) => JSON.parse(l)).filter((l) => l.req || l.res);

  it('writes no line per request at info', async () => {
    await walk(apps[0]);
    assert.deepEqual(requestLines('info'), []);
  });

  it('writes one line per request, with its status, at debug', async () => {
    await walk(apps[1]);
    const lines = requestLines('debug');
    assert.equal(lines.length, 4, JSON.stringify(lines));
    assert.deepEqual(lines.map((l) => [l.req.method, l.req.url, l.res.statusCode]), [
      ['GET', '/api/health', 200], ['GET', '/api/facilities', 401], ['GET', '/api/no-such-thing', 401], ['POST', '/api/auth/login', 401],
    ]);
    assert.ok(lines.every((l) => l.level === 20 && typeof l.responseTime === 'number'));
  });
});
