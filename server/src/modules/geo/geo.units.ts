/**
 * Blocks, panchayats and villages one at a time, from the Places screen: a page of a unit's places
 * with their counts (or a search by name in either script), adding one under a parent, renaming one
 * or correcting its LGD code. A district officer works inside their district, an admin anywhere in
 * their area; a name repeated under the same parent, or an LGD code another unit of the level has,
 * is a 409, whichever of two parallel requests comes second.
 */
import type { Kysely } from 'kysely';
import type { Database, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, fieldErrors, forbidden, type FieldProblem } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { isUniqueViolation } from '../../platform/races.js';
import * as repo from './geo.repository.js';
import { DEVANAGARI } from './geo.places.js';
import { DEFAULT_LEVEL_ORDER, resolveOrgUnit, toDto, type OrgUnitDto } from './geo.service.js';

type Db = Kysely<Database>;
export type PlaceLevel = 'block' | 'panchayat' | 'village';
export const PLACE_LEVELS: PlaceLevel[] = ['block', 'panchayat', 'village'];

/** What may be added under a unit of each level (LGD's village–block mapping puts villages under blocks). */
export const CHILD_LEVELS: Partial<Record<OrgUnitLevel, PlaceLevel[]>> = {
  district: ['block', 'village'],
  block: ['panchayat', 'village'],
  panchayat: ['village'],
};

const LEVEL_HI: Record<string, string> = { block: 'ब्लॉक', panchayat: 'पंचायत', village: 'गाँव', district: 'जिला', state: 'राज्य' };

export interface PlaceDto extends OrgUnitDto { code: string | null; childCount: number }
export interface PlacePage { unit: PlaceDto; ancestors: OrgUnitDto[]; items: PlaceDto[]; total: number; offset: number; limit: number; canAdd: PlaceLevel[] }

const placeDto = (r: OrgUnitRow, childCount: number): PlaceDto => ({ ...toDto(r), code: r.code, childCount });

/** The unit, its ancestors (state first) and a page of its places, or of the places under it named like `q`. */
export async function listPlaces(db: Db, actor: Actor, ref: string, opts: { q?: string; offset?: number; limit?: number }): Promise<PlacePage> {
  requirePermission(actor, 'can_read_geo');
  const unit = await resolveOrgUnit(db, ref, DEFAULT_LEVEL_ORDER, 'code');
  const offset = opts.offset ?? 0;
  const limit = opts.limit ?? 50;
  const q = opts.q?.trim() || undefined;
  const page = await repo.pageUnits(db, unit, { q, offset, limit });
  const ids = unit.path.split('/').filter((id) => id && id !== unit.id);
  const chain = await repo.findManyByIds(db, ids);
  const ancestors = ids.map((id) => chain.find((u) => u.id === id)).filter((u): u is OrgUnitRow => !!u && u.level !== 'country').map(toDto);
  const own = await repo.pageUnits(db, unit, { offset: 0, limit: 0 });
  const mayAdd = actor.permissions.has('can_update_geo') && unit.path.startsWith(actor.orgPath);
  return {
    unit: placeDto(unit, own.total),
    ancestors,
    items: page.items.map((r) => placeDto(r, r.child_count)),
    total: page.total,
    offset,
    limit,
    canAdd: mayAdd ? CHILD_LEVELS[unit.level] ?? [] : [],
  };
}

export interface NewPlace { parent: string; level: PlaceLevel; name: string; nameHi?: string | null; lgdCode?: number | null; code?: string | null }
export interface PlaceChange { name?: string; nameHi?: string | null; lgdCode?: number | null; code?: string | null }

