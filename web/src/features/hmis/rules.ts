/**
 * Client-side checks while typing: DHIS2 validation rules (`#{de}` = sum over the element's option
 * combos, `#{de.coc}` one cell; +, -, *, / and brackets; missing-value strategies) and outliers
 * against the facility's own history.
 */
import type { FormElement, HistoryStat, ValidationRule } from './hmis.api.ts';

/** Entered values keyed by `${dataElement}.${categoryOptionCombo}`. */
export type Values = Record<string, string>;

export const cellKey = (de: string, coc: string) => `${de}.${coc}`;

const REF = /#\{([A-Za-z0-9]+)(?:\.([A-Za-z0-9]+))?\}/g;

export interface SideResult { value: number | null; refs: string[]; missing: number; total: number }

const numberOf = (raw: string | undefined): number | null => {
  if (raw === undefined || raw.trim() === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
};

/** The element ids an expression names. */
export function elementsOf(expression: string): string[] {
  return [...expression.matchAll(REF)].map((m) => m[1] ?? '');
}

export function evaluateSide(expression: string, strategy: string, values: Values, elements: Map<string, FormElement>): SideResult | 'skip' {
  let missing = 0;
  let total = 0;
  const refs: string[] = [];
  const text = expression.replace(REF, (_w, de: string, coc?: string) => {
    total++;
    refs.push(de);
    const cocs = coc ? [coc] : (elements.get(de)?.categoryCombo.categoryOptionCombos.map((c) => c.id) ?? []);
    const nums = cocs.map((c) => numberOf(values[cellKey(de, c)])).filter((n): n is number => n !== null);
    if (!nums.length) {
      missing++;
      return '0';
    }
    return String(nums.reduce((a, b) => a + b, 0));
  });
  if (strategy === 'SKIP_IF_ANY_VALUE_MISSING' && missing > 0) return 'skip';
  if (strategy === 'SKIP_IF_ALL_VALUES_MISSING' && total > 0 && missing === total) return 'skip';
  return { value: arithmetic(text), refs, missing, total };
}

/** Evaluates + - * / and brackets over numbers; null when the text is not such an expression. */
export function arithmetic(text: string): number | null {
  const tokens = text.match(/\d+(?:\.\d+)?|[-+*/()]/g) ?? [];
  if (tokens.join('') !== text.replace(/\s+/g, '')) return null;
  let i = 0;
  const peek = () => tokens[i];
  const factor = (): number => {
    const tok = tokens[i++];
    if (tok === '(') {
      const v = sum();
      i++; // ')'
      return v;
    }
    if (tok === '-') return -factor();
    if (tok === '+') return factor();
    return Number(tok);
  };
  const product = (): number => {
    let v = factor();
    while (peek() === '*' || peek() === '/') {
      const op = tokens[i++];
      const r = factor();
      v = op === '*' ? v * r : r === 0 ? NaN : v / r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (peek() === '+' || peek() === '-') {
      const op = tokens[i++];
      const r = product();
      v = op === '+' ? v + r : v - r;
    }
    return v;
  };
  const v = sum();
  return Number.isFinite(v) ? v : null;
}

function holds(operator: string, l: SideResult, r: SideResult): boolean {
  const a = l.value ?? 0;
  const b = r.value ?? 0;
  const eps = 1e-9;
  switch (operator) {
    case 'equal_to': return Math.abs(a - b) < eps;
    case 'not_equal_to': return Math.abs(a - b) >= eps;
    case 'greater_than': return a > b + eps;
    case 'greater_than_or_equal_to': return a >= b - eps;
    case 'less_than': return a < b - eps;
    case 'less_than_or_equal_to': return a <= b + eps;
    case 'compulsory_pair': return (l.missing < l.total) === (r.missing < r.total);
    case 'exclusive_pair': return !(l.missing < l.total && r.missing < r.total);
    default: return true;
  }
}

export interface RuleViolation { rule: ValidationRule; left: number | null; right: number | null; elements: string[] }

export function checkRules(rules: ValidationRule[], values: Values, elements: Map<string, FormElement>): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const rule of rules) {
    const pair = rule.operator === 'compulsory_pair' || rule.operator === 'exclusive_pair';
    const l = evaluateSide(rule.leftSide.expression, pair ? 'NEVER_SKIP' : rule.leftSide.missingValueStrategy, values, elements);
    const r = evaluateSide(rule.rightSide.expression, pair ? 'NEVER_SKIP' : rule.rightSide.missingValueStrategy, values, elements);
    if (l === 'skip' || r === 'skip') continue;
    // Nothing entered on either side: nothing to check yet.
    if (l.missing === l.total && r.missing === r.total) continue;
    if (!holds(rule.operator, l, r)) out.push({ rule, left: l.value, right: r.value, elements: [...new Set([...l.refs, ...r.refs])] });
  }
  return out;
}

/**
 * An entry far from the facility's own history: robust z-score |0.6745·(x−median)/MAD| > 3.5 when
 * there are 3 or more earlier values (MAD 0: differs from the median by more than 50% and more
 * than 10), or outside [min, max] widened by 50% (min/2 to 1.5·max).
 */
export function isOutlier(x: number, h: HistoryStat | undefined): boolean {
  if (!h || h.n < 3) return false;
  const diff = Math.abs(x - h.median);
  const z = h.mad > 0 ? Math.abs((0.6745 * (x - h.median)) / h.mad) > 3.5 : diff > 10 && diff > 0.5 * Math.abs(h.median);
  // [min, max] widened by 50% of each bound (counts are never negative).
  const lo = h.min - 0.5 * Math.abs(h.min);
  const hi = h.max + 0.5 * Math.abs(h.max);
  return z || x < lo || x > hi;
}
