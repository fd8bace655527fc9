import { sql, type Kysely } from 'kysely';

// HIMCARE (seeded by 20261207T0310) is Himachal Pradesh's scheme: LGD state code 2.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`insert into scheme_states (scheme, state_lgd) values ('himcare', 2) on conflict (scheme) do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from scheme_states where scheme = 'himcare'`.execute(db);
}
