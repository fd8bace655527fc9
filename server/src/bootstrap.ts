import type { Config } from './config.js';
import { randomPassword } from './config.js';
import type { Db } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { installJobs } from './platform/jobs/index.js';
import { DELIVER_QUEUE } from './platform/outbox/index.js';
import { uid } from './platform/ids.js';
import { hashPassword } from './platform/auth/passwords.js';
import { passwordProblems } from './platform/auth/password-policy.js';
import { COUNTRY_ID, ensureReferenceGeography } from './modules/geo/geo.service.js';
import { seedDemo } from './modules/demo/demo.seed.js';
import { ensureDefaults } from './modules/hmis/hmis.metadata.repository.js';
import { seedHmisMetadata } from './modules/hmis/hmis.seed.js';
import { ensureFormulary } from './modules/telemedicine/telemedicine.formulary.js';

export interface PrepareResult {
  migrations: string[];
  adminPassword: string | null;
  demoSeeded: boolean;
}

/**
 * Brings a database up to date: migrations, the built-in geography, the `admin` user on an empty
 * database, and demo data when the database had none and SWASTHYA_DEMO is not 0.
 */
export async function prepareDatabase(db: Db, config: Pick<Config, 'adminPassword' | 'demo'>): Promise<PrepareResult> {
  const migrations = await migrateToLatest(db);
  // The job queue's own schema (pgboss) and the outbox's queue: made here so that a prepared database has them.
  await installJobs(db, [DELIVER_QUEUE, 'outbox.sweep']);
  await db.kysely.transaction().execute(async (trx) => {
    await ensureReferenceGeography(trx);
    await ensureDefaults(trx);
    await seedHmisMetadata(trx);
    await ensureFormulary(trx);
  });
  let adminPassword: string | null = null;
  const anyUser = await db.kysely.selectFrom('users').select('id').limit(1).executeTakeFirst();
  if (!anyUser) {
    const problem = config.adminPassword != null ? passwordProblems(config.adminPassword, 'admin') : null;
    if (problem) throw new Error(`The admin password ${problem.en}`);
    adminPassword = config.adminPassword ?? randomPassword();
    await db.kysely.insertInto('users').values({
      id: uid(), username: 'admin', password_hash: await hashPassword(adminPassword), role: 'admin', org_unit_id: COUNTRY_ID, display_name: 'Administrator',
    }).execute();
  }
  let demoSeeded = false;
  if (config.demo) {
    const anyFacility = await db.kysely.selectFrom('facilities').select('id').limit(1).executeTakeFirst();
    if (!anyFacility) {
      // Demo staff share the admin password when this start created it (else they are not made).
      await db.kysely.transaction().execute((trx) => seedDemo(trx, { staffPassword: adminPassword }));
      demoSeeded = true;
    }
  }
  return { migrations, adminPassword: config.adminPassword ? null : adminPassword, demoSeeded };
}
