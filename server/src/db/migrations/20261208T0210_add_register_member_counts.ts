import { sql, type Kysely } from 'kysely';

// A register family's number of members, kept on the family by the register's import (modules/registers),
// and an index that holds it by gram panchayat: the figures by panchayat (families and members of each)
// are then read from the index alone, not from every member of the state's register (20 lakh families,
// 70 lakh members in Himachal: 18 s before). Filled for the families already imported by 20261208T0220.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table families add column member_count integer not null default 0 check (member_count >= 0)`.execute(db);
  await sql`create index families_panchayat_members on families (panchayat_id) include (member_count) where panchayat_id is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists families_panchayat_members`.execute(db);
  await sql`alter table families drop column if exists member_count`.execute(db);
}
