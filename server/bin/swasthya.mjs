#!/usr/bin/env node
// The `swasthya` command: runs src/cli/index.ts with `node --import tsx`, using the tsx installed
// with this package (so it works from any folder, through npm or a global link).
import { spawn } from 'node:child_process';
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
const child = spawn(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], { stdio: 'inherit' });
// Ctrl-C reaches the child from the terminal itself; a SIGTERM sent to us is passed on.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
