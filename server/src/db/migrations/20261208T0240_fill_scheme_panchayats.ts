import { sql, type Kysely } from 'kysely';

// Data: the panchayat of the cards issued before 20261208T0230 (their family's now), and of their claims.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`update scheme_enrolments e set panchayat_id = f.panchayat_id from families f where f.id = e.family_id and e.panchayat_id is null and f.panchayat_id is not null`.execute(db);
  await sql`update scheme_claims c set panchayat_id = e.panchayat_id, scheme_year = e.scheme_year from scheme_enrolments e where e.id = c.enrolment_id and c.scheme_year is null`.execute(db);
}
