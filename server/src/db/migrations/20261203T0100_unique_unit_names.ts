import { sql, type Kysely } from 'kysely';

// Two blocks, panchayats or villages of the same name under the same parent cannot be told apart on a
// screen, so a unit added by hand (no LGD code) takes a name no sibling of its level has, whatever the
// case or spaces around it; PostgreSQL holds the rule, so two officers adding "Rampur" at once get one
// unit and a 409. LGD's own lists do repeat names under one block (two villages called Rampur, told
// apart by their LGD codes), so units with an LGD code are left out of the index; the service refuses
// a repeated name for those too, under a lock on the parent row (geo.units.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create unique index if not exists org_units_sibling_name on org_units (parent_id, level, lower(btrim(name)))
    where lgd_code is null and level in ('block', 'panchayat', 'village')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists org_units_sibling_name`.execute(db);
}
