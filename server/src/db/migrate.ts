import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './connect.js';
import * as m0300 from './migrations/20261122T0300_create_platform.js';
import * as m0310 from './migrations/20261122T0310_create_facilities.js';
import * as m0320 from './migrations/20261122T0320_index_facility_search.js';
import * as m0400 from './migrations/20261122T0400_create_hmis_metadata.js';
import * as m0410 from './migrations/20261122T0410_create_hmis_data.js';
import * as m0420 from './migrations/20261122T0420_create_hmis_approvals.js';
import * as m0500 from './migrations/20261122T0500_create_surveillance.js';
import * as m0510 from './migrations/20261122T0510_create_hmis_aggregates.js';
import * as m0520 from './migrations/20261122T0520_create_hmis_lock_exceptions.js';
import * as m0530 from './migrations/20261122T0530_drop_hmis_value_foreign_keys.js';
import * as m0600 from './migrations/20261122T0600_create_patients.js';
import * as m0620 from './migrations/20261122T0620_create_families.js';
import * as m0640 from './migrations/20261122T0640_create_opd_visits.js';
import * as m0650 from './migrations/20261122T0650_index_patient_name_words.js';
import * as m0660 from './migrations/20261122T0660_create_patient_documents.js';
import * as m0670 from './migrations/20261122T0670_create_health_card_survey.js';
import * as m0700 from './migrations/20261122T0700_create_telemedicine.js';
import * as m0610 from './migrations/20261122T0610_create_fhir_resources.js';
import * as m1201_0100 from './migrations/20261201T0100_create_login_failures.js';
import * as m1201_0300 from './migrations/20261201T0300_enforce_one_open_per_patient.js';
import * as m1201_0400 from './migrations/20261201T0400_create_patient_presence.js';
import * as m1201_0600 from './migrations/20261201T0600_mask_aadhaar_in_fhir.js';
import * as m1202_0100 from './migrations/20261202T0100_keep_fhir_patients.js';
import * as m1202_0200 from './migrations/20261202T0200_create_fhir_history.js';
import * as m1202_0400 from './migrations/20261202T0400_require_valid_complete.js';
import * as m1202_0700 from './migrations/20261202T0700_create_fhir_profiles.js';
import * as m1202_0800 from './migrations/20261202T0800_index_fhir_resource_content.js';
import * as m1203_0100 from './migrations/20261203T0100_unique_unit_names.js';
import * as m1203_0600 from './migrations/20261203T0600_create_analytics_favourites.js';
import * as m1203_0400 from './migrations/20261203T0400_track_opd_token_states.js';
import * as m1203_0700 from './migrations/20261203T0700_create_ambulances.js';
import * as m1204_0100 from './migrations/20261204T0100_create_dispatch.js';
import * as m1204_0300 from './migrations/20261204T0300_create_dispatch_targets.js';
import * as m1204_0200 from './migrations/20261204T0200_create_ambulance_events.js';
import * as m1204_0400 from './migrations/20261204T0400_create_ambulance_crew_norms_keys.js';
import * as m1204_0500 from './migrations/20261204T0500_index_ambulance_latest_places.js';
import * as m1205_0100 from './migrations/20261205T0100_create_outbox.js';
import * as m1205_0300 from './migrations/20261205T0300_create_grievances.js';
import * as m1205_0200 from './migrations/20261205T0200_create_helpline_calls.js';
import * as m1206_0100 from './migrations/20261206T0100_create_asha.js';
import * as m1206_0110 from './migrations/20261206T0110_seed_asha_catalogue.js';
import * as m1206_0300 from './migrations/20261206T0300_create_kitchens.js';
import * as m1206_0200 from './migrations/20261206T0200_index_ambulance_latest_points.js';
import * as m1207_0100 from './migrations/20261207T0100_create_family_register.js';
import * as m1207_0300 from './migrations/20261207T0300_create_schemes.js';
import * as m1207_0310 from './migrations/20261207T0310_seed_himcare.js';
import * as m1207_0200 from './migrations/20261207T0200_add_asha_notice_reads_state_rates.js';
import * as m1208_0400 from './migrations/20261208T0400_add_audit_patient_ids.js';
import * as m1208_0100 from './migrations/20261208T0100_create_patient_admissions.js';
import * as m1208_0210 from './migrations/20261208T0210_add_register_member_counts.js';
import * as m1208_0220 from './migrations/20261208T0220_fill_register_member_counts.js';
import * as m1208_0230 from './migrations/20261208T0230_add_scheme_panchayats.js';
import * as m1208_0240 from './migrations/20261208T0240_fill_scheme_panchayats.js';
import * as m1209_0100 from './migrations/20261209T0100_ambulance_rows_updated_in_place.js';
import * as m1209_0200 from './migrations/20261209T0200_create_scheme_states.js';
import * as m1209_0210 from './migrations/20261209T0210_tie_himcare_to_himachal.js';
import * as m1210_0100 from './migrations/20261210T0100_ambulance_latest_service_kind.js';

