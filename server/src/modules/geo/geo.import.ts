import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitLevel, OrgUnitRow } from '../../db/types.js';
import * as repo from './geo.repository.js';
import { childRow } from './geo.service.js';
import { DEVANAGARI, loadPlaceIndex, normName, titleCase, type PlaceIndex } from './geo.places.js';

type Db = Kysely<Database>;

/** Called now and then with rows done and rows in all; the CLI draws its progress bar from it. */
export type Progress = (done: number, total: number) => void;
/** `outside`: the row's parent lies outside the importing user's area. */
export interface Refusal { file: string; line: number; reason: string; outside?: true }
export interface LevelCounts { added: number; updated: number; unchanged: number }
export interface LgdImportResult { states: LevelCounts; districts: LevelCounts; blocks: LevelCounts; refused: Refusal[] }
export interface VillageImportResult { villages: LevelCounts; refused: Refusal[]; parentLevel: 'block' | 'district' }
/** CSV text, or CSV text with the file name used in refusals. */
export type CsvInput = string | { name: string; text: string };

/** A file that cannot be read at all (wrong layout, broken quoting). Nothing is imported. */
export class ImportFileError extends Error {}

// ---------------------------------------------------------------------------------------------
// CSV

export interface CsvRow { line: number; cells: string[] }

/** Parses CSV text; each row keeps the line it starts on (the header is line 1). */
export function readCsv(text: string, file: string): { header: string[]; rows: CsvRow[] } {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true }) as unknown as typeof records;
  } catch (e) {
    throw new ImportFileError(`${file} is not readable CSV: ${(e as Error).message}`);
  }
  if (!records.length) throw new ImportFileError(`${file} is empty`);
  const rows = records.map(({ record, info }) => ({
    line: info.lines - record.reduce((a, c) => a + (c.match(/\n/g)?.length ?? 0), 0),
    cells: record,
  }));
  const [head, ...rest] = rows;
  return { header: head.cells.map((c) => c.trim()), rows: rest };
}

const fileName = (input: CsvInput, def: string) => (typeof input === 'string' ? def : input.name);
const fileText = (input: CsvInput) => (typeof input === 'string' ? input : input.text);

// ---------------------------------------------------------------------------------------------
// LGD import

interface Layout {
  level: 'state' | 'district' | 'block' | 'village';
  /** What the code column is called in messages. */
  codeLabel: string;
  code: string;
  name: string;
  parentCode: string | null;
  parentLevel: OrgUnitLevel | null;
  /** Column names that show the file is some other LGD list. */
  foreign: string[];
  expected: string;
}

const LAYOUTS: Layout[] = [
  {
    level: 'state', codeLabel: 'State Code', code: 'state code', name: 'state name', parentCode: null, parentLevel: null,
    foreign: ['district code', 'block code', 'sub-district code'],
    expected: 'S.No.,State Code,State Version,State Name,State Name,Census 2001 Code,Census 2011 Code,State or UT',
  },
  {
    level: 'district', codeLabel: 'District Code', code: 'district code', name: 'district name', parentCode: 'state code', parentLevel: 'state',
    foreign: ['block code', 'sub-district code'],
    expected: '"State Code","State Name","District Code","District Name","Census 2001 Code","Census 2011 Code"',
  },
  {
    level: 'block', codeLabel: 'Block Code', code: 'block code', name: 'block name', parentCode: 'district code', parentLevel: 'district',
    foreign: ['sub-district code', 'village code', 'gram panchayat code'],
    expected: 'S.No.,State Code,State Name,District Code,District Name,Block Code,Block Version,Block Name ,Block Name',
  },
];

/**
 * LGD's village lists: a village belongs to a block where the file says which (the directory's
 * village–block mapping), else to its district (the plain list of a state's villages names only the
 * sub-district, which is not a level here).
 */
const VILLAGE_EXPECTED = 'S.No.,State Code,State Name,District Code,District Name,[Block Code,]Village Code,Village Name (In English),Village Name (In Local)';
const VILLAGE_LAYOUTS: Layout[] = [
  { level: 'village', codeLabel: 'Village Code', code: 'village code', name: 'village name', parentCode: 'block code', parentLevel: 'block', foreign: [], expected: VILLAGE_EXPECTED },
  { level: 'village', codeLabel: 'Village Code', code: 'village code', name: 'village name', parentCode: 'district code', parentLevel: 'district', foreign: [], expected: VILLAGE_EXPECTED },
];

