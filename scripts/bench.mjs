#!/usr/bin/env node
// `npm run bench -- <name>…`: runs bench/<name>.ts with `node --import tsx`; each prints one JSON
// line of figures. With no name, every benchmark in bench/ runs in turn. Never part of `npm test`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_FLAGS } from './node-flags.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'bench');
const available = fs.existsSync(dir)
  ? fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).map((f) => f.slice(0, -3)).sort()
  : [];
const names = process.argv.slice(2);
const unknown = names.filter((n) => !available.includes(n));
if (unknown.length || !available.length) {
  console.error(`unknown benchmark: ${unknown.join(', ') || '(none found)'}\nusage: npm run bench -- <name>…   available: ${available.join(', ') || 'none'}`);
  process.exit(2);
}
let status = 0;
for (const name of names.length ? names : available) {
  // The server's flags (scripts/start.mjs): the benchmarks run it in their own process.
  const r = spawnSync(process.execPath, [...NODE_FLAGS, '--import', 'tsx', path.join(dir, `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) status = r.status ?? 1;
}
process.exit(status);
