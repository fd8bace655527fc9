// Importing an extract of the state's family register (docs/registers.md). All or nothing: every row
// is checked first (its own fields, then one head per family, each member once, the village known,
// under a gram panchayat and in the caller's area); one refused row and nothing is written, and the
// answer lists every refused row with its line, field and a reason a person can act on.
// Idempotent: the state's family id is unique (families.external_id), so importing the same file
// again updates the families and their members (register member id unique within the family);
// members a family no longer lists are removed from it. Parallel imports of one file meet on those
// constraints: the second waits for the first and then updates what it wrote.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { inTransaction } from '../../db/transaction.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { luhnCheckDigit } from '../patients/patients.identity.js';
import { phoneticKey } from '../patients/patients.names.js';
import { requireRegisterOfficer } from './registers.access.js';
import { CsvFileError, readRegisterCsv, type RegisterRow, type Refusal } from './registers.csv.js';
import { matchMembers, type MatchCounts, type MemberToMatch } from './registers.match.js';

type Db = Kysely<Database>;
export const MAX_REGISTER_BYTES = 20 * 1024 * 1024;
const BATCH = 400;

export interface RegisterImportAnswer {
  families: { added: number; updated: number };
  members: { added: number; updated: number; removed: number };
  matches: MatchCounts;
  panchayats: number;
}

interface Place { id: string; level: string; lgd_code: number | null; name: string; path: string; state_lgd: number | null; parent_id: string | null; parent_level: string | null }

function refusedError(refused: Refusal[], outside: boolean): AppError {
  const first = refused.slice(0, 3).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
  const firstHi = refused.slice(0, 3).map((r) => `पंक्ति ${r.line}: ${r.reasonHi}`).join('; ');
  const en = `${refused.length} row(s) refused, nothing was imported; fix them and send the file again. ${first}`;
  const hi = `${refused.length} पंक्ति(याँ) अस्वीकृत, कुछ भी आयात नहीं हुआ; इन्हें ठीक करके फ़ाइल फिर भेजें। ${firstHi}`;
  return new AppError(outside ? 'forbidden' : 'bad_request', { en, hi }, { rows: refused.slice(0, 1000), refused: refused.length });
}

