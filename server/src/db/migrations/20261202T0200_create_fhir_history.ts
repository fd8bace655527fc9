import { sql, type Kysely } from 'kysely';

// Every version of every FHIR resource is kept, so that vread (/fhir/<type>/<id>/_history/<vid>) and
// _history answer, and the Location of a create or update (…/_history/<vid>) can be read.
//
// - fhir_resource_versions: each version of a row of fhir_resources, written by a trigger in the same
//   transaction as the insert or update (a second write of the same version in one transaction, such as
//   the Aadhaar masking, replaces that version's copy).
// - fhir_patient_versions: each version of a registry patient, as the registry row and, for a patient
//   whose FHIR resource is kept as sent (patient_fhir), that kept resource as it stood then: a version
//   is made into a Patient as a read makes one from the row and the kept resource. A patient's FHIR
//   version is the time of its last change (updated_at), so the triggers keep one copy per updated_at:
//   changes through the FHIR API, the plain API (merge, undo) or anything else are all kept, and changes
//   in one transaction (one updated_at) are one version. The health card's token is not copied.
// - fhir_document_receipts: a document Bundle received, by Bundle.identifier and a digest of its content,
//   with the answer it got. The primary key makes a second post of the same document (even in parallel)
//   find the first one instead of storing its Composition, Encounter… again.
//
// Resources kept before this migration get their current version as their first kept one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table fhir_resource_versions (
      resource_type text not null,
      id text not null,
      version integer not null check (version >= 1),
      patient_id text,
      resource jsonb not null,
      recorded_at timestamptz not null,
      primary key (resource_type, id, version)
    )`.execute(db);
  await sql`create index fhir_resource_versions_patient on fhir_resource_versions (patient_id) where patient_id is not null`.execute(db);
  await sql.raw(`
    create function fhir_resources_keep_version() returns trigger language plpgsql as $$
    begin
      insert into fhir_resource_versions (resource_type, id, version, patient_id, resource, recorded_at)
      values (new.resource_type, new.id, new.version, new.patient_id, new.resource, new.updated_at)
      on conflict (resource_type, id, version) do update
        set patient_id = excluded.patient_id, resource = excluded.resource, recorded_at = excluded.recorded_at;
      return null;
    end $$`).execute(db);
  await sql`create trigger fhir_resources_keep_version after insert or update on fhir_resources for each row execute function fhir_resources_keep_version()`.execute(db);
  await sql`
    insert into fhir_resource_versions (resource_type, id, version, patient_id, resource, recorded_at)
    select resource_type, id, version, patient_id, resource, updated_at from fhir_resources`.execute(db);

  await sql`
    create table fhir_patient_versions (
      patient_id text not null,
      updated_at timestamptz not null,
      row jsonb not null,
      kept jsonb,
      recorded_at timestamptz not null default now(),
      primary key (patient_id, updated_at)
    )`.execute(db);
  // The kept FHIR resource (patient_fhir, migration 20261202T0100) is copied when that table exists.
  const { rows } = await sql<{ kept: boolean }>`select to_regclass('patient_fhir') is not null as kept`.execute(db);
  const kept = rows[0]?.kept ? `(select jsonb_build_object('resource', k.resource, 'registry', k.registry) from patient_fhir k where k.patient_id = new.id)` : 'null';
  await sql.raw(`
    create function patients_keep_version() returns trigger language plpgsql as $$
    begin
      insert into fhir_patient_versions (patient_id, updated_at, row, kept)
      values (new.id, new.updated_at, to_jsonb(new) - 'card_token', ${kept})
      on conflict (patient_id, updated_at) do update set row = excluded.row, kept = excluded.kept, recorded_at = now();
      return null;
    end $$`).execute(db);
  await sql`create trigger patients_keep_version after insert or update on patients for each row execute function patients_keep_version()`.execute(db);
  await sql`insert into fhir_patient_versions (patient_id, updated_at, row) select id, updated_at, to_jsonb(p) - 'card_token' from patients p`.execute(db);
  if (rows[0]?.kept) {
    // The kept resource is written after the row it belongs to, in the same transaction (fhir.patient.ts
    // updates the row, then keeps the resource): it goes into the version of the row as it now stands.
    await sql.raw(`
      create function patient_fhir_keep_version() returns trigger language plpgsql as $$
      begin
        update fhir_patient_versions v set kept = jsonb_build_object('resource', new.resource, 'registry', new.registry)
        from patients p where p.id = new.patient_id and v.patient_id = p.id and v.updated_at = p.updated_at;
        return null;
      end $$`).execute(db);
    await sql`create trigger patient_fhir_keep_version after insert or update on patient_fhir for each row execute function patient_fhir_keep_version()`.execute(db);
    await sql`update fhir_patient_versions v set kept = jsonb_build_object('resource', k.resource, 'registry', k.registry) from patient_fhir k where k.patient_id = v.patient_id`.execute(db);
  }

  await sql`
    create table fhir_document_receipts (
      identifier_system text not null,
      identifier_value text not null,
      digest text not null check (digest ~ '^[0-9a-f]{64}$'),
      patient_id text,
      response jsonb,
      received_by text,
      received_at timestamptz not null default now(),
      primary key (identifier_system, identifier_value, digest)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists fhir_document_receipts`.execute(db);
  if ((await sql<{ kept: boolean }>`select to_regclass('patient_fhir') is not null as kept`.execute(db)).rows[0]?.kept) {
    await sql`drop trigger if exists patient_fhir_keep_version on patient_fhir`.execute(db);
  }
  await sql`drop function if exists patient_fhir_keep_version()`.execute(db);
  await sql`drop trigger if exists patients_keep_version on patients`.execute(db);
  await sql`drop function if exists patients_keep_version()`.execute(db);
  await sql`drop table if exists fhir_patient_versions`.execute(db);
  await sql`drop trigger if exists fhir_resources_keep_version on fhir_resources`.execute(db);
  await sql`drop function if exists fhir_resources_keep_version()`.execute(db);
  await sql`drop table if exists fhir_resource_versions`.execute(db);
}
