import { sql, type Kysely } from 'kysely';

// HMIS metadata in DHIS2's model: category options, categories, combos and option combos; data
// elements; data sets with their elements, sections and assigned org units; validation rules;
// indicators. Names in other languages live in `translations` as DHIS2 keeps them.
export async function up(db: Kysely<any>): Promise<void> {
  const common = sql`code text unique, name text not null, short_name text, translations jsonb not null default '[]'::jsonb, updated_at timestamptz not null default now()`;
  await sql`create table hmis_category_options (id text primary key, ${common}, start_date date, end_date date)`.execute(db);
  await sql`create table hmis_categories (id text primary key, ${common}, data_dimension_type text not null default 'DISAGGREGATION')`.execute(db);
  await sql`
    create table hmis_category_category_options (
      category_id text not null references hmis_categories(id) on delete cascade,
      option_id text not null references hmis_category_options(id),
      sort_order integer not null,
      primary key (category_id, option_id)
    )`.execute(db);
  await sql`create table hmis_category_combos (id text primary key, ${common}, data_dimension_type text not null default 'DISAGGREGATION', skip_total boolean not null default false)`.execute(db);
  await sql`
    create table hmis_category_combo_categories (
      combo_id text not null references hmis_category_combos(id) on delete cascade,
      category_id text not null references hmis_categories(id),
      sort_order integer not null,
      primary key (combo_id, category_id)
    )`.execute(db);
  await sql`create table hmis_category_option_combos (id text primary key, ${common}, combo_id text not null references hmis_category_combos(id), ignore_approval boolean not null default false)`.execute(db);
  await sql`
    create table hmis_coc_options (
      coc_id text not null references hmis_category_option_combos(id) on delete cascade,
      option_id text not null references hmis_category_options(id),
      primary key (coc_id, option_id)
    )`.execute(db);
  await sql`
    create table hmis_data_elements (
      id text primary key, ${common},
      form_name text,
      description text,
      value_type text not null,
      aggregation_type text not null default 'SUM',
      domain_type text not null default 'AGGREGATE',
      zero_is_significant boolean not null default false,
      category_combo_id text not null references hmis_category_combos(id)
    )`.execute(db);
  await sql`
    create table hmis_data_sets (
      id text primary key, ${common},
      period_type text not null,
      timely_days integer not null default 15,
      expiry_days integer not null default 0,
      open_future_periods integer not null default 0,
      category_combo_id text not null references hmis_category_combos(id),
      form_type text not null default 'DEFAULT',
      version integer not null default 1,
      facility_types text[] not null default '{}'
    )`.execute(db);
  await sql`
    create table hmis_data_set_elements (
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      data_element_id text not null references hmis_data_elements(id),
      category_combo_id text references hmis_category_combos(id),
      primary key (data_set_id, data_element_id)
    )`.execute(db);
  await sql`
    create table hmis_data_set_org_units (
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      org_unit_id text not null references org_units(id) on delete cascade,
      primary key (data_set_id, org_unit_id)
    )`.execute(db);
  await sql`create index hmis_data_set_org_units_ou on hmis_data_set_org_units (org_unit_id)`.execute(db);
  await sql`
    create table hmis_sections (
      id text primary key, ${common},
      data_set_id text not null references hmis_data_sets(id) on delete cascade,
      sort_order integer not null default 0
    )`.execute(db);
  await sql`
    create table hmis_section_elements (
      section_id text not null references hmis_sections(id) on delete cascade,
      data_element_id text not null references hmis_data_elements(id),
      sort_order integer not null,
      primary key (section_id, data_element_id)
    )`.execute(db);
  await sql`
    create table hmis_validation_rules (
      id text primary key, ${common},
      description text,
      instruction text,
      left_expression text not null,
      left_missing text not null default 'NEVER_SKIP',
      right_expression text not null,
      right_missing text not null default 'NEVER_SKIP',
      operator text not null,
      importance text not null default 'MEDIUM',
      period_type text not null default 'Monthly'
    )`.execute(db);
  await sql`create table hmis_indicator_types (id text primary key, ${common}, factor integer not null default 1, number boolean not null default false)`.execute(db);
  await sql`
    create table hmis_indicators (
      id text primary key, ${common},
      description text,
      numerator text not null,
      denominator text not null,
      indicator_type_id text not null references hmis_indicator_types(id),
      annualized boolean not null default false,
      decimals integer
    )`.execute(db);
  // Groups of the three kinds may share a code (DHIS2 keeps them in separate tables).
  await sql`
    create table hmis_groups (
      id text primary key,
      code text,
      name text not null,
      short_name text,
      translations jsonb not null default '[]'::jsonb,
      updated_at timestamptz not null default now(),
      kind text not null check (kind in ('dataElementGroups','indicatorGroups','validationRuleGroups')),
      members text[] not null default '{}'
    )`.execute(db);
  await sql`create unique index hmis_groups_kind_code on hmis_groups (kind, code)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['hmis_groups', 'hmis_indicators', 'hmis_indicator_types', 'hmis_validation_rules', 'hmis_section_elements', 'hmis_sections',
    'hmis_data_set_org_units', 'hmis_data_set_elements', 'hmis_data_sets', 'hmis_data_elements', 'hmis_coc_options', 'hmis_category_option_combos',
    'hmis_category_combo_categories', 'hmis_category_combos', 'hmis_category_category_options', 'hmis_categories', 'hmis_category_options']) {
    await sql`drop table if exists ${sql.table(t)} cascade`.execute(db);
  }
}