/** Path prefixes of a materialised path, longest last: `/a/b/` → `/a/`, `/a/b/`. */
const prefixes = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}/`);
};

export async function importRegister(db: Db, actor: Actor, text: string, opts: { file?: string; today?: Date } = {}): Promise<RegisterImportAnswer> {
  requireRegisterOfficer(actor);
  let parsed: ReturnType<typeof readRegisterCsv>;
  try {
    parsed = readRegisterCsv(text, (opts.today ?? new Date()).getUTCFullYear());
  } catch (e) {
    if (e instanceof CsvFileError) throw new AppError('bad_request', { en: `The register was not read: ${e.message}`, hi: `रजिस्टर पढ़ा नहीं जा सका: ${e.message}` });
    throw e;
  }
  const { rows } = parsed;
  const refused = [...parsed.refused];
  if (!rows.length && !refused.length) throw new AppError('bad_request', { en: 'The register has a header but no members', hi: 'रजिस्टर में शीर्ष पंक्ति है पर कोई सदस्य नहीं' });

  // Places: villages (or wards) by LGD code, or by Swasthya's id for places without one.
  const lgds = [...new Set(rows.map((r) => r.villageLgd).filter((x): x is number => x !== null))];
  const ids = [...new Set(rows.map((r) => r.villageId).filter((x): x is string => !!x))];
  const places: Place[] = lgds.length || ids.length ? await db.selectFrom('org_units as u').leftJoin('org_units as p', 'p.id', 'u.parent_id')
    .select(['u.id', 'u.level', 'u.lgd_code', 'u.name', 'u.path', 'u.state_lgd', 'u.parent_id', 'p.level as parent_level'])
    .where('u.level', 'in', ['village', 'panchayat'])
    .where((eb) => eb.or([...(lgds.length ? [eb('u.lgd_code', 'in', lgds)] : []), ...(ids.length ? [eb('u.id', 'in', ids)] : [])]))
    .execute() : [];
  const byLgd = new Map<number, Place>();
  // A village's code before a panchayat's (ward) of the same number.
  for (const p of [...places].sort((a, b) => (a.level === 'village' ? 1 : 0) - (b.level === 'village' ? 1 : 0))) if (p.lgd_code !== null) byLgd.set(p.lgd_code, p);
  const byId = new Map(places.map((p) => [p.id, p]));
  const placeOf = (r: RegisterRow) => (r.villageId ? byId.get(r.villageId) : byLgd.get(r.villageLgd!));
  const districtPaths = new Set<string>();
  if (places.length) {
    const all = [...new Set(places.flatMap((p) => prefixes(p.path)))];
    for (const d of await db.selectFrom('org_units').select('path').where('level', '=', 'district').where('path', 'in', all).execute()) districtPaths.add(d.path);
  }
  const districtOf = (path: string) => prefixes(path).find((x) => districtPaths.has(x)) ?? path;
  let outside = false;

  const families = new Map<string, RegisterRow[]>();
  for (const r of rows) {
    const p = placeOf(r);
    const where = r.villageId ? `village_id ${r.villageId}` : `village_lgd ${r.villageLgd}`;
    if (!p) { refused.push({ line: r.line, field: r.villageId ? 'village_id' : 'village_lgd', reason: `${where} is not a village or ward Swasthya knows; import the LGD village list (swasthya import villages) or correct the code`, reasonHi: `${where} स्वास्थ्य में कोई गाँव या वार्ड नहीं है; LGD गाँव सूची आयात करें या कोड ठीक करें` }); continue; }
    if (!p.path.startsWith(actor.orgPath)) { outside = true; refused.push({ line: r.line, field: 'village_lgd', reason: `${p.name} (${where}) is outside your area; its district's officer imports it`, reasonHi: `${p.name} (${where}) आपके क्षेत्र से बाहर है; उसके ज़िले के अधिकारी आयात करें` }); continue; }
    if (p.level === 'village' && p.parent_level !== 'panchayat') { refused.push({ line: r.line, field: 'village_lgd', reason: `${p.name} (${where}) is not under a gram panchayat yet; import the village–panchayat mapping first (swasthya import panchayats)`, reasonHi: `${p.name} (${where}) अभी किसी ग्राम पंचायत के अंतर्गत नहीं है; पहले गाँव–पंचायत मैपिंग आयात करें (swasthya import panchayats)` }); continue; }
    families.set(r.familyId, [...(families.get(r.familyId) ?? []), r]);
  }
  for (const [fid, members] of families) {
    const heads = members.filter((m) => m.relation === 'head');
    if (heads.length !== 1) refused.push({ line: members[0].line, field: 'relation', reason: `family ${fid} has ${heads.length} heads; exactly one member has relation head`, reasonHi: `परिवार ${fid} में ${heads.length} मुखिया हैं; ठीक एक सदस्य का संबंध head हो` });
    const seen = new Map<string, number>();
    for (const m of members) {
      if (seen.has(m.memberId)) refused.push({ line: m.line, field: 'member_id', reason: `member ${m.memberId} of family ${fid} is listed twice (also line ${seen.get(m.memberId)}); keep one row`, reasonHi: `परिवार ${fid} का सदस्य ${m.memberId} दो बार है (पंक्ति ${seen.get(m.memberId)} भी); एक पंक्ति रखें` });
      seen.set(m.memberId, m.line);
    }
  }
  // A family id already registered elsewhere is not the caller's to change.
  const fids = [...families.keys()];
  for (let i = 0; i < fids.length; i += BATCH) {
    for (const f of await db.selectFrom('families').select(['external_id', 'home_path']).where('external_id', 'in', fids.slice(i, i + BATCH)).execute()) {
      if (!f.home_path.startsWith(actor.orgPath)) {
        outside = true;
        refused.push({ line: families.get(f.external_id!)![0].line, field: 'family_id', reason: `family ${f.external_id} is registered in another area; its officer updates it`, reasonHi: `परिवार ${f.external_id} दूसरे क्षेत्र में पंजीकृत है; वहीं के अधिकारी इसे बदलें` });
      }
    }
  }
  if (refused.length) throw refusedError(refused.sort((a, b) => a.line - b.line), outside);

  return inTransaction(db, async (trx) => {
    const answer: RegisterImportAnswer = { families: { added: 0, updated: 0 }, members: { added: 0, updated: 0, removed: 0 }, matches: { linked: 0, review: 0, none: 0 }, panchayats: 0 };
    const panchayats = new Set<string>();
    const now = new Date();
    // In the order of the family id, so that parallel imports lock the same rows in the same order.
    const order = [...families.keys()].sort();
    for (let i = 0; i < order.length; i += BATCH) {
      const chunk = order.slice(i, i + BATCH);
      const serials = (await sql<{ n: string }>`select nextval('family_number_seq')::text as n from generate_series(1, ${chunk.length})`.execute(trx)).rows;
      const values = chunk.map((fid, j) => {
        const members = families.get(fid)!;
        const head = members.find((m) => m.relation === 'head')!;
        const home = placeOf(head)!;
        const panchayat = home.level === 'panchayat' ? home.id : home.parent_id!;
        panchayats.add(panchayat);
        const digits = `${String(home.state_lgd ?? 0).padStart(2, '0')}${serials[j].n.padStart(8, '0')}`;
        return {
          id: uid(), family_number: `F${digits}${luhnCheckDigit(digits)}`, external_id: fid, head_patient_id: null, home_id: home.id, home_path: home.path,
          address_line: home.name, created_by: actor.username, state_lgd: home.state_lgd, panchayat_id: panchayat,
          category: members.find((m) => m.category)?.category ?? null, source: 'register' as const, imported_at: now,
        };
      });
      const stored = await trx.insertInto('families').values(values)
        .onConflict((oc) => oc.column('external_id').doUpdateSet((eb) => ({
          home_id: eb.ref('excluded.home_id'), home_path: eb.ref('excluded.home_path'), state_lgd: eb.ref('excluded.state_lgd'), panchayat_id: eb.ref('excluded.panchayat_id'),
          category: eb.ref('excluded.category'), source: 'register', imported_at: now, updated_at: now,
        })))
        .returning(['id', 'external_id', sql<boolean>`xmax = 0`.as('inserted')]).execute();
      const familyOf = new Map(stored.map((f) => [f.external_id!, f.id]));
      for (const f of stored) answer.families[f.inserted ? 'added' : 'updated']++;

      const memberRows = chunk.flatMap((fid) => families.get(fid)!.sort((a, b) => a.memberId.localeCompare(b.memberId)).map((m) => ({
        id: uid(), family_id: familyOf.get(fid)!, member_id: m.memberId, name: m.name, name_hi: m.nameHi, name_key: phoneticKey(m.name), relation: m.relation, sex: m.sex,
        birth_year: m.birthYear, birth_date: m.birthDate, village_id: placeOf(m)!.id, abha_number: m.abhaNumber, mobile: m.mobile,
      })));
      const keys = memberRows.map((m) => `${m.family_id}|${m.member_id}`);
      const removed = await sql`delete from register_members where family_id = any(${[...familyOf.values()]}::text[]) and not ((family_id || '|' || member_id) = any(${keys}::text[]))`.execute(trx);
      answer.members.removed += Number(removed.numAffectedRows ?? 0);
      const toMatch: MemberToMatch[] = [];
      for (let k = 0; k < memberRows.length; k += BATCH) {
        const part = memberRows.slice(k, k + BATCH);
        const saved = await trx.insertInto('register_members').values(part)
          .onConflict((oc) => oc.columns(['family_id', 'member_id']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'), name_hi: eb.ref('excluded.name_hi'), name_key: eb.ref('excluded.name_key'), relation: eb.ref('excluded.relation'), sex: eb.ref('excluded.sex'),
            birth_year: eb.ref('excluded.birth_year'), birth_date: eb.ref('excluded.birth_date'), village_id: eb.ref('excluded.village_id'), abha_number: eb.ref('excluded.abha_number'),
            mobile: eb.ref('excluded.mobile'), updated_at: now,
          })))
          .returning(['id', 'family_id', 'member_id', 'match_status', sql<boolean>`xmax = 0`.as('inserted')]).execute();
        const byKey = new Map(part.map((m) => [`${m.family_id}|${m.member_id}`, m]));
        for (const s of saved) {
          answer.members[s.inserted ? 'added' : 'updated']++;
          // Decided links and rejections stand; the rest is matched (again: new patients may have registered).
          if (s.match_status !== 'none' && s.match_status !== 'review') continue;
          const m = byKey.get(`${s.family_id}|${s.member_id}`)!;
          toMatch.push({ id: s.id, familyId: s.family_id, relation: m.relation, name: m.name, nameHi: m.name_hi, sex: m.sex, birthYear: m.birth_year, abhaNumber: m.abha_number, districtPath: districtOf(byId.get(m.village_id)!.path) });
        }
      }
      // Each family's number of members, for the figures by panchayat (read from an index that holds it).
      await sql`update families f set member_count = (select count(*)::int from register_members m where m.family_id = f.id) where f.id = any(${[...familyOf.values()]}::text[])`.execute(trx);
      const c = await matchMembers(trx, actor, toMatch);
      answer.matches.linked += c.linked; answer.matches.review += c.review; answer.matches.none += c.none;
    }
    answer.panchayats = panchayats.size;
    await recordAudit(trx, actor, { action: 'import', entity: 'family_register', orgPath: actor.orgPath, after: { file: opts.file ?? null, ...answer } });
    return answer;
  });
}
