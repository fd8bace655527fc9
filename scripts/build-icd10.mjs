#!/usr/bin/env node
// Builds the ICD-10 list that ships with Swasthya (server/src/modules/codes/icd10cm-2018.tsv.gz) from
// a CSV of ICD-10-CM codes and titles (`code,title`, codes without the dot), e.g. the 2018 ICD-10-CM
// category list of CMS/NCHS, which is in the US public domain:
//   node scripts/build-icd10.mjs <icd10cm.csv>
// The output is one `code<TAB>title` line per code (codes without the dot, sorted), gzipped; the
// server reads it into memory on the first search (see server/src/modules/codes/icd10.catalogue.ts).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const [input] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/build-icd10.mjs <icd10cm.csv>');
  process.exit(2);
}
const rows = parse(fs.readFileSync(input, 'utf8').replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true });
const CODE = /^[A-Z]\d[0-9A-Z][0-9A-Z]{0,4}$/;
const codes = new Map();
for (const [rawCode, rawTitle] of rows.slice(1)) {
  const code = String(rawCode ?? '').trim().toUpperCase().replace('.', '');
  const title = String(rawTitle ?? '').replace(/[\t\r\n]+/g, ' ').trim();
  if (!CODE.test(code) || !title) throw new Error(`not a code and title: ${rawCode},${rawTitle}`);
  codes.set(code, title);
}
const lines = [...codes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, t]) => `${c}\t${t}`);
const out = path.join(root, 'server/src/modules/codes/icd10cm-2018.tsv.gz');
// mtime 0 in the gzip header: the same input gives the same bytes.
fs.writeFileSync(out, zlib.gzipSync(lines.join('\n') + '\n', { level: 9 }));
console.log(`${lines.length} codes (${lines.filter((l) => l.indexOf('\t') === 3).length} categories) → ${path.relative(root, out)} (${fs.statSync(out).size} bytes)`);
