// The test files in the order given (node --test sorts them by name): `npm test` (scripts/test.mjs)
// starts the longest first so that none is left running alone at the end. Run with --import tsx.
import { run } from 'node:test';
import { spec } from 'node:test/reporters';

const concurrency = Number(process.env.SWASTHYA_TEST_CONCURRENCY) || 2;
const stream = run({ files: process.argv.slice(2), concurrency });
stream.on('test:fail', () => { process.exitCode = 1; });
stream.compose(spec).pipe(process.stdout);
