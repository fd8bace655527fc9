import { sql, type Kysely } from 'kysely';

// Analytics aggregate of monthly HMIS data: one row per data element, option combo, month, district
// and facility ownership and type, holding the sum and count of the numeric values beneath it. It is
// kept current in the same transaction as every data value write (hmis.datavalues.repository.ts
// applies deltas), so a district × month query reads a few thousand rows instead of millions.
// `district_id` is the district above the unit, or the unit itself when it lies above district
// level; `state_id` the state above it ('' for the country). Ownership and type are '' for units
// that are not facilities. The aggregate is derived data, like an index: it is built here from
// the values already stored, with the same SQL as the write path's deltas.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table hmis_agg_district_month (
      data_element_id text not null,
      coc_id text not null,
      period text not null,
      district_id text not null,
      ownership text not null,
      facility_type text not null,
      state_id text not null,
      state_lgd integer,
      value_sum numeric not null default 0,
      value_count integer not null default 0,
      updated_at timestamptz not null default now(),
      primary key (data_element_id, period, district_id, coc_id, ownership, facility_type)
    )`.execute(db);
  await sql`create index hmis_agg_district_month_state on hmis_agg_district_month (state_id, data_element_id, period)`.execute(db);
  await sql`
    insert into hmis_agg_district_month (data_element_id, coc_id, period, district_id, ownership, facility_type, state_id, state_lgd, value_sum, value_count, updated_at)
    select v.data_element_id, v.coc_id, v.period, coalesce(nullif(split_part(v.ou_path, '/', 4), ''), v.org_unit_id), coalesce(f.ownership, ''), coalesce(f.type, ''),
           split_part(v.ou_path, '/', 3), max(v.state_lgd), sum(v.num_value::numeric), count(v.num_value)::int, max(v.updated_at)
    from hmis_data_values v left join facilities f on f.id = v.org_unit_id
    where v.period_type = 'Monthly'
    group by 1, 2, 3, 4, 5, 6, 7`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists hmis_agg_district_month`.execute(db);
}
