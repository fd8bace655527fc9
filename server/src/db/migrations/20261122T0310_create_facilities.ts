import { sql, type Kysely } from 'kysely';

// Facility registry: one row per facility org unit, its upgrade history, district outlines.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table facilities (
      id text primary key references org_units(id) on delete cascade,
      type text not null,
      ownership text not null check (ownership in ('public','private')),
      system text not null check (system in ('allopathic','ayush')),
      ayush_system text,
      beds integer check (beds is null or beds >= 0),
      latitude double precision,
      longitude double precision,
      phone text,
      email text,
      address text,
      pincode text,
      hfr_id text unique,
      portal_status text not null default 'listed' check (portal_status in ('listed','registered')),
      registered_on date,
      hwc boolean not null default false,
      hwc_since date,
      desktops integer not null default 0,
      webcams integer not null default 0,
      hub_id text references facilities(id) on delete set null,
      source text not null default 'manual',
      source_ref text,
      state_lgd integer,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index facilities_type on facilities (type)`.execute(db);
  await sql`create index facilities_hub on facilities (hub_id)`.execute(db);
  await sql`create unique index facilities_source_ref on facilities (source, source_ref) where source_ref is not null`.execute(db);
  await sql`create index org_units_name_trgm on org_units using gin (name gin_trgm_ops)`.execute(db);

  await sql`
    create table facility_upgrades (
      id bigserial primary key,
      facility_id text not null references facilities(id) on delete cascade,
      kind text not null check (kind in ('hwc','type','beds')),
      from_type text,
      to_type text,
      from_beds integer,
      to_beds integer,
      upgraded_on date not null,
      note text,
      created_by text,
      created_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index facility_upgrades_facility on facility_upgrades (facility_id, upgraded_on)`.execute(db);

  await sql`
    create table geo_boundaries (
      org_unit_id text primary key references org_units(id) on delete cascade,
      geometry jsonb not null,
      source text,
      updated_at timestamptz not null default now()
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['geo_boundaries', 'facility_upgrades', 'facilities']) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
}