/** Checks names and codes, and says every problem at once. */
function checkFields(body: PlaceChange): { name?: string; nameHi?: string | null; code?: string | null } {
  const problems: FieldProblem[] = [];
  const out: { name?: string; nameHi?: string | null; code?: string | null } = {};
  if (body.name !== undefined) {
    const name = body.name.trim().replace(/\s+/g, ' ');
    if (!name) problems.push({ field: 'name', message: 'Give the name in English', messageHi: 'नाम अंग्रेज़ी में लिखें' });
    else if (/[\u0000-\u001f\u007f]/.test(name)) problems.push({ field: 'name', message: 'The name holds a control character; type it again', messageHi: 'नाम में एक नियंत्रण वर्ण है; इसे फिर से लिखें' });
    else if (DEVANAGARI.test(name)) problems.push({ field: 'name', message: 'Write the English name in Latin letters; the Hindi name has its own field', messageHi: 'अंग्रेज़ी नाम रोमन अक्षरों में लिखें; हिंदी नाम का अलग खाना है' });
    out.name = name;
  }
  if (body.nameHi !== undefined) {
    const hi = body.nameHi === null ? '' : body.nameHi.trim().replace(/\s+/g, ' ');
    if (hi && (/[\u0000-\u001f\u007f]/.test(hi) || !DEVANAGARI.test(hi))) {
      problems.push({ field: 'nameHi', message: 'Write the Hindi name in Devanagari (देवनागरी), or leave it empty', messageHi: 'हिंदी नाम देवनागरी में लिखें, या खाली छोड़ें' });
    }
    out.nameHi = hi || null;
  }
  if (body.code !== undefined) {
    const code = body.code === null ? '' : body.code.trim();
    if (code && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/.test(code)) {
      problems.push({ field: 'code', message: 'A code is letters, digits, dot, dash or underscore (up to 40)', messageHi: 'कोड में अक्षर, अंक, बिंदु, डैश या अंडरस्कोर हों (40 तक)' });
    } else if (/^\d+$/.test(code)) {
      problems.push({ field: 'code', message: 'A code of digits only reads as an LGD code; put it in the LGD code field', messageHi: 'केवल अंकों वाला कोड LGD कोड है; उसे LGD कोड के खाने में लिखें' });
    }
    out.code = code || null;
  }
  if (problems.length) throw fieldErrors(problems);
  return out;
}

const nameTaken = (name: string, parent: OrgUnitRow, level: string) => conflict(
  `A ${level} named "${name}" is already under ${parent.name}; give another name or open that one`,
  `${parent.name_hi ?? parent.name} में "${name}" नाम का ${LEVEL_HI[level] ?? level} पहले से है; दूसरा नाम दें या उसी को खोलें`,
  { field: 'name' },
);
const lgdTaken = (code: number, level: string, other?: OrgUnitRow) => conflict(
  `LGD code ${code} already belongs to the ${level} ${other ? `"${other.name}"` : 'saved a moment ago'}; check the code`,
  `LGD कोड ${code} पहले से ${other ? `"${other.name_hi ?? other.name}"` : 'किसी और'} ${LEVEL_HI[level] ?? level} का है; कोड जाँचें`,
  { field: 'lgdCode' },
);
const codeTaken = (code: string) => conflict(`Code ${code} already belongs to another unit`, `कोड ${code} पहले से किसी और इकाई का है`, { field: 'code' });

/** A unique violation from a parallel request, as the 409 it stands for. */
function raceOf(e: unknown, name: string | undefined, parent: OrgUnitRow, level: string, lgd: number | null | undefined, code: string | null | undefined): unknown {
  if (!isUniqueViolation(e)) return e;
  const c = (e as { constraint?: string }).constraint;
  if (c === 'org_units_level_lgd' && lgd) return lgdTaken(lgd, level);
  if (c === 'org_units_code_key' && code) return codeTaken(code);
  if (name) return nameTaken(name, parent, level);
  return e;
}

async function placeForChange(db: Db, actor: Actor, ref: string): Promise<OrgUnitRow> {
  const unit = await resolveOrgUnit(db, ref, ['block', 'panchayat', 'village'], 'code');
  requireScope(actor, unit.path, unit.name);
  if (!(PLACE_LEVELS as string[]).includes(unit.level)) {
    throw new AppError('forbidden', {
      en: `${unit.name} is a ${unit.level}; states and districts come from LGD and are not changed here`,
      hi: `${unit.name_hi ?? unit.name} एक ${LEVEL_HI[unit.level] ?? unit.level} है; राज्य और जिले LGD से आते हैं, यहाँ नहीं बदलते`,
    });
  }
  return unit;
}

