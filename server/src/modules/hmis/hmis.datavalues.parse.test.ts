import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { csvRecords } from './hmis.datavalues.parse.js';

const inPieces = (text: string, size: number) => {
  const bytes = Buffer.from(text);
  return Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
};

/** What csv-parse makes of the text, with the options the import used before csvRecords. */
async function byCsvParse(text: string, size: number) {
  const records: string[][] = [];
  try {
    for await (const r of Readable.from(inPieces(text, size)).pipe(parse({ relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }))) records.push(r);
  } catch (e) {
    return { records, error: `${(e as { code?: string }).code} line ${(e as { lines?: number }).lines}: ${(e as Error).message}` };
  }
  return { records };
}

/** What csvRecords makes of the same bytes arriving in pieces of `size` (cutting lines, \r\n and UTF-8 characters). */
async function byCsvRecords(text: string, size: number) {
  const records: string[][] = [];
  try {
    for await (const r of csvRecords(Readable.from(inPieces(text, size)))) records.push(r);
  } catch (e) {
    return { records, error: `${(e as { code?: string }).code} line ${(e as { lines?: number }).lines}: ${(e as Error).message}` };
  }
  return { records };
}

test('csvRecords reads CSV as csv-parse does, however the bytes are cut: unquoted lines split directly, quoted ones and their errors (with the line in the whole file) by csv-parse', async () => {
  const files = [
    'dataelement,period,orgunit\nde1,202401,ou1\n',
    'a,b,c\r\n1,2,3\r\n\r\n4, 5 ,6',
    '\uFEFFa,b\n\n   \n x , y \n',
    'a,b\n1,"2,3",4\n5,6\n',
    'a\n"b\nc",d\ne,f\n',
    'h\n1,2\n3,4\n"broken,3\n4\n',
    'h,h\n1,2\n3,"4\n',
    'a,b\n1,2\nab"c,5\n6,7\n',
    'x,1\ry,2\rz,3\r',
    'a,b\r\nc,d\r',
    '1,2\n3,4\n,,\n',
    'a,\u00A0b\u00A0,c\t\n',
    'é,ü,ह\nमान,1\n',
    '',
    '\n\n',
  ];
  for (const file of files) {
    for (const size of [1, 2, 3, 7, 1 << 16]) {
      const expected = await byCsvParse(file, size);
      const got = await byCsvRecords(file, size);
      // Before an error, each reader hands over the records it has completed so far: the same ones, or fewer.
      assert.equal(got.error, expected.error, `${JSON.stringify(file)} in pieces of ${size} bytes`);
      if (expected.error) assert.deepEqual(got.records.slice(0, expected.records.length), expected.records.slice(0, got.records.length));
      else assert.deepEqual(got.records, expected.records, `${JSON.stringify(file)} in pieces of ${size} bytes`);
    }
  }
});
