#!/usr/bin/env node
// The `swasthya` command: runs src/cli/index.ts with `node --import tsx`, using the tsx installed
// with this package (so it works from any folder, through npm or a global link).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../src/cli/index.ts');
let tsx;
try {
  tsx = import.meta.resolve('tsx');
} catch {
  console.error('swasthya: tsx is not installed; run `npm install` in the Swasthya folder first');
  process.exit(1);
}
// Under `npm test` the sources are compiled once into plain JavaScript (scripts/compile-tests.mjs):
// the command's tests run that copy, without tsx's loader (seconds of CPU each start).
const build = process.env.SWASTHYA_TEST_BUILD;
const compiled = build && path.join(build, 'server/src/cli/index.js');
const args = compiled && existsSync(compiled) ? [compiled] : ['--import', tsx, cli];
const child = spawn(process.execPath, [...args, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to us is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
