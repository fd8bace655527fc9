import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chartCsv, wrapLabel } from './chartData.ts';

test('a long Hindi facility name is wrapped into lines, a short one is left alone', () => {
  assert.equal(wrapLabel('पीएचसी बास'), 'पीएचसी बास');
  const lines = wrapLabel('प्राथमिक स्वास्थ्य केंद्र हिसार ग्रामीण क्षेत्र उकलाना मंडी');
  assert.ok(Array.isArray(lines) && lines.length >= 2, JSON.stringify(lines));
  assert.ok((lines as string[]).every((l) => l.length <= 26), JSON.stringify(lines));
  assert.equal((lines as string[]).join(' '), 'प्राथमिक स्वास्थ्य केंद्र हिसार ग्रामीण क्षेत्र उकलाना मंडी');
});

test('the CSV behind a chart: a BOM, a header of the series, raw numbers, empty for no data, quoted where needed, formula-like names kept as text', () => {
  const csv = chartCsv('अवधि', ['नवंबर 2026', 'Oct, 2026'], [
    { id: 'a', label: '1.1 — ANC', values: [1234567, undefined] },
    { id: 'b', label: '=cmd', values: [2.5, -3] },
  ]);
  assert.equal(csv, '\uFEFFअवधि,1.1 — ANC,\'=cmd\r\nनवंबर 2026,1234567,2.5\r\n"Oct, 2026",,-3\r\n');
});