export async function addPlace(db: Db, actor: Actor, body: NewPlace): Promise<PlaceDto> {
  requirePermission(actor, 'can_update_geo');
  const parent = await resolveOrgUnit(db, body.parent, ['district', 'block', 'panchayat'], 'parent');
  if (!parent.path.startsWith(actor.orgPath)) throw forbidden(`${parent.name} is outside your area`, `${parent.name_hi ?? parent.name} आपके क्षेत्र से बाहर है`);
  const allowed = CHILD_LEVELS[parent.level] ?? [];
  if (!allowed.includes(body.level)) {
    throw badRequest(
      allowed.length
        ? `A ${body.level} cannot be added under the ${parent.level} ${parent.name}; under a ${parent.level} add a ${allowed.join(' or ')}`
        : `Nothing is added under the ${parent.level} ${parent.name}; choose a district, block or panchayat`,
      allowed.length
        ? `${parent.name_hi ?? parent.name} (${LEVEL_HI[parent.level] ?? parent.level}) में ${LEVEL_HI[body.level]} नहीं जोड़ा जा सकता; यहाँ ${allowed.map((l) => LEVEL_HI[l]).join(' या ')} जोड़ें`
        : `${parent.name_hi ?? parent.name} के नीचे कुछ नहीं जोड़ा जाता; जिला, ब्लॉक या पंचायत चुनें`,
      { field: 'level' },
    );
  }
  const f = checkFields({ name: body.name, nameHi: body.nameHi ?? null, code: body.code ?? null });
  const name = f.name!;
  const lgd = body.lgdCode ?? null;
  try {
    return await db.transaction().execute(async (trx) => {
      // Adds under one parent take turns, so the name check below cannot be raced (the unique index
      // holds the same rule for units without an LGD code in any case).
      await repo.lockUnit(trx, parent.id);
      if (await repo.siblingNamed(trx, parent.id, body.level, name)) throw nameTaken(name, parent, body.level);
      if (lgd !== null) {
        const [other] = await repo.findByLgd(trx, lgd, [body.level]);
        if (other) throw lgdTaken(lgd, body.level, other);
      }
      if (f.code && await repo.findByCode(trx, f.code)) throw codeTaken(f.code);
      const id = uid();
      const row = { id, level: body.level, lgd_code: lgd, code: f.code ?? null, name, name_hi: f.nameHi ?? null, parent_id: parent.id, path: `${parent.path}${id}/`, state_lgd: parent.state_lgd };
      await repo.insertUnits(trx, [row]);
      await recordAudit(trx, actor, { action: 'create', entity: 'org_unit', entityId: id, orgPath: row.path, after: { level: row.level, name, nameHi: row.name_hi, lgdCode: lgd, code: row.code, parent: parent.id } });
      return placeDto((await repo.findById(trx, id))!, 0);
    });
  } catch (e) {
    throw raceOf(e, name, parent, body.level, lgd, f.code);
  }
}

export async function changePlace(db: Db, actor: Actor, ref: string, body: PlaceChange): Promise<PlaceDto> {
  requirePermission(actor, 'can_update_geo');
  const unit = await placeForChange(db, actor, ref);
  const f = checkFields(body);
  if (f.name === undefined && f.nameHi === undefined && body.lgdCode === undefined && f.code === undefined) {
    throw badRequest('Send what to change: name, nameHi, lgdCode or code', 'क्या बदलना है भेजें: name, nameHi, lgdCode या code');
  }
  const parent = (await repo.findById(db, unit.parent_id!))!;
  try {
    return await db.transaction().execute(async (trx) => {
      await repo.lockUnit(trx, parent.id);
      const current = (await repo.findById(trx, unit.id))!;
      if (f.name !== undefined && f.name.toLowerCase() !== current.name.trim().toLowerCase() && await repo.siblingNamed(trx, parent.id, unit.level, f.name, unit.id)) {
        throw nameTaken(f.name, parent, unit.level);
      }
      if (body.lgdCode !== undefined && body.lgdCode !== null && body.lgdCode !== current.lgd_code) {
        const [other] = await repo.findByLgd(trx, body.lgdCode, [unit.level]);
        if (other && other.id !== unit.id) throw lgdTaken(body.lgdCode, unit.level, other);
      }
      if (f.code && f.code !== current.code) {
        const other = await repo.findByCode(trx, f.code);
        if (other && other.id !== unit.id) throw codeTaken(f.code);
      }
      const set = {
        ...(f.name !== undefined ? { name: f.name } : {}),
        ...(f.nameHi !== undefined ? { name_hi: f.nameHi } : {}),
        ...(body.lgdCode !== undefined ? { lgd_code: body.lgdCode } : {}),
        ...(f.code !== undefined ? { code: f.code } : {}),
      };
      const after = await repo.updateUnit(trx, unit.id, set);
      const pick = (r: OrgUnitRow) => ({ name: r.name, nameHi: r.name_hi, lgdCode: r.lgd_code, code: r.code });
      await recordAudit(trx, actor, { action: 'update', entity: 'org_unit', entityId: unit.id, orgPath: unit.path, before: pick(current), after: pick(after) });
      const count = await repo.pageUnits(trx, after, { offset: 0, limit: 0 });
      return placeDto(after, count.total);
    });
  } catch (e) {
    throw raceOf(e, f.name, parent, unit.level, body.lgdCode, f.code);
  }
}
