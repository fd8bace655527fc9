import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/open.js';
import { isConnectionError } from './db/connection-errors.js';
import { prepareDatabase } from './bootstrap.js';
import { DEMO_STAFF } from './modules/telemedicine/telemedicine.demo.js';
import { loadDefinitions } from './modules/fhir/fhir.validate.js';

const here = path.dirname(fileURLToPath(import.meta.url));

// A lost database connection must never end the server: the pool opens new connections once
// PostgreSQL is back, and requests meanwhile get 503. Node would otherwise exit on any stray
// rejection or unheard 'error' event.
process.on('unhandledRejection', (reason) => {
  if (isConnectionError(reason)) console.warn(`Database unavailable: ${(reason as Error).message}`);
  else console.error('Unhandled promise rejection (the server keeps running):', reason);
});
process.on('uncaughtException', (e) => {
  if (isConnectionError(e)) {
    console.warn(`Database unavailable: ${e.message}`);
    return;
  }
  // Anything else may have left the process in a state nobody planned for: stop, and let the supervisor restart.
  console.error(e);
  process.exit(1);
});

async function main() {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(2);
    }
    throw e;
  }
  const db = await openDatabase(config);
  const prepared = await prepareDatabase(db, config);
  if (prepared.adminPassword) {
    console.log(`\n  Created user "admin" with password: ${prepared.adminPassword}\n  (shown once; set SWASTHYA_ADMIN_PASSWORD to choose it)\n`);
  }
  if (prepared.demoSeeded) {
    console.log('  Demo data loaded (Hisar, Mandi, Patna, Delhi). Set SWASTHYA_DEMO=0 for an empty registry.');
  }
  // Demo staff exist when the demo was loaded by a start that knew the admin password; say so at every start.
  const demoStaff = new Set((await db.kysely.selectFrom('users').select('username')
    .where('username', 'in', DEMO_STAFF.map((s) => s.username)).where('active', '=', true).execute()).map((u) => u.username));
  const app = await buildApp({
    db,
    config,
    // SWASTHYA_WEB_DIST: another build of the UI (a test's own build); web/dist otherwise.
    webDist: process.env.SWASTHYA_WEB_DIST ? path.resolve(process.env.SWASTHYA_WEB_DIST) : path.resolve(here, '../../web/dist'),
    logger: { level: config.logLevel },
  });
  const close = async () => {
    await app.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGINT', close);
  process.on('SIGTERM', close);
  await app.listen({ port: config.port, host: config.host });
  // The start-up summary: where, on what, who can try it, and how to see each request.
  const where = config.databaseUrl ? 'PostgreSQL' : `PGlite in ${path.resolve(config.dataDir)}`;
  console.log(`  Swasthya is running on http://${config.host}:${(app.server.address() as { port: number }).port}/ (database: ${where})`);
  const staff = DEMO_STAFF.filter((s) => demoStaff.has(s.username));
  if (staff.length) console.log(`  Demo staff, who sign in with the password the admin was given first: ${staff.map((s) => `${s.username} (${s.what})`).join('; ')}`);
  console.log(`  Log level ${config.logLevel}${config.logLevel === 'debug' || config.logLevel === 'trace' ? ': one line per request' : '; LOG_LEVEL=debug logs one line per request'}.`);
  // FHIR's R4 definitions take a second or more to index: do it now, not on the first FHIR write.
  // A browser test's server (SWASTHYA_PRELOAD_FHIR=0) leaves them to the first FHIR write: few of them make one.
  if (process.env.SWASTHYA_PRELOAD_FHIR !== '0') setImmediate(() => {
    try { loadDefinitions(); } catch (e) { app.log.warn({ err: e }, 'FHIR definitions could not be loaded; they load on the first FHIR write'); }
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
