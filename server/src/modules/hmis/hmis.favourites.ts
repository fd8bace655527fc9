import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { badRequest, conflict, notFound } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/races.js';
import { resolveOrgUnit } from '../geo/geo.service.js';

type Db = Kysely<Database>;

/** What the Analytics screen saves: its own choices, re-run when the favourite is opened. */
export interface Selection {
  items: string[];
  indicators: string[];
  preset: string;
  from?: string;
  to?: string;
  ou: string;
  level: string;
  by?: string;
}
export interface Favourite { id: string; name: string; selection: Selection; createdAt: string; updatedAt: string }


const iso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());
const toFavourite = (r: { id: string; name: string; selection: unknown; created_at: Date; updated_at: Date }): Favourite =>
  ({ id: r.id, name: r.name, selection: r.selection as Selection, createdAt: iso(r.created_at), updatedAt: iso(r.updated_at) });

function cleanName(name: string): string {
  const n = name.trim();
  if (!n) throw badRequest('Give the favourite a name', 'पसंदीदा को एक नाम दें', { field: 'name' });
  return n;
}

const taken = (name: string) => conflict(
  `You already have a favourite named "${name}"; choose another name or rename that one`,
  `"${name}" नाम का पसंदीदा आपके पास पहले से है; दूसरा नाम चुनें या उसका नाम बदलें`,
  { field: 'name' },
);

/** The place saved must be one the user may read: a favourite cannot carry another area. */
async function checkPlace(db: Db, actor: Actor, s: Selection): Promise<void> {
  if (s.items.length + s.indicators.length === 0) {
    throw badRequest('Choose at least one data item or indicator before saving', 'सहेजने से पहले कम से कम एक डेटा मद या संकेतक चुनें', { field: 'selection.items' });
  }
  const unit = await resolveOrgUnit(db, s.ou, undefined, 'selection.ou');
  requireScope(actor, unit.path, unit.name);
}

export async function listFavourites(db: Db, actor: Actor, limit = 50, offset = 0): Promise<{ items: Favourite[]; total: number; limit: number; offset: number }> {
  requirePermission(actor, 'can_read_data');
  const [rows, count] = await Promise.all([
    db.selectFrom('hmis_analytics_favourites').selectAll().where('user_id', '=', actor.userId)
      .orderBy(sql`lower(name)`).orderBy('id').limit(limit).offset(offset).execute(),
    db.selectFrom('hmis_analytics_favourites').select((eb) => eb.fn.countAll<string>().as('n')).where('user_id', '=', actor.userId).executeTakeFirstOrThrow(),
  ]);
  return { items: rows.map(toFavourite), total: Number(count.n), limit, offset };
}

export async function createFavourite(db: Db, actor: Actor, input: { name: string; selection: Selection }): Promise<Favourite> {
  requirePermission(actor, 'can_read_data');
  const name = cleanName(input.name);
  await checkPlace(db, actor, input.selection);
  try {
    const row = await db.insertInto('hmis_analytics_favourites')
      .values({ id: randomUUID(), user_id: actor.userId, name, selection: JSON.stringify(input.selection) })
      .returningAll().executeTakeFirstOrThrow();
    return toFavourite(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(name);
    throw e;
  }
}

/** Renames (and, when a selection is given, replaces what it shows); only the owner's own favourite. */
export async function updateFavourite(db: Db, actor: Actor, id: string, input: { name?: string; selection?: Selection }): Promise<Favourite> {
  requirePermission(actor, 'can_read_data');
  const name = input.name === undefined ? undefined : cleanName(input.name);
  if (input.selection) await checkPlace(db, actor, input.selection);
  if (name === undefined && !input.selection) throw badRequest('Give a new name or selection', 'नया नाम या चयन दें', { field: 'name' });
  try {
    const row = await db.updateTable('hmis_analytics_favourites')
      .set({
        ...(name !== undefined ? { name } : {}),
        ...(input.selection ? { selection: JSON.stringify(input.selection) } : {}),
        updated_at: sql`now()`,
      })
      .where('id', '=', id).where('user_id', '=', actor.userId)
      .returningAll().executeTakeFirst();
    if (!row) throw notFound('No such favourite of yours', 'आपका ऐसा कोई पसंदीदा नहीं है');
    return toFavourite(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw taken(name ?? '');
    throw e;
  }
}

export async function deleteFavourite(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'can_read_data');
  const r = await db.deleteFrom('hmis_analytics_favourites').where('id', '=', id).where('user_id', '=', actor.userId).executeTakeFirst();
  if (Number(r.numDeletedRows) === 0) throw notFound('No such favourite of yours', 'आपका ऐसा कोई पसंदीदा नहीं है');
}


