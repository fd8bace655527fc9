import { sql, type Kysely } from 'kysely';

// Data values are the one table written by the million: its four foreign keys cost a lookup each
// per row and made bulk imports about 40% slower. Every writer resolves element, org unit and
// option combos against the metadata first (hmis.lookup.ts), and a facility with data cannot be
// deleted (facilities.service.ts), so the checks move to the application.
const KEYS = ['data_element_id', 'org_unit_id', 'coc_id', 'aoc_id'];

export async function up(db: Kysely<any>): Promise<void> {
  for (const k of KEYS) await sql`alter table hmis_data_values drop constraint if exists ${sql.raw(`hmis_data_values_${k}_fkey`)}`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table hmis_data_values add foreign key (data_element_id) references hmis_data_elements(id)`.execute(db);
  await sql`alter table hmis_data_values add foreign key (org_unit_id) references org_units(id) on delete cascade`.execute(db);
  await sql`alter table hmis_data_values add foreign key (coc_id) references hmis_category_option_combos(id)`.execute(db);
  await sql`alter table hmis_data_values add foreign key (aoc_id) references hmis_category_option_combos(id)`.execute(db);
}
