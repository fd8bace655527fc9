import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { PERMISSIONS } from '../../platform/roles.js';
import { FACILITY_TYPES } from '../facilities/facilities.schema.js';
import { COUNTRY_ID } from '../geo/geo.service.js';
import { importMetadata } from './hmis.metadata.import.js';
import { indiaHmisMetadata } from './hmis.seed-metadata.js';

/** The built-in user that loads reference metadata. */
export const SYSTEM_ACTOR: Actor = {
  userId: 'system', username: 'system', role: 'admin', orgUnitId: COUNTRY_ID, orgPath: `/${COUNTRY_ID}/`, permissions: new Set(PERMISSIONS), ip: null,
};

/**
 * Loads India's monthly HMIS facility return on a database that has no HMIS data set yet, assigned
 * to every registered facility by type (a state narrows it in the metadata screens).
 */
export async function seedHmisMetadata(db: Kysely<Database>): Promise<boolean> {
  const any = await db.selectFrom('hmis_data_sets').select('id').limit(1).executeTakeFirst();
  if (any) return false;
  const meta = indiaHmisMetadata();
  for (const ds of meta.dataSets as Record<string, unknown>[]) ds.facilityTypes = [...FACILITY_TYPES];
  const report = await importMetadata(db, SYSTEM_ACTOR, meta);
  if (report.status === 'ERROR') throw new Error(`built-in HMIS metadata did not import: ${JSON.stringify(report.typeReports.flatMap((r) => r.objectReports)).slice(0, 2000)}`);
  return true;
}
