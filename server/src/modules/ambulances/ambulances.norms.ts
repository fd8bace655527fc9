// Population norms (issue 12, part 1): the National Ambulance Service norm is one BLS ambulance per
// 1 lakh people and one ALS ambulance per 5 lakh. Population by district is entered (PUT) or
// imported (CSV) by the state (can_manage_population); GET …/norms shows, per district of a state,
// the population of its latest year, the vehicles based there (108 and 102 alike: every BLS vehicle
// counts towards the BLS norm and every ALS towards the ALS norm; PTVs are patient transport and
// count towards neither), what the norm requires and the gap. A district without a population says so
// (population null) rather than pretending to need nothing.
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { requireFleetRead } from './ambulances.crew.js';

type Db = Kysely<Database>;

/** People per vehicle in the National Ambulance Service norm. */
export const NORM = { blsPer: 100_000, alsPer: 500_000 } as const;
export const MAX_POPULATION = 500_000_000;
export const MAX_IMPORT_ROWS = 2_000;
export const MAX_IMPORT_BYTES = 256 * 1024;
const thisYear = () => new Date().getUTCFullYear();

interface District { id: string; lgd_code: number | null; name: string; name_hi: string | null; path: string }

async function districtByRef(db: Db, ref: string | number): Promise<District | undefined> {
  const text = String(ref).trim();
  let q = db.selectFrom('org_units').select(['id', 'lgd_code', 'name', 'name_hi', 'path']).where('level', '=', 'district');
  q = /^\d{1,9}$/.test(text) ? q.where('lgd_code', '=', Number(text)) : q.where('id', '=', text);
  return q.executeTakeFirst();
}

function checkNumbers(population: number, year: number): { field: string; en: string; hi: string } | null {
  if (!Number.isInteger(population) || population < 1 || population > MAX_POPULATION) {
    return { field: 'population', en: `population must be a whole number of people from 1 to ${MAX_POPULATION}`, hi: `जनसंख्या 1 से ${MAX_POPULATION} तक की पूर्ण संख्या हो` };
  }
  if (!Number.isInteger(year) || year < 1951 || year > thisYear() + 10) {
    return { field: 'year', en: `year must be from 1951 to ${thisYear() + 10} (a census or a projection)`, hi: `वर्ष 1951 से ${thisYear() + 10} तक हो (जनगणना या अनुमान)` };
  }
  return null;
}

export interface PopulationInput { districtId: string | number; population: number; year: number }

/** One district's population for a year (a second entry for the same year replaces the first). */
export async function setPopulation(db: Db, actor: Actor, input: PopulationInput) {
  requirePermission(actor, 'can_manage_population');
  const d = await districtByRef(db, input.districtId);
  if (!d) throw badRequest(`No district has id or LGD code ${input.districtId}`, `आईडी या LGD कोड ${input.districtId} वाला कोई जिला नहीं है`, { field: 'districtId' });
  if (!d.path.startsWith(actor.orgPath)) throw forbidden(`District ${d.name} is outside your area`, `जिला ${d.name} आपके क्षेत्र से बाहर है`);
  const bad = checkNumbers(input.population, input.year);
  if (bad) throw badRequest(bad.en, bad.hi, { field: bad.field });
  await db.insertInto('district_populations')
    .values({ district_id: d.id, year: input.year, population: input.population, source: 'entry', set_by: actor.userId })
    .onConflict((oc) => oc.columns(['district_id', 'year']).doUpdateSet({ population: input.population, source: 'entry', set_by: actor.userId, set_at: sql`now()` }))
    .execute();
  await recordAudit(db, actor, { action: 'update', entity: 'district_population', entityId: d.id, orgPath: d.path, after: { year: input.year, population: input.population } });
  return { districtId: d.id, lgdCode: d.lgd_code, name: d.name, population: input.population, year: input.year };
}

class Refused extends Error {
  constructor(readonly rows: { line: number; reason: string; outside?: boolean }[]) { super('refused'); }
}

/** Splits one CSV line (commas; double quotes around a field allowed). */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (c === '"') quoted = false; else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(cur); cur = ''; } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

/**
 * `district_lgd_code,population,year` (a header line first). All or nothing: one refused row and
 * nothing is stored; every refused row is named by its line. Run inside a transaction.
 */
