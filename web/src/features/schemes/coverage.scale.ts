// The coverage map's sequential scale: five fixed classes of coverage (under 20%, 20–40%, … 80% and
// more), so that a colour means the same on every map and year, and a grey for a unit whose register
// has no families (coverage there is not 0%, it is unknown).
import type { CoverageRow } from './schemes.api.ts';

/** Lower bounds of the classes, as fractions. */
export const BREAKS = [0, 0.2, 0.4, 0.6, 0.8] as const;
/** ColorBrewer's 5-class Greens (sequential, print- and colour-blind-safe). */
export const COLOURS = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'] as const;
export const NO_REGISTER = '#d5d5d5';

export function classOf(coverage: number): number {
  let k = 0;
  for (let i = 0; i < BREAKS.length; i++) if (coverage >= BREAKS[i]!) k = i;
  return k;
}

/** A unit's colour and class name (c0…c4, or none when its register has no families or it has no figures). */
export function colourOf(row: Pick<CoverageRow, 'families' | 'coverage'> | undefined): { colour: string; klass: string } {
  if (!row || !row.families) return { colour: NO_REGISTER, klass: 'none' };
  const k = classOf(row.coverage);
  return { colour: COLOURS[k]!, klass: `c${k}` };
}