const label = (column: string) => column.replace(/\b\w/g, (c) => c.toUpperCase());
const lowerHeader = (header: string[]) => header.map((h) => h.toLowerCase().replace(/\s*\((lgd|in english)\)$/, ''));

interface Columns { code: number; name: number; local: number; parent: number }

function columnsOf(layout: Layout, header: string[], file: string): Columns {
  const lower = lowerHeader(header);
  const foreign = layout.foreign.find((f) => lower.includes(f));
  const code = lower.indexOf(layout.code);
  const name = lower.indexOf(layout.name);
  const parent = layout.parentCode ? lower.indexOf(layout.parentCode) : -1;
  if (foreign || code < 0 || name < 0 || (layout.parentCode && parent < 0)) {
    const why = foreign
      ? `it has a "${header[lower.indexOf(foreign)]}" column, so it is another LGD list`
      : `it has no "${code < 0 ? layout.codeLabel : name < 0 ? label(layout.name) : label(layout.parentCode!)}" column`;
    throw new ImportFileError(`${file} is not the LGD ${layout.level} list: ${why}. Expected the header: ${layout.expected}`);
  }
  // The local-language name is a second column of the same name, or one marked "(local)".
  let local = lower.indexOf(layout.name, name + 1);
  if (local < 0) local = lower.findIndex((h) => h.startsWith(layout.name) && /local/.test(h));
  return { code, name, local, parent };
}

const emptyCounts = (): LevelCounts => ({ added: 0, updated: 0, unchanged: 0 });

/**
 * Imports the LGD directory's state, district and (optionally) block lists, in the directory's own
 * CSV layouts (each as `importLevel` does it). Run it inside one transaction.
 */
export async function importLgd(
  db: Db,
  files: { states: CsvInput; districts: CsvInput; blocks?: CsvInput | null },
  onProgress: Progress = () => {},
): Promise<LgdImportResult> {
  const inputs: [Layout, CsvInput][] = [[LAYOUTS[0], files.states], [LAYOUTS[1], files.districts]];
  if (files.blocks) inputs.push([LAYOUTS[2], files.blocks]);
  // Read and check every file before writing anything.
  const parsed = inputs.map(([layout, input]) => {
    const file = fileName(input, `${layout.level}s.csv`);
    const { header, rows } = readCsv(fileText(input), file);
    return { layout, file, rows, cols: columnsOf(layout, header, file) };
  });
  const total = parsed.reduce((a, p) => a + p.rows.length, 0);
  let done = 0;
  onProgress(0, total);

  const result: LgdImportResult = { states: emptyCounts(), districts: emptyCounts(), blocks: emptyCounts(), refused: [] };
  const country = await repo.findCountry(db);
  if (!country) throw new ImportFileError('The database has no country unit; run `swasthya migrate` first');

  const tick = () => {
    done++;
    if (done % 500 === 0) onProgress(done, total);
  };
  for (const p of parsed) {
    await importLevel(db, country, p, result[`${p.layout.level}s` as 'states' | 'districts' | 'blocks'], result.refused, tick);
  }
  await repo.analyzeUnits(db);
  onProgress(total, total);
  return result;
}

interface ParsedFile { layout: Layout; file: string; rows: CsvRow[]; cols: Columns }

/**
 * One LGD list into org_units. Units are matched on (level, LGD code): known ones get LGD's name,
 * new ones are added under their parent. Rows with a code that is not a number, a repeated code or
 * an unknown parent are refused with their line.
 */
