import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { unzipSync } from 'fflate';
import { AppError } from './errors.js';
import { repackStored, unpackZip, XLSX_LIMITS } from './archive.js';
import { deflatedZeros, xlsxBomb, zipOf } from '../test/zip-bomb.js';

const refused = (status: number, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof AppError, String(e));
  assert.equal(e.status, status);
  assert.match(e.msg.en, pattern);
  assert.ok(e.msg.hi && e.msg.hi !== e.msg.en, 'a Hindi message too');
  return true;
};

describe('zip archives unpack within limits', () => {
  test('a 1 MB archive declaring 1 GiB is refused from its directory, at once and without inflating', async () => {
    const bomb = xlsxBomb(1024);
    assert.ok(bomb.length < 1.1 * 1024 * 1024);
    const heap = process.memoryUsage().arrayBuffers;
    const started = performance.now();
    await assert.rejects(unpackZip(bomb), refused(413, /unpacks to more than 50 MB/));
    assert.ok(performance.now() - started < 500, 'refused without inflating');
    assert.ok(process.memoryUsage().arrayBuffers - heap < 64 * 1024 * 1024);
  });

  test('a single entry compressed past the ratio limit is refused even under the total', async () => {
    const bomb = zipOf([{ name: 'xl/sharedStrings.xml', data: deflatedZeros(40), size: 40 * 1024 * 1024 }]);
    await assert.rejects(unpackZip(bomb), refused(413, /compressed \d+:1, beyond the 100:1/));
  });

  test('an archive that lies about its sizes stops inflating at the declared size', async () => {
    // Declares 1 KB, holds 1 GiB of zeros: the directory checks pass, inflation must stop.
    const liar = zipOf([{ name: 'xl/worksheets/sheet1.xml', data: deflatedZeros(1024), size: 1024 }]);
    const started = performance.now();
    await assert.rejects(unpackZip(liar), refused(400, /damaged/));
    assert.ok(performance.now() - started < 1000, `stopped after ${Math.round(performance.now() - started)} ms`);
  });

  test('too many entries are refused', async () => {
    const many = zipOf(Array.from({ length: XLSX_LIMITS.maxEntries + 1 }, (_, i) => ({ name: `f${i}.xml`, data: Buffer.from('x'), method: 0 as const, size: 1 })));
    await assert.rejects(unpackZip(many), refused(413, /more than 1000 files/));
  });

  test('a real archive comes back whole, repacked without compression', async () => {
    const text = Buffer.from('<sheet>'.padEnd(200_000, 'x') + '</sheet>');
    const ok = zipOf([{ name: 'xl/a.xml', data: zlib.deflateRawSync(text), size: text.length, crc: zlib.crc32(text) }]);
    const files = await unpackZip(ok);
    assert.deepEqual([...files.keys()], ['xl/a.xml']);
    assert.ok(files.get('xl/a.xml')!.equals(text));
    const again = unzipSync(repackStored(files));
    assert.ok(Buffer.from(again['xl/a.xml']).equals(text));
  });

  test('something that is not a zip is a 400', async () => {
    await assert.rejects(unpackZip(Buffer.from('PK\u0003\u0004 not really')), refused(400, /not a readable zip/));
  });
});