export async function importPopulation(db: Db, actor: Actor, body: unknown) {
  requirePermission(actor, 'can_manage_population');
  if (!Buffer.isBuffer(body) && typeof body !== 'string') {
    throw new AppError('unsupported_media_type', {
      en: 'Send the CSV file itself as the body, with Content-Type text/csv (district_lgd_code,population,year)',
      hi: 'CSV फ़ाइल ही भेजें (Content-Type text/csv): district_lgd_code,population,year',
    });
  }
  const text = (Buffer.isBuffer(body) ? body.toString('utf8') : body).replace(/^\uFEFF/, '');
  if (text.includes('\u0000')) throw badRequest('The file has a NUL character; send the CSV as text', 'फ़ाइल में NUL अक्षर है; CSV टेक्स्ट के रूप में भेजें', { field: 'file' });
  const lines = text.split(/\r?\n/).map((l, i) => ({ n: i + 1, l })).filter((x) => x.l.trim() !== '');
  const header = lines.shift();
  const cols = header ? cells(header.l).map((c) => c.toLowerCase()) : [];
  const at = { code: cols.indexOf('district_lgd_code'), population: cols.indexOf('population'), year: cols.indexOf('year') };
  if (at.code < 0 || at.population < 0 || at.year < 0) {
    throw badRequest('The first line must name the columns district_lgd_code,population,year', 'पहली पंक्ति में कॉलम के नाम हों: district_lgd_code,population,year', { field: 'file' });
  }
  if (lines.length === 0) throw badRequest('The file has no rows after its header', 'फ़ाइल में शीर्ष पंक्ति के बाद कोई पंक्ति नहीं है', { field: 'file' });
  if (lines.length > MAX_IMPORT_ROWS) throw badRequest(`At most ${MAX_IMPORT_ROWS} rows at once`, `एक बार में अधिकतम ${MAX_IMPORT_ROWS} पंक्तियाँ`, { field: 'file' });

  const codes = [...new Set(lines.map((x) => cells(x.l)[at.code]).filter((c) => /^\d{1,9}$/.test(c ?? '')).map(Number))];
  const districts = new Map<number, District>();
  if (codes.length) {
    const rows = await db.selectFrom('org_units').select(['id', 'lgd_code', 'name', 'name_hi', 'path']).where('level', '=', 'district').where('lgd_code', 'in', codes).execute();
    for (const r of rows) districts.set(r.lgd_code!, r);
  }
  const refused: { line: number; reason: string; outside?: boolean }[] = [];
  const rows: { district_id: string; year: number; population: number; source: 'import'; set_by: string }[] = [];
  const seen = new Set<string>();
  for (const { n, l } of lines) {
    const c = cells(l);
    const code = c[at.code] ?? '';
    const d = /^\d{1,9}$/.test(code) ? districts.get(Number(code)) : undefined;
    if (!d) { refused.push({ line: n, reason: `no district has LGD code "${code.slice(0, 20)}"` }); continue; }
    if (!d.path.startsWith(actor.orgPath)) { refused.push({ line: n, reason: `district ${d.name} (${code}) is outside your area`, outside: true }); continue; }
    const pop = (c[at.population] ?? '').replace(/[,\s]/g, '');
    const yr = c[at.year] ?? '';
    if (!/^\d{1,10}$/.test(pop)) { refused.push({ line: n, reason: `population "${pop.slice(0, 20)}" is not a whole number` }); continue; }
    if (!/^\d{4}$/.test(yr)) { refused.push({ line: n, reason: `year "${yr.slice(0, 20)}" is not a year like 2011` }); continue; }
    const bad = checkNumbers(Number(pop), Number(yr));
    if (bad) { refused.push({ line: n, reason: bad.en }); continue; }
    const key = `${d.id} ${yr}`;
    if (seen.has(key)) { refused.push({ line: n, reason: `district ${d.name} (${code}) is given twice for ${yr}` }); continue; }
    seen.add(key);
    rows.push({ district_id: d.id, year: Number(yr), population: Number(pop), source: 'import', set_by: actor.userId });
  }
  if (refused.length) {
    const list = refused.slice(0, 1000).map(({ line, reason }) => ({ line, reason }));
    const outside = refused.filter((r) => r.outside);
    if (outside.length) {
      throw new AppError('forbidden', {
        en: `${outside.length} row${outside.length === 1 ? '' : 's'} name a district outside your area (line ${outside[0].line}); nothing was imported`,
        hi: `${outside.length} पंक्तियाँ आपके क्षेत्र से बाहर का जिला बताती हैं (पंक्ति ${outside[0].line}); कुछ भी आयात नहीं हुआ`,
      }, { rows: list, refused: refused.length });
    }
    const first = refused.slice(0, 5).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
    throw badRequest(
      `${refused.length} row${refused.length === 1 ? '' : 's'} refused, nothing was imported (${first}${refused.length > 5 ? '; …' : ''}). Fix these rows and send the file again.`,
      `${refused.length} पंक्तियाँ अस्वीकृत, कुछ भी आयात नहीं हुआ (${first}${refused.length > 5 ? '; …' : ''})। इन पंक्तियों को ठीक करके फ़ाइल फिर भेजें।`,
      { field: 'file', rows: list, refused: refused.length },
    );
  }
  for (let i = 0; i < rows.length; i += 500) {
    await db.insertInto('district_populations').values(rows.slice(i, i + 500))
      .onConflict((oc) => oc.columns(['district_id', 'year']).doUpdateSet({ population: sql`excluded.population`, source: 'import', set_by: actor.userId, set_at: sql`now()` }))
      .execute();
  }
  await recordAudit(db, actor, { action: 'import', entity: 'district_population', orgPath: actor.orgPath, after: { rows: rows.length } });
  return { imported: rows.length };
}

