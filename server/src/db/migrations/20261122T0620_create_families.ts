import { sql, type Kysely } from 'kysely';

// The state family register: a household with a number (the state's own, e.g. Him Parivar's family
// id, or one Swasthya issues), its members and how each is related to the head. A person belongs to
// one family. Merging duplicate patients is recorded with what moved, so that it can be undone.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create sequence family_number_seq`.execute(db);
  await sql`
    create table families (
      id text primary key,
      family_number text not null unique,
      external_id text unique,
      head_patient_id text references patients(id),
      home_id text not null references org_units(id),
      home_path text not null,
      address_line text,
      created_by text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index families_home on families (home_path text_pattern_ops)`.execute(db);
  await sql`
    create table family_members (
      family_id text not null references families(id) on delete cascade,
      patient_id text not null unique references patients(id),
      relation text not null check (relation in ('head', 'spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'grandson', 'granddaughter', 'grandfather', 'grandmother', 'daughter_in_law', 'son_in_law', 'other')),
      added_by text,
      added_at timestamptz not null default now(),
      primary key (family_id, patient_id)
    )`.execute(db);
  await sql`alter table patients add column card_issued_at timestamptz`.execute(db);
  await sql`
    create table patient_merges (
      id text primary key,
      from_id text not null references patients(id),
      into_id text not null references patients(id),
      reason text not null,
      moved jsonb not null,
      merged_by text,
      merged_at timestamptz not null default now(),
      undone_by text,
      undone_at timestamptz
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists patient_merges`.execute(db);
  await sql`alter table patients drop column if exists card_issued_at`.execute(db);
  await sql`drop table if exists family_members`.execute(db);
  await sql`drop table if exists families`.execute(db);
  await sql`drop sequence if exists family_number_seq`.execute(db);
}
