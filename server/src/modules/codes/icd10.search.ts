// Searching and naming ICD-10 codes: the built-in list (icd10.catalogue.ts) together with a state's
// own list in the table icd_codes (`swasthya import icd10`), whose titles win for the codes it has.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { builtInKnows, builtInName, fold, searchBuiltIn, words, type IcdEntry } from './icd10.catalogue.js';
import { ICD10_HINDI } from './icd10.hindi.js';

type Db = Kysely<Database>;

/** Code without the dot, upper case: J18.9 → J189. */
export const bare = (code: string) => code.trim().toUpperCase().replace('.', '');
/** J189 → J18.9, as clinicians write it. */
export const dotted = (code: string) => (code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);
const fromRow = (r: { code: string; title: string; title_hi: string | null }): IcdEntry =>
  ({ code: r.code, title: r.title, titleHi: r.title_hi ?? ICD10_HINDI[r.code] ?? null });

/**
 * Codes by code prefix (J18, J18.9) or by words of the English or Hindi title (pneumonia, निमोनिया),
 * best first: a title that starts with the search, then broader codes (categories before subcodes).
 * `more` says whether a next page (offset + limit) has any.
 */
export async function findCodes(db: Db, q: string, limit = 20, offset = 0): Promise<{ items: IcdEntry[]; more: boolean }> {
  const text = q.trim();
  const want = offset + limit + 1;
  const asCode = /^[A-Z]\d/i.test(text);
  const ws = words(text);
  if (!asCode && !ws.length) return { items: [], more: false };
  const start = fold(text);
  const rank = (e: IcdEntry) => (asCode || fold(e.title).startsWith(start) || fold(e.titleHi ?? '').startsWith(start) ? 0 : 1);
  const order = (a: IcdEntry, b: IcdEntry) => rank(a) - rank(b) || a.code.length - b.code.length || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

  let own = db.selectFrom('icd_codes').select(['code', 'title', 'title_hi']);
  own = asCode
    ? own.where('code', 'like', `${escapeLike(bare(text))}%`)
    : own.where((eb) => eb.and(ws.map((w) => eb.or([eb('title', 'ilike', `%${escapeLike(w)}%`), eb('title_hi', 'ilike', `%${escapeLike(w)}%`)]))))
      .orderBy(sql`case when title ilike ${`${escapeLike(text)}%`} then 0 else 1 end`);
  const ownRows = (await own.orderBy(sql`length(code)`).orderBy('code').limit(want).execute()).map(fromRow);

  const builtIn = searchBuiltIn(asCode ? { prefix: bare(text) } : { words: ws }).sort(order).slice(0, want);
  const overridden = builtIn.length
    ? new Map((await db.selectFrom('icd_codes').select(['code', 'title', 'title_hi']).where('code', 'in', builtIn.map((e) => e.code)).execute()).map((r) => [r.code, fromRow(r)]))
    : new Map<string, IcdEntry>();
  const merged = new Map<string, IcdEntry>();
  for (const e of builtIn) merged.set(e.code, overridden.get(e.code) ?? e);
  for (const e of ownRows) merged.set(e.code, e);
  const all = [...merged.values()].sort(order);
  return { items: all.slice(offset, offset + limit).map((e) => ({ ...e, code: dotted(e.code) })), more: all.length > offset + limit };
}

/**
 * The names of codes (bare: J189) that the state's list or the built-in list knows, for checking and
 * showing diagnoses; a code neither knows is left out. A WHO subcode the built-in list lacks is named
 * by its category.
 */
export async function namesOf(db: Db, codes: string[]): Promise<Map<string, { title: string; titleHi: string | null }>> {
  const unique = [...new Set(codes)];
  const own = unique.length ? await db.selectFrom('icd_codes').select(['code', 'title', 'title_hi']).where('code', 'in', unique).execute() : [];
  const names = new Map(own.map((r) => [r.code, { title: r.title, titleHi: fromRow(r).titleHi }]));
  for (const code of unique) {
    if (names.has(code) || !builtInKnows(code)) continue;
    const e = builtInName(code)!;
    names.set(code, { title: e.title, titleHi: e.titleHi });
  }
  return names;
}
