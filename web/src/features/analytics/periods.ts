import { shiftMonth, thisMonth } from '../hmis/months.ts';

export type Preset = 'LAST_12_MONTHS' | 'THIS_FINANCIAL_YEAR' | 'QUARTERS' | 'RANGE';
export const PRESETS: Preset[] = ['LAST_12_MONTHS', 'THIS_FINANCIAL_YEAR', 'QUARTERS', 'RANGE'];

/** The months from `from` to `to` inclusive (YYYYMM), at most 60. */
export function monthRange(from: string, to: string): string[] {
  const out: string[] = [];
  let [a, b] = from <= to ? [from, to] : [to, from];
  for (let i = 0; a <= b && i < 60; i++) {
    out.push(a);
    a = shiftMonth(a, 1);
  }
  return out;
}

/** The quarters (DHIS2 2026Q1…) of this calendar year up to the present one, and the four before. */
export function recentQuarters(now = new Date()): string[] {
  const m = thisMonth(now);
  const y = Number(m.slice(0, 4));
  const q = Math.floor((Number(m.slice(4, 6)) - 1) / 3) + 1;
  const out: string[] = [];
  for (let k = 4; k >= 0; k--) {
    const idx = y * 4 + (q - 1) - k;
    out.push(`${Math.floor(idx / 4)}Q${(idx % 4) + 1}`);
  }
  return out;
}

/** The `pe` parameter for a preset. */
export function peFor(preset: Preset, from: string, to: string): string {
  if (preset === 'RANGE') return monthRange(from, to).join(';');
  if (preset === 'QUARTERS') return recentQuarters().join(';');
  return preset;
}
