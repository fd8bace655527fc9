import { sql, type Kysely } from 'kysely';

// FHIR profiles a state loads (ABDM's NRCeS profiles, its own): StructureDefinitions with their
// snapshots, one per canonical url. A resource that claims one in meta.profile is validated against it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table fhir_profiles (
      url text primary key,
      version text,
      name text,
      type text not null,
      definition jsonb not null,
      imported_by text not null,
      imported_at timestamptz not null default clock_timestamp()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists fhir_profiles`.execute(db);
}
