import { sql, type Kysely } from 'kysely';

// ASHA incentives (modules/asha), two additions:
//   - asha_notice_reads: which officer has seen which escalation notice (GET /api/asha/notices shows
//     each officer the notices of their level and area, POST /api/asha/notices/{id}/seen marks one).
//     One row per notice and officer (primary key): marking twice, or twice at once, is one row.
//     No foreign key to asha_notices, so the ASHA tables can still be dropped and made again on their own.
//   - asha_rates.state_lgd: a rate version is a state's own (its LGD code) or national (0, the NHM
//     catalogue): one version per activity, state and day.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table asha_notice_reads (
      notice_id bigint not null,
      user_id text not null,
      seen_at timestamptz not null default now(),
      primary key (notice_id, user_id)
    )`.execute(db);
  await sql`alter table asha_rates add column state_lgd integer not null default 0`.execute(db);
  await sql`alter table asha_rates drop constraint asha_rates_pkey`.execute(db);
  await sql`alter table asha_rates add primary key (activity_code, state_lgd, effective_from)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from asha_rates where state_lgd <> 0`.execute(db);
  await sql`alter table asha_rates drop constraint asha_rates_pkey`.execute(db);
  await sql`alter table asha_rates drop column state_lgd`.execute(db);
  await sql`alter table asha_rates add primary key (activity_code, effective_from)`.execute(db);
  await sql`drop table if exists asha_notice_reads`.execute(db);
}