/** Vehicles against the norm, per district of a state (the caller's state when not given), within the caller's area. */
export async function norms(db: Db, actor: Actor, stateLgd?: number) {
  requireFleetRead(actor);
  let state: { id: string; lgd_code: number | null; name: string; name_hi: string | null; path: string } | undefined;
  if (stateLgd !== undefined) {
    state = await db.selectFrom('org_units').select(['id', 'lgd_code', 'name', 'name_hi', 'path']).where('level', '=', 'state').where('lgd_code', '=', stateLgd).executeTakeFirst();
    if (!state) throw notFound(`No state has LGD code ${stateLgd}`, `LGD कोड ${stateLgd} वाला कोई राज्य नहीं है`);
  } else {
    // The caller's own state: the state whose path starts the caller's.
    state = await db.selectFrom('org_units').select(['id', 'lgd_code', 'name', 'name_hi', 'path']).where('level', '=', 'state')
      .where(sql<string>`${actor.orgPath}`, 'like', sql<string>`path || '%'`).executeTakeFirst();
    if (!state) throw badRequest('Choose a state: state=<LGD code>', 'राज्य चुनें: state=<LGD कोड>', { field: 'state' });
  }
  // All the state's districts for the state's people; only the caller's own district for a district's.
  let within: string;
  if (state.path.startsWith(actor.orgPath)) within = state.path;
  else if (actor.orgPath.startsWith(state.path)) within = actor.orgPath;
  else throw forbidden(`${state.name} is outside your area`, `${state.name} आपके क्षेत्र से बाहर है`);

  const districts = await db.selectFrom('org_units as d').select(['d.id', 'd.lgd_code', 'd.name', 'd.name_hi', 'd.path'])
    .where('d.level', '=', 'district').where('d.path', 'like', `${state.path}%`)
    .where((eb) => eb.or([eb('d.path', 'like', `${within}%`), eb(sql<string>`${within}`, 'like', sql<string>`d.path || '%'`)]))
    .orderBy('d.name').execute();
  const ids = districts.map((d) => d.id);
  const pops = new Map<string, { population: number; year: number }>();
  const fleet = new Map<string, { bls: number; als: number; ptv: number; offRoad: number; service108: number; service102: number }>();
  if (ids.length) {
    const p = await db.selectFrom('district_populations').select(['district_id', 'population', 'year'])
      .distinctOn('district_id').where('district_id', 'in', ids).orderBy('district_id').orderBy('year', 'desc').execute();
    for (const r of p) pops.set(r.district_id, { population: r.population, year: r.year });
    const v = await db.selectFrom('ambulances as a').innerJoin('org_units as f', 'f.id', 'a.base_facility_id')
      .innerJoin('org_units as d', (j) => j.on('d.level', '=', 'district').on(sql<boolean>`f.path like d.path || '%'`))
      .select((eb) => [
        'd.id as district_id',
        eb.fn.countAll<string>().filterWhere('a.kind', '=', 'BLS').as('bls'),
        eb.fn.countAll<string>().filterWhere('a.kind', '=', 'ALS').as('als'),
        eb.fn.countAll<string>().filterWhere('a.kind', '=', 'PTV').as('ptv'),
        eb.fn.countAll<string>().filterWhere('a.status', '=', 'off_road').as('off_road'),
        eb.fn.countAll<string>().filterWhere('a.service', '=', '108').as('s108'),
        eb.fn.countAll<string>().filterWhere('a.service', '=', '102').as('s102'),
      ])
      .where('d.id', 'in', ids).where('f.path', 'like', `${state.path}%`).groupBy('d.id').execute();
    for (const r of v) fleet.set(r.district_id, { bls: Number(r.bls), als: Number(r.als), ptv: Number(r.ptv), offRoad: Number(r.off_road), service108: Number(r.s108), service102: Number(r.s102) });
  }
  const items = districts.map((d) => {
    const pop = pops.get(d.id) ?? null;
    const vehicles = fleet.get(d.id) ?? { bls: 0, als: 0, ptv: 0, offRoad: 0, service108: 0, service102: 0 };
    const required = pop ? { bls: Math.ceil(pop.population / NORM.blsPer), als: Math.ceil(pop.population / NORM.alsPer) } : null;
    return {
      districtId: d.id, lgdCode: d.lgd_code, name: d.name, nameHi: d.name_hi,
      population: pop?.population ?? null, year: pop?.year ?? null, vehicles, required,
      gap: required ? { bls: Math.max(0, required.bls - vehicles.bls), als: Math.max(0, required.als - vehicles.als) } : null,
    };
  });
  return { state: { id: state.id, lgdCode: state.lgd_code, name: state.name, nameHi: state.name_hi }, norm: NORM, items };
}