async function importLevel(db: Db, country: OrgUnitRow, { layout, file, rows, cols }: ParsedFile, counts: LevelCounts, refused: Refusal[], tick: () => void, scope?: string) {
  const refuse = (line: number, reason: string, outside?: true) => refused.push({ file, line, reason, ...(outside ? { outside } : {}) });
  const existing = await repo.mapByLgd(db, layout.level);
  const parents = layout.parentLevel ? await repo.mapByLgd(db, layout.parentLevel) : null;
  const seen = new Map<number, number>();
  const inserts: NewOrgUnit[] = [];
  for (const { line, cells } of rows) {
    tick();
    const rawCode = (cells[cols.code] ?? '').trim();
    if (!/^\d{1,9}$/.test(rawCode)) {
      refuse(line, `${layout.codeLabel} "${rawCode}" is not a number`);
      continue;
    }
    const code = Number(rawCode);
    const first = seen.get(code);
    if (first !== undefined) {
      refuse(line, `${layout.codeLabel} ${code} repeats line ${first}`);
      continue;
    }
    seen.set(code, line);
    const name = titleCase(cells[cols.name] ?? '');
    if (!name) {
      refuse(line, `${layout.codeLabel} ${code} has no name`);
      continue;
    }
    // PostgreSQL cannot store a NUL; other control characters are never part of a place's name.
    if (/[\u0000-\u001f\u007f]/.test(cells.join(''))) {
      refuse(line, `${layout.codeLabel} ${code}: the row holds a control character (such as NUL)`);
      continue;
    }
    let parent: OrgUnitRow = country;
    if (parents) {
      const rawParent = (cells[cols.parent] ?? '').trim();
      const parentLabel = label(layout.parentCode!);
      const p = /^\d{1,9}$/.test(rawParent) ? parents.get(Number(rawParent)) : undefined;
      if (!p) {
        refuse(line, /^\d{1,9}$/.test(rawParent)
          ? `${parentLabel} ${rawParent} is not a known ${layout.parentLevel}`
          : `${parentLabel} "${rawParent}" is not a number`);
        continue;
      }
      if (scope && !p.path.startsWith(scope)) {
        refuse(line, `${parentLabel} ${rawParent} (${p.name}) is outside your area`, true);
        continue;
      }
      parent = p;
    }
    // LGD often repeats the English name in the local column; only a Hindi name replaces ours.
    const local = cols.local >= 0 ? (cells[cols.local] ?? '').trim() : '';
    const hindi = local && DEVANAGARI.test(local) ? local : null;
    const current = existing.get(code);
    if (current) {
      const nameHi = hindi ?? current.name_hi;
      if (current.name !== name || current.name_hi !== nameHi) {
        await repo.updateNames(db, current.id, name, nameHi);
        counts.updated++;
      } else counts.unchanged++;
    } else {
      inserts.push(childRow(parent, layout.level, code, name, hindi));
      counts.added++;
    }
  }
  await repo.insertUnits(db, inserts);
}

/**
 * Imports an LGD list of villages (a state's, or the village–block mapping): each village under its
 * block when the file has a Block Code column, else under its district. Run it inside one transaction.
 */
export async function importVillages(db: Db, input: CsvInput, onProgress: Progress = () => {}, scope?: string): Promise<VillageImportResult> {
  const file = fileName(input, 'villages.csv');
  const { header, rows } = readCsv(fileText(input), file);
  const lower = lowerHeader(header);
  const layout = lower.includes('block code') ? VILLAGE_LAYOUTS[0] : VILLAGE_LAYOUTS[1];
  const parsed = { layout, file, rows, cols: columnsOf(layout, header, file) };
  const country = await repo.findCountry(db);
  if (!country) throw new ImportFileError('The database has no country unit; run `swasthya migrate` first');
  const result: VillageImportResult = { villages: emptyCounts(), refused: [], parentLevel: layout.parentLevel as 'block' | 'district' };
  let done = 0;
  onProgress(0, rows.length);
  await importLevel(db, country, parsed, result.villages, result.refused, () => {
    done++;
    if (done % 500 === 0) onProgress(done, rows.length);
  }, scope);
  await repo.analyzeUnits(db);
  onProgress(rows.length, rows.length);
  return result;
}

/**
 * Imports LGD's block list (its own layout) under districts already known; `scope` (an org path)
 * refuses rows whose district lies outside it. Run it inside one transaction.
 */
export async function importBlocks(db: Db, input: CsvInput, scope?: string): Promise<{ blocks: LevelCounts; refused: Refusal[] }> {
  const file = fileName(input, 'blocks.csv');
  const { header, rows } = readCsv(fileText(input), file);
  const parsed = { layout: LAYOUTS[2], file, rows, cols: columnsOf(LAYOUTS[2], header, file) };
  const country = await repo.findCountry(db);
  if (!country) throw new ImportFileError('The database has no country unit; run `swasthya migrate` first');
  const result = { blocks: emptyCounts(), refused: [] as Refusal[] };
  await importLevel(db, country, parsed, result.blocks, result.refused, () => {}, scope);
  await repo.analyzeUnits(db);
  return result;
}
