/**
 * Gram panchayats (and urban wards) from LGD, each under its block, and each village under its
 * panchayat (docs/geo.md has the layouts). One reader takes both of LGD's lists:
 *
 * - the local-body list ("All PRI Local Bodies", or a state's gram panchayats): one row per panchayat
 *   with `Local Body Code`, `Local Body Name (In English)`, `Local Body Name (In Local)`,
 *   `Local Body Type Name` and the block (`Development Block Code` or `Block Code`);
 * - the village–gram panchayat mapping ("Village To Gram Panchayat Mapping"): the same columns and a
 *   `Village Code` on every row, one row per village, so a panchayat repeats on the rows of its villages.
 *
 * Panchayats are matched on their LGD code (level `panchayat`): known ones take LGD's name (and block),
 * new ones are added. A village named by the mapping moves under its panchayat and keeps its id, so its
 * patients, families and surveys stay on it; every stored copy of its path (`*_path` columns, which the
 * scope rules read) is rewritten in the same transaction. Run it inside one transaction.
 */
import { sql, type Kysely } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitRow } from '../../db/types.js';
import * as repo from './geo.repository.js';
import { childRow } from './geo.service.js';
import { DEVANAGARI, titleCase } from './geo.places.js';
import { ImportFileError, readCsv, type CsvInput, type LevelCounts, type Progress, type Refusal } from './geo.import.js';

type Db = Kysely<Database>;

export interface PanchayatImportResult {
  panchayats: LevelCounts;
  /** Villages put under their panchayat (moved), already there (unchanged). */
  villages: { moved: number; unchanged: number };
  refused: Refusal[];
}

/** Any fixed number: the advisory lock that lets one panchayat import at a time write. */
export const PANCHAYAT_IMPORT_LOCK = 727281;

export const PANCHAYAT_EXPECTED =
  'State Code,District Code,Development Block Code,Local Body Code,Local Body Name (In English),Local Body Name (In Local),Local Body Type Name[,Village Code,Village Name (In English)]';

/** LGD's local-body types that are a panchayat or ward here; the district and intermediate tiers are not. */
const OTHER_TIERS = /district panchayat|zila|zilla|intermediate|panchayat samiti|block panchayat|mandal parishad|janpad|kshetra/i;

const norm = (h: string) => h.toLowerCase().replace(/\s+/g, ' ').replace(/localbody/g, 'local body').trim();

interface Cols { code: number; name: number; local: number; type: number; block: number; village: number }

function columns(header: string[], file: string): Cols {
  const lower = header.map(norm);
  const find = (...names: string[]) => {
    for (const n of names) {
      const i = lower.indexOf(n);
      if (i >= 0) return i;
    }
    return -1;
  };
  const cols: Cols = {
    code: find('local body code', 'gram panchayat code', 'village panchayat code'),
    name: find('local body name (in english)', 'local body name', 'gram panchayat name (in english)', 'gram panchayat name'),
    local: find('local body name (in local)', 'gram panchayat name (in local)'),
    type: find('local body type name', 'local body type'),
    block: find('development block code', 'block code'),
    village: find('village code'),
  };
  const missing = cols.code < 0 ? 'Local Body Code' : cols.name < 0 ? 'Local Body Name (In English)' : cols.block < 0 ? 'Development Block Code' : null;
  if (missing) {
    const hint = missing === 'Development Block Code' && lower.some((h) => h.startsWith('intermediate'))
      ? ' (LGD\'s intermediate panchayat code is another series than block codes: download the list with the development block, or the village–gram panchayat mapping)'
      : '';
    throw new ImportFileError(`${file} is not LGD's list of gram panchayats: it has no "${missing}" column${hint}. Expected the header: ${PANCHAYAT_EXPECTED}`);
  }
  return cols;
}

interface PanchayatRow { line: number; code: number; name: string; hindi: string | null; block: OrgUnitRow }

/** Every column named like a stored org path, in the tables of the current schema (the audit log keeps its history). */
async function pathColumns(db: Db): Promise<{ table: string; column: string }[]> {
  const { rows } = await sql<{ table: string; column: string }>`
    select c.table_name as "table", c.column_name as "column"
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.data_type = 'text'
      and (c.column_name like '%\\_path' or (c.table_name = 'org_units' and c.column_name = 'path'))
      and c.table_name not in ('audit_log', 'kysely_migration', 'kysely_migration_lock')
    order by 1, 2`.execute(db);
  return rows;
}

