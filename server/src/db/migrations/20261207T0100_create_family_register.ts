import { sql, type Kysely } from 'kysely';

// Families from the state's family register (Him Parivar, Parivar Pehchan Patra; modules/registers,
// issue 15 part 2). A register family is a row of `families` (so GET /api/families/:id and the scheme's
// enrolment see one family) keyed by the state's family id (`external_id`, unique since 20261122T0620:
// a re-import updates, parallel imports meet on the constraint); it gains its gram panchayat, its
// category and where it came from. Its members, as the register lists them, are kept here whether or
// not they are Swasthya patients yet:
//   - one row per family and register member id (unique), so a re-import updates;
//   - a patient is linked to at most one register member (partial unique index);
//   - the match state: linked (sure: ABHA, or one candidate by name, sex and age), review (several
//     candidates, or name only: a person decides), confirmed / rejected (that decision), none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table families
    add column state_lgd integer,
    add column panchayat_id text references org_units(id),
    add column category text,
    add column source text not null default 'swasthya' check (source in ('swasthya', 'register')),
    add column imported_at timestamptz`.execute(db);
  await sql`create index families_panchayat on families (panchayat_id, family_number) where panchayat_id is not null`.execute(db);
  await sql`
    create table register_members (
      id text primary key,
      family_id text not null references families(id) on delete cascade,
      member_id text not null check (length(member_id) between 1 and 40),
      name text not null check (length(name) between 1 and 200),
      name_hi text,
      name_key text not null,
      relation text not null,
      sex text not null check (sex in ('male', 'female', 'other')),
      birth_year integer not null check (birth_year between 1890 and 2100),
      birth_date date,
      village_id text not null references org_units(id),
      abha_number text check (abha_number ~ '^[0-9]{14}$'),
      mobile text check (mobile ~ '^[6-9][0-9]{9}$'),
      patient_id text references patients(id),
      match_status text not null default 'none' check (match_status in ('none', 'linked', 'review', 'confirmed', 'rejected')),
      match_reason text,
      candidates jsonb,
      decided_by text,
      decided_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (family_id, member_id),
      check ((patient_id is null) = (match_status in ('none', 'review', 'rejected')))
    )`.execute(db);
  await sql`create unique index register_members_patient on register_members (patient_id) where patient_id is not null`.execute(db);
  await sql`create index register_members_review on register_members (family_id) where match_status = 'review'`.execute(db);
  await sql`create index register_members_abha on register_members (abha_number) where abha_number is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists register_members`.execute(db);
  await sql`drop index if exists families_panchayat`.execute(db);
  await sql`alter table families drop column if exists imported_at, drop column if exists source, drop column if exists category, drop column if exists panchayat_id, drop column if exists state_lgd`.execute(db);
}
