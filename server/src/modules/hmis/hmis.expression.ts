/**
 * DHIS2 expressions over data values: `#{deUid}` (the element summed over its option combos),
 * `#{deUid.cocUid}`, numbers, + − × ÷ and parentheses. Parsed once into a tree, evaluated without
 * `eval`; used by validation rules and by analytics indicators.
 */
export type Expr =
  | { k: 'num'; v: number }
  | { k: 'term'; de: string; coc: string | null }
  | { k: 'neg'; e: Expr }
  | { k: 'op'; op: '+' | '-' | '*' | '/'; a: Expr; b: Expr };

export interface Operand { de: string; coc: string | null }

/** Thrown by `parse` with the reason, in words. */
export class ExpressionError extends Error {}

export function parse(text: string): Expr {
  const tokens = text.match(/#\{[^}]*\}|\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|[-+*/()]|\S/g) ?? [];
  let i = 0;
  const bad = (why: string): never => { throw new ExpressionError(why); };
  const primary = (): Expr => {
    const t = tokens[i++];
    if (t === undefined) return bad('it ends early');
    if (t === '(') { const e = sum(); if (tokens[i++] !== ')') bad('a bracket is not closed'); return e; }
    if (t === '-') return { k: 'neg', e: primary() };
    if (t === '+') return primary();
    if (/^\d/.test(t)) return { k: 'num', v: Number(t) };
    const m = /^#\{([A-Za-z][A-Za-z0-9]{10})(?:\.([A-Za-z][A-Za-z0-9]{10}))?(?:\.[A-Za-z0-9*]{1,11})?\}$/.exec(t);
    if (m) return { k: 'term', de: m[1], coc: m[2] ?? null };
    return bad(`unexpected ${t}`);
  };
  const product = (): Expr => {
    let e = primary();
    while (tokens[i] === '*' || tokens[i] === '/') { const op = tokens[i++] as '*' | '/'; e = { k: 'op', op, a: e, b: primary() }; }
    return e;
  };
  const sum = (): Expr => {
    let e = product();
    while (tokens[i] === '+' || tokens[i] === '-') { const op = tokens[i++] as '+' | '-'; e = { k: 'op', op, a: e, b: product() }; }
    return e;
  };
  const e = sum();
  if (i < tokens.length) bad(`unexpected ${tokens[i]}`);
  return e;
}

export const termsOf = (e: Expr): Operand[] =>
  e.k === 'term' ? [e] : e.k === 'neg' ? termsOf(e.e) : e.k === 'op' ? [...termsOf(e.a), ...termsOf(e.b)] : [];

export function operands(expr: string): Operand[] {
  try { return termsOf(parse(expr)); } catch { return []; }
}

/** Values by `de` (total) and `de.coc`; null when there is none. */
export type ValueSource = (o: Operand) => number | null;

export interface Evaluated { value: number | null; missing: number; present: number; malformed: boolean }

/** A parsed expression's value with missing items as 0, and how many items were missing or present. */
export function evaluateTree(e: Expr, source: ValueSource): Evaluated {
  let missing = 0;
  let present = 0;
  const ev = (x: Expr): number => {
    switch (x.k) {
      case 'num': return x.v;
      case 'term': { const v = source(x); if (v === null) { missing++; return 0; } present++; return v; }
      case 'neg': return -ev(x.e);
      case 'op': {
        const a = ev(x.a), b = ev(x.b);
        return x.op === '+' ? a + b : x.op === '-' ? a - b : x.op === '*' ? a * b : b === 0 ? NaN : a / b;
      }
    }
  };
  const v = ev(e);
  return { value: Number.isFinite(v) ? v : null, missing, present, malformed: false };
}

export function evaluate(expr: string, source: ValueSource): Evaluated {
  let tree: Expr;
  try { tree = parse(expr); } catch { return { value: null, missing: 0, present: 0, malformed: true }; }
  return evaluateTree(tree, source);
}

/** + − * / and parentheses over numbers; null when the text is anything else. */
export function arithmetic(text: string): number | null {
  try {
    const tree = parse(text);
    return termsOf(tree).length ? null : evaluateTree(tree, () => null).value;
  } catch {
    return null;
  }
}

export type Operator = 'equal_to' | 'not_equal_to' | 'greater_than' | 'greater_than_or_equal_to' | 'less_than' | 'less_than_or_equal_to' | 'compulsory_pair' | 'exclusive_pair';

export interface RuleSide { expression: string; missingValueStrategy: string }

/**
 * DHIS2's validation: each side evaluated with its missing-value strategy; a side that is skipped
 * skips the rule. Returns null when the rule passes or is skipped, else the two values.
 */
export function violates(operator: string, left: RuleSide, right: RuleSide, source: ValueSource): { left: number | null; right: number | null } | null {
  const l = evaluate(left.expression, source);
  const r = evaluate(right.expression, source);
  if (l.malformed || r.malformed) return null;
  if (operator === 'compulsory_pair') return (l.present > 0) !== (r.present > 0) ? { left: l.present ? l.value : null, right: r.present ? r.value : null } : null;
  if (operator === 'exclusive_pair') return l.present > 0 && r.present > 0 ? { left: l.value, right: r.value } : null;
  const skip = (e: Evaluated, strategy: string) =>
    strategy === 'SKIP_IF_ANY_VALUE_MISSING' ? e.missing > 0 : strategy === 'SKIP_IF_ALL_VALUES_MISSING' ? e.present === 0 : false;
  if (skip(l, left.missingValueStrategy) || skip(r, right.missingValueStrategy)) return null;
  const a = l.value!;
  const b = r.value!;
  const ok = {
    equal_to: Math.abs(a - b) < 1e-9, not_equal_to: Math.abs(a - b) >= 1e-9, greater_than: a > b, greater_than_or_equal_to: a >= b,
    less_than: a < b, less_than_or_equal_to: a <= b,
  }[operator as Exclude<Operator, 'compulsory_pair' | 'exclusive_pair'>];
  return ok === undefined || ok ? null : { left: a, right: b };
}