/**
 * Moves units (with everything under them) to new parents: their own row, their descendants' paths
 * and every stored copy of those paths. Old paths of one call have one length (units of one level).
 */
export async function moveUnits(db: Db, moves: { id: string; oldPath: string; newParent: OrgUnitRow }[]): Promise<void> {
  if (!moves.length) return;
  const cols = await pathColumns(db);
  const byLength = new Map<number, typeof moves>();
  for (const m of moves) byLength.set(m.oldPath.length, [...(byLength.get(m.oldPath.length) ?? []), m]);
  for (const [len, group] of byLength) {
    for (let i = 0; i < group.length; i += 2000) {
      const chunk = group.slice(i, i + 2000);
      const olds = chunk.map((m) => m.oldPath);
      const news = chunk.map((m) => `${m.newParent.path}${m.id}/`);
      for (const { table, column } of cols) {
        await sql`
          update ${sql.table(table)} as x set ${sql.ref(column)} = m.new_path || substr(x.${sql.ref(column)}, ${len + 1})
          from unnest(${olds}::text[], ${news}::text[]) as m(old_path, new_path)
          where left(x.${sql.ref(column)}, ${len}) = m.old_path`.execute(db);
      }
      for (const m of chunk) {
        await db.updateTable('org_units').set({ parent_id: m.newParent.id, updated_at: sql`now()` }).where('id', '=', m.id).execute();
      }
    }
  }
}

/**
 * Imports LGD's gram panchayats (and, where the file has a Village Code column, puts each village
 * under its panchayat). `scope` (an org path) refuses rows whose block or village lies outside it.
 */
