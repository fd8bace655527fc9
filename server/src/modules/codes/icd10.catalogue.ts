// The ICD-10 list that ships with Swasthya: ICD-10-CM 2018 codes and titles (CMS/NCHS, US public
// domain; built by scripts/build-icd10.mjs into icd10cm-2018.tsv.gz, 24,628 codes, 188 kB) with
// Hindi names for the HMIS and IDSP conditions (icd10.hindi.ts). It is read into memory on the first
// search or lookup (about 50 ms, 7 MB of heap), not at start-up, and never copied into the database: a state's own
// list (`swasthya import icd10`, table icd_codes) is searched alongside it and wins for the codes it has.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { ICD10_HINDI } from './icd10.hindi.js';

export interface IcdEntry { code: string; title: string; titleHi: string | null }

const FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'icd10cm-2018.tsv.gz');

interface Catalogue { byCode: Map<string, IcdEntry>; entries: IcdEntry[]; folded: string[] }
let loaded: Catalogue | null = null;

/** Lower case without accents, for matching words of a title. */
export const fold = (s: string) => s.normalize('NFKD').replace(/[\u0300-\u036f\u093c]/g, '').toLowerCase();

export function catalogue(): Catalogue {
  if (loaded) return loaded;
  const text = zlib.gunzipSync(fs.readFileSync(FILE)).toString('utf8');
  const entries: IcdEntry[] = [];
  for (const line of text.split('\n')) {
    const tab = line.indexOf('\t');
    if (tab < 0) continue;
    const code = line.slice(0, tab);
    entries.push({ code, title: line.slice(tab + 1), titleHi: ICD10_HINDI[code] ?? null });
  }
  loaded = { byCode: new Map(entries.map((e) => [e.code, e])), entries, folded: entries.map((e) => fold(`${e.title} ${e.titleHi ?? ''}`)) };
  return loaded;
}

/** The built-in entry of a code (bare: J189), or of the nearest broader code it has (J18). */
export function builtInName(code: string): IcdEntry | undefined {
  const { byCode } = catalogue();
  for (let n = code.length; n >= 3; n--) {
    const e = byCode.get(code.slice(0, n));
    if (e) return e;
  }
  return undefined;
}

/**
 * Whether the built-in list knows a code: it has it, or the code is a 4-character WHO ICD-10 subcode
 * (J18.9) of a category it has (ICD-10-CM subdivides differently, and the CM category list leaves out
 * some of WHO's subcodes).
 */
export const builtInKnows = (code: string) => catalogue().byCode.has(code) || (code.length === 4 && catalogue().byCode.has(code.slice(0, 3)));

/** The words of a search, each of which a title must contain. */
export const words = (q: string) => fold(q).split(/[\s,;/()[\]-]+/).filter(Boolean);

/** Built-in entries whose English or Hindi title contains every word, or whose code starts with `prefix`. */
export function searchBuiltIn(query: { prefix: string } | { words: string[] }): IcdEntry[] {
  const { entries, folded } = catalogue();
  if ('prefix' in query) return entries.filter((e) => e.code.startsWith(query.prefix));
  return entries.filter((_, i) => query.words.every((w) => folded[i].includes(w)));
}
