import { sql, type Kysely } from 'kysely';

// Rules that must hold when requests arrive at once, on any number of server instances, enforced
// by PostgreSQL itself: one open pregnancy per woman; a patient once in a telemedicine queue while
// waiting, called or in consultation; and OPD tokens handed out from one counter row per facility,
// department and day (bumped atomically, so parallel counters never take the same number).
//
// Duplicates made before these rules existed are settled first, keeping one: of a woman's open
// pregnancies the newest stays open and the others are closed with a reason saying why; of a
// patient's open requests in one queue the furthest along (then the earliest) stays and the others
// are cancelled. Running it again changes nothing.
const DUPLICATE_PREGNANCY_REASON = 'closed as a duplicate: another open registration of the same woman was kept (20261201T0300)';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update pregnancies g set status = 'closed', closed_at = now(), closed_reason = ${DUPLICATE_PREGNANCY_REASON}
    from (
      select id, row_number() over (partition by patient_id order by created_at desc, id desc) as n
      from pregnancies where status = 'open'
    ) d
    where g.id = d.id and d.n > 1`.execute(db);
  await sql`create unique index if not exists pregnancies_one_open on pregnancies (patient_id) where status = 'open'`.execute(db);

  await sql`
    update tele_requests r set status = 'cancelled', ended_at = coalesce(r.ended_at, now())
    from (
      select id, row_number() over (
        partition by patient_id, hub_id, specialty
        order by case status when 'in_consultation' then 0 when 'called' then 1 else 2 end, queued_at, id) as n
      from tele_requests where status in ('waiting', 'called', 'in_consultation')
    ) d
    where r.id = d.id and d.n > 1`.execute(db);
  await sql`create unique index if not exists tele_requests_one_open on tele_requests (patient_id, hub_id, specialty) where status in ('waiting', 'called', 'in_consultation')`.execute(db);

  // The last OPD token given per facility, department and day (IST). A day with no row yet starts
  // from the highest token already issued that day, so no backfill is needed.
  await sql`
    create table if not exists opd_token_counters (
      facility_id text not null references org_units(id) on delete cascade,
      department text not null,
      day date not null,
      last integer not null,
      primary key (facility_id, department, day)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists opd_token_counters`.execute(db);
  await sql`drop index if exists tele_requests_one_open`.execute(db);
  await sql`drop index if exists pregnancies_one_open`.execute(db);
}