export async function importPanchayats(db: Db, input: CsvInput, onProgress: Progress = () => {}, scope?: string): Promise<PanchayatImportResult> {
  const file = typeof input === 'string' ? 'panchayats.csv' : input.name;
  const { header, rows } = readCsv(typeof input === 'string' ? input : input.text, file);
  const cols = columns(header, file);
  // Imports of panchayats take turns (to the end of the transaction), so two that move the same
  // village cannot interleave; the second reads what the first wrote.
  await sql`select pg_advisory_xact_lock(${sql.lit(PANCHAYAT_IMPORT_LOCK)})`.execute(db);
  const result: PanchayatImportResult = { panchayats: { added: 0, updated: 0, unchanged: 0 }, villages: { moved: 0, unchanged: 0 }, refused: [] };
  const refuse = (line: number, reason: string, outside?: true) => result.refused.push({ file, line, reason, ...(outside ? { outside } : {}) });
  const num = (s: string | undefined) => (/^\d{1,9}$/.test((s ?? '').trim()) ? Number((s ?? '').trim()) : null);

  const blocks = await repo.mapByLgd(db, 'block');
  const existing = await repo.mapByLgd(db, 'panchayat');
  const villageCodes = cols.village >= 0 ? rows.map((r) => num(r.cells[cols.village])).filter((c): c is number => c !== null) : [];
  const villages = cols.village >= 0 ? await repo.mapByLgd(db, 'village', [...new Set(villageCodes)]) : new Map<number, OrgUnitRow>();

  const panchayats = new Map<number, PanchayatRow>();
  const villageOf = new Map<number, { line: number; panchayat: number }>();
  onProgress(0, rows.length);
  let done = 0;
  for (const { line, cells } of rows) {
    if (++done % 500 === 0) onProgress(done, rows.length);
    const rawCode = (cells[cols.code] ?? '').trim();
    const code = num(rawCode);
    if (code === null) { refuse(line, `Local Body Code "${rawCode}" is not a number`); continue; }
    if (/[\u0000-\u001f\u007f]/.test(cells.join(''))) { refuse(line, `Local Body Code ${code}: the row holds a control character (such as NUL)`); continue; }
    const type = cols.type >= 0 ? (cells[cols.type] ?? '').trim() : '';
    if (type && OTHER_TIERS.test(type)) { refuse(line, `Local Body Code ${code} is a ${type}, not a gram panchayat or ward`); continue; }
    const name = titleCase(cells[cols.name] ?? '');
    if (!name) { refuse(line, `Local Body Code ${code} has no name`); continue; }
    const rawBlock = (cells[cols.block] ?? '').trim();
    const blockCode = num(rawBlock);
    const block = blockCode === null ? undefined : blocks.get(blockCode);
    if (!block) {
      refuse(line, blockCode === null ? `Development Block Code "${rawBlock}" is not a number` : `Development Block Code ${blockCode} is not a known block; import the blocks first (swasthya import lgd)`);
      continue;
    }
    if (scope && !block.path.startsWith(scope)) { refuse(line, `Development Block Code ${blockCode} (${block.name}) is outside your area`, true); continue; }
    const local = cols.local >= 0 ? (cells[cols.local] ?? '').trim() : '';
    const hindi = local && DEVANAGARI.test(local) ? local : null;
    const seen = panchayats.get(code);
    if (seen && cols.village < 0) { refuse(line, `Local Body Code ${code} repeats line ${seen.line}`); continue; }
    if (seen && (seen.name !== name || seen.block.id !== block.id)) {
      refuse(line, `Local Body Code ${code} is "${name}" in block ${blockCode} here but "${seen.name}" in block ${seen.block.lgd_code} on line ${seen.line}`);
      continue;
    }
    if (!seen) panchayats.set(code, { line, code, name, hindi, block });
    if (cols.village >= 0) {
      const rawVillage = (cells[cols.village] ?? '').trim();
      const vCode = num(rawVillage);
      if (vCode === null) { refuse(line, `Village Code "${rawVillage}" is not a number`); continue; }
      const v = villages.get(vCode);
      if (!v) { refuse(line, `Village Code ${vCode} is not a known village; import the villages first (swasthya import villages)`); continue; }
      const other = villageOf.get(vCode);
      if (other) {
        if (other.panchayat !== code) refuse(line, `Village Code ${vCode} is mapped to Local Body Code ${other.panchayat} on line ${other.line} already`);
        continue;
      }
      if (scope && !v.path.startsWith(scope)) { refuse(line, `Village Code ${vCode} (${v.name}) is outside your area`, true); continue; }
      const district = block.path.split('/').filter(Boolean).at(-2);
      if (!district || !v.path.includes(`/${district}/`)) { refuse(line, `Village Code ${vCode} (${v.name}) lies in another district than block ${blockCode}`); continue; }
      villageOf.set(vCode, { line, panchayat: code });
    }
  }

  // Panchayats: add the new ones, rename or move the known ones.
  const inserts: NewOrgUnit[] = [];
  const panchayatMoves: { id: string; oldPath: string; newParent: OrgUnitRow }[] = [];
  for (const p of panchayats.values()) {
    const current = existing.get(p.code);
    if (!current) {
      inserts.push(childRow(p.block, 'panchayat', p.code, p.name, p.hindi));
      result.panchayats.added++;
      continue;
    }
    if (scope && !current.path.startsWith(scope)) { refuse(p.line, `Local Body Code ${p.code} (${current.name}) is outside your area`, true); continue; }
    const nameHi = p.hindi ?? current.name_hi;
    const moved = current.parent_id !== p.block.id;
    if (current.name !== p.name || current.name_hi !== nameHi) await repo.updateNames(db, current.id, p.name, nameHi);
    if (moved) panchayatMoves.push({ id: current.id, oldPath: current.path, newParent: p.block });
    if (moved || current.name !== p.name || current.name_hi !== nameHi) result.panchayats.updated++;
    else result.panchayats.unchanged++;
  }
  await repo.insertUnits(db, inserts);
  await moveUnits(db, panchayatMoves);

  // Villages: each under its panchayat (read afresh: a panchayat may have moved above).
  if (villageOf.size) {
    const nowPanchayats = await repo.mapByLgd(db, 'panchayat', [...new Set([...villageOf.values()].map((v) => v.panchayat))]);
    const nowVillages = await repo.mapByLgd(db, 'village', [...villageOf.keys()]);
    const moves: { id: string; oldPath: string; newParent: OrgUnitRow }[] = [];
    for (const [vCode, { panchayat }] of villageOf) {
      const v = nowVillages.get(vCode)!;
      const p = nowPanchayats.get(panchayat)!;
      if (v.parent_id === p.id) result.villages.unchanged++;
      else {
        moves.push({ id: v.id, oldPath: v.path, newParent: p });
        result.villages.moved++;
      }
    }
    await moveUnits(db, moves);
  }
  await repo.analyzeUnits(db);
  onProgress(rows.length, rows.length);
  return result;
}