/** Migrations are listed here (not read from disk) so the same code runs from source or a bundle. */
const migrations: Record<string, Migration> = {
  '20261122T0300_create_platform': m0300,
  '20261122T0310_create_facilities': m0310,
  '20261122T0320_index_facility_search': m0320,
  '20261122T0400_create_hmis_metadata': m0400,
  '20261122T0410_create_hmis_data': m0410,
  '20261122T0420_create_hmis_approvals': m0420,
  '20261122T0500_create_surveillance': m0500,
  '20261122T0510_create_hmis_aggregates': m0510,
  '20261122T0520_create_hmis_lock_exceptions': m0520,
  '20261122T0530_drop_hmis_value_foreign_keys': m0530,
  '20261122T0600_create_patients': m0600,
  '20261122T0610_create_fhir_resources': m0610,
  '20261122T0620_create_families': m0620,
  '20261122T0640_create_opd_visits': m0640,
  '20261122T0650_index_patient_name_words': m0650,
  '20261122T0660_create_patient_documents': m0660,
  '20261122T0670_create_health_card_survey': m0670,
  '20261122T0700_create_telemedicine': m0700,
  '20261201T0100_create_login_failures': m1201_0100,
  '20261201T0300_enforce_one_open_per_patient': m1201_0300,
  '20261201T0400_create_patient_presence': m1201_0400,
  '20261201T0600_mask_aadhaar_in_fhir': m1201_0600,
  '20261202T0100_keep_fhir_patients': m1202_0100,
  '20261202T0200_create_fhir_history': m1202_0200,
  '20261202T0400_require_valid_complete': m1202_0400,
  '20261202T0700_create_fhir_profiles': m1202_0700,
  '20261202T0800_index_fhir_resource_content': m1202_0800,
  '20261203T0100_unique_unit_names': m1203_0100,
  '20261203T0600_create_analytics_favourites': m1203_0600,
  '20261203T0400_track_opd_token_states': m1203_0400,
  '20261203T0700_create_ambulances': m1203_0700,
  '20261204T0100_create_dispatch': m1204_0100,
  '20261204T0300_create_dispatch_targets': m1204_0300,
  '20261204T0200_create_ambulance_events': m1204_0200,
  '20261204T0400_create_ambulance_crew_norms_keys': m1204_0400,
  '20261204T0500_index_ambulance_latest_places': m1204_0500,
  '20261205T0100_create_outbox': m1205_0100,
  '20261205T0300_create_grievances': m1205_0300,
  '20261206T0100_create_asha': m1206_0100,
  '20261206T0110_seed_asha_catalogue': m1206_0110,
  '20261205T0200_create_helpline_calls': m1205_0200,
  '20261206T0200_index_ambulance_latest_points': m1206_0200,
  '20261206T0300_create_kitchens': m1206_0300,
  '20261207T0100_create_family_register': m1207_0100,
  '20261207T0300_create_schemes': m1207_0300,
  '20261207T0310_seed_himcare': m1207_0310,
  '20261207T0200_add_asha_notice_reads_state_rates': m1207_0200,
  '20261208T0400_add_audit_patient_ids': m1208_0400,
  '20261208T0100_create_patient_admissions': m1208_0100,
  '20261208T0210_add_register_member_counts': m1208_0210,
  '20261208T0220_fill_register_member_counts': m1208_0220,
  '20261208T0230_add_scheme_panchayats': m1208_0230,
  '20261208T0240_fill_scheme_panchayats': m1208_0240,
  '20261209T0100_ambulance_rows_updated_in_place': m1209_0100,
  '20261209T0200_create_scheme_states': m1209_0200,
  '20261209T0210_tie_himcare_to_himachal': m1209_0210,
  '20261210T0100_ambulance_latest_service_kind': m1210_0100,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Any fixed number: the advisory lock that lets one process at a time migrate a PostgreSQL server. */
export const MIGRATION_LOCK = 727275;

export async function migrateToLatest(db: Db): Promise<string[]> {
  if (db.engine === 'pglite') return runMigrator(db.kysely);
  // On a server, two processes starting together (or tests dropping their schemas while another
  // migrates: Kysely's table lookup reads every schema) must not overlap, so hold a lock on one
  // connection for the whole run.
  return db.kysely.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
    try {
      return await runMigrator(conn);
    } finally {
      await sql`select pg_advisory_unlock(${sql.lit(MIGRATION_LOCK)})`.execute(conn);
    }
  });
}

async function runMigrator(kysely: Db['kysely']): Promise<string[]> {
  // Name the schema: Kysely otherwise finds its tables in any schema, and tests run many side by side.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(kysely);
  // Unordered: a migration named before one already run (work of the same days merged from side by
  // side, each with its own slot) runs when it is pending, instead of the server refusing to start.
  const migrator = new Migrator({ db: kysely, provider, migrationTableSchema: rows[0].schema, allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
