// The test files in the order given (node --test sorts them by name): `npm test` (scripts/test.mjs)
// starts the longest first so that none is left running alone at the end. Run with --import tsx.
// Each file's time is summed from its top-level tests and the slowest are listed at the end, so a CI
// log says where its minutes went. A file that has not ended after SWASTHYA_TEST_FILE_TIMEOUT_MS
// (default 15 min) fails instead of holding the run (a timer left open keeps a test process alive).
import { run } from 'node:test';
import { spec } from 'node:test/reporters';
import { realpathSync } from 'node:fs';
import { relative } from 'node:path';

const concurrency = Number(process.env.SWASTHYA_TEST_CONCURRENCY) || 2;
const timeout = Number(process.env.SWASTHYA_TEST_FILE_TIMEOUT_MS) || 15 * 60_000;
const started = Date.now();
// Compiled files (scripts/compile-tests.mjs) are named by their source; the runner reports real paths.
const build = process.env.SWASTHYA_TEST_BUILD && realpathSync(process.env.SWASTHYA_TEST_BUILD);
const perFile = new Map();
const stream = run({ files: process.argv.slice(2), concurrency, timeout });
stream.on('test:fail', () => { process.exitCode = 1; });
const took = (e) => {
  if (e.nesting !== 0 || !e.file) return;
  const f = build && e.file.startsWith(build) ? relative(build, e.file).replace(/\.js$/, '.ts') : relative(process.cwd(), e.file);
  perFile.set(f, (perFile.get(f) ?? 0) + (e.details?.duration_ms ?? 0));
};
stream.on('test:pass', took);
stream.on('test:fail', took);
const out = stream.compose(spec);
out.pipe(process.stdout, { end: false });
out.on('end', () => {
  const rows = [...perFile].sort((a, b) => b[1] - a[1]).slice(0, 30);
  const lines = rows.map(([f, ms]) => `  ${(ms / 1000).toFixed(1).padStart(7)} s  ${f}`);
  process.stdout.write(`\nslowest test files (sum of top-level tests; ${((Date.now() - started) / 1000).toFixed(0)} s wall for ${perFile.size} files):\n${lines.join('\n')}\n`);
});
