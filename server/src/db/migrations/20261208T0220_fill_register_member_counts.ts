import { sql, type Kysely } from 'kysely';

// Data: the member counts of the register families imported before 20261208T0210.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update families f set member_count = m.n
    from (select family_id, count(*)::int as n from register_members group by family_id) m
    where m.family_id = f.id and f.member_count <> m.n`.execute(db);
}