// ── HTTP ──────────────────────────────────────────────────────────────────────────────────────

const tags = ['ambulances'];
const Counts = Type.Object({ bls: Type.Integer(), als: Type.Integer() });
const NormsAnswer = Type.Object({
  state: Type.Object({ id: Type.String(), lgdCode: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]) }),
  norm: Type.Object({ blsPer: Type.Integer(), alsPer: Type.Integer() }),
  items: Type.Array(Type.Object({
    districtId: Type.String(), lgdCode: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]),
    population: Type.Union([Type.Integer(), Type.Null()]), year: Type.Union([Type.Integer(), Type.Null()]),
    vehicles: Type.Object({ bls: Type.Integer(), als: Type.Integer(), ptv: Type.Integer(), offRoad: Type.Integer(), service108: Type.Integer(), service102: Type.Integer() }),
    required: Type.Union([Counts, Type.Null()]), gap: Type.Union([Counts, Type.Null()]),
  })),
});
const PopulationBody = Type.Object({
  districtId: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 1, maximum: 999999999 })], { description: 'the district\'s org unit id or LGD code' }),
  population: Type.Integer({ minimum: 1, maximum: MAX_POPULATION }),
  year: Type.Integer({ minimum: 1951, maximum: 2100 }),
}, { additionalProperties: false });

export function normRoutes(app: FastifyInstance, db: Db): void {
  // Register in a scope of its own: the CSV body is read as bytes here only.
  for (const type of ['text/csv', 'application/csv', 'text/plain']) {
    app.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES }, (_req, body, done) => done(null, body));
  }
  app.get('/api/ambulances/norms', {
    schema: {
      tags, summary: 'Per district of a state: population (latest year), BLS and ALS vehicles based there, what the National Ambulance Service norm requires (1 BLS per 1 lakh, 1 ALS per 5 lakh) and the gap',
      querystring: Type.Object({ state: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'state LGD code; the caller\'s own state when left out' })) }, { additionalProperties: false }),
      response: { 200: NormsAnswer, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => norms(db, actorOf(request), (request.query as { state?: number }).state));

  app.put('/api/ambulances/norms/population', {
    schema: {
      tags, summary: 'A district\'s population for a year (state officers, admin), for the ambulance norms',
      body: PopulationBody,
      response: { 200: Type.Object({ districtId: Type.String(), lgdCode: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), population: Type.Integer(), year: Type.Integer() }), 400: ErrorBody, 403: ErrorBody },
    },
  }, async (request) => db.transaction().execute((trx) => setPopulation(trx, actorOf(request), request.body as PopulationInput)));

  app.post('/api/ambulances/norms/population/import', {
    bodyLimit: MAX_IMPORT_BYTES,
    schema: {
      tags, summary: 'Populations by district from CSV (district_lgd_code,population,year); all or nothing, every refused row named by its line',
      response: { 200: Type.Object({ imported: Type.Integer() }), 400: ErrorBody, 403: ErrorBody, 413: ErrorBody, 415: ErrorBody },
    },
  }, async (request) => db.transaction().execute((trx) => importPopulation(trx, actorOf(request), request.body)));
}
