/**
 * One gate for text arriving from outside, run on every request before its schema is checked
 * (`installInputGuard`, a `preValidation` hook for /api and /fhir), and by importers on what they
 * parse themselves (CSV, ADX and spreadsheets: `cleanInput`).
 *
 * 1. Strings PostgreSQL cannot keep are refused with a 400 naming the field (`body.name`,
 *    `query.q`, `params.id`): the NUL character (U+0000, `\u0000` in JSON, `%00` in a URL), which
 *    text and jsonb columns reject, and lone UTF-16 surrogates (`\uD800` without its pair), which the
 *    drivers would silently turn into U+FFFD. Field names are checked too, and values nested more
 *    than MAX_DEPTH levels deep are refused before any code recurses into them.
 * 2. A full Aadhaar number written into free text of a JSON body is masked to `XXXX-XXXX-1234`
 *    (the mask of `maskAadhaar`). The rule, so that identifiers are never changed:
 *    - a candidate is 12 digits (contiguous, or as 4+4+4 with spaces or hyphens), the first not 0 or 1,
 *      passing Verhoeff, and standing on its own (not inside a longer run of digits, a word, a
 *      decimal number, a path or a `+91…` mobile number);
 *    - it is masked when the string holds other text besides the number(s), or when the field is a
 *      named free-text field (notes, comment, complaint, description, reason, address lines, …,
 *      FREE_TEXT) even if it holds only the number;
 *    - a string that is only the number in any other field (`registrationNumber`, ids, codes, a
 *      data value) is left alone: it is an identifier, and the field's own rules decide (the
 *      `aadhaar` field keeps only the last four digits itself);
 *    - fields that hold secrets or encoded data are never changed (NEVER_MASK: passwords, tokens,
 *      OTPs, keys, base64 `data`, and `aadhaar`).
 *    Query strings and path parameters are only checked, never changed: they are not stored.
 */
import type { FastifyInstance } from 'fastify';
import { fieldErrors, type FieldProblem } from './errors.js';
import { maskAadhaar, verhoeffValid } from '../modules/patients/patients.identity.js';

/** Deeper than this, a value is refused: no form, FHIR resource or DHIS2 payload comes near it. */
export const MAX_DEPTH = 100;
/** At most this many problems are listed in one answer. */
const MAX_PROBLEMS = 10;

const NEVER_MASK = /password|secret|token|otp|key|signature|hash|aadhaar|^data$/i;
const FREE_TEXT = /^(notes?|comments?|complaints?|chiefComplaint|description|reason|remarks?|address(Line\d?)?|line\d?|lines|history|instructions?|advice|findings|summary|narrative|text|div|message|annotation|details|diagnosis|symptoms?|purpose|title)$/i;

/** A 12-digit candidate standing on its own; the groups are the three runs of four digits. */
const CANDIDATE = /(?<![\p{L}\p{N}_/#+])(?<!\p{N}[.,])(?<![\p{L}\p{N}]-)(?<!\p{N}[ \u00A0-])([2-9]\d{3})[ \u00A0-]?(\d{4})[ \u00A0-]?(\d{4})(?![\p{L}\p{N}_])(?![.,/-][\p{L}\p{N}])(?![ \u00A0-]\p{N})/gu;

type Problem = 'nul' | 'surrogate';
/** A high surrogate without its low half, or a low one without its high half (UTF-16 code units, no `u` flag). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why PostgreSQL cannot keep this text as sent, or null. */
export function unstorable(text: string): Problem | null {
  if (text.includes('\u0000')) return 'nul';
  if (LONE_SURROGATE.test(text)) return 'surrogate';
  return null;
}

const MESSAGES: Record<Problem | 'depth', { en: string; hi: string }> = {
  nul: {
    en: 'contains a NUL character (\\u0000, %00), which cannot be stored; remove it',
    hi: 'में NUL अक्षर (\\u0000, %00) है, जिसे सहेजा नहीं जा सकता; इसे हटाएँ',
  },
  surrogate: {
    en: 'contains a broken character (a lone UTF-16 surrogate, \\uD800–\\uDFFF); send valid Unicode text',
    hi: 'में एक टूटा हुआ अक्षर (अकेला UTF-16 सरोगेट, \\uD800–\\uDFFF) है; सही यूनिकोड पाठ भेजें',
  },
  depth: {
    en: `is nested more than ${MAX_DEPTH} levels deep; send a flatter value`,
    hi: `${MAX_DEPTH} से अधिक स्तर तक एक के अंदर एक है; सरल मान भेजें`,
  },
};

const problem = (field: string, kind: Problem | 'depth', inName = false): FieldProblem => ({
  field,
  message: `${inName ? 'the field name ' : ''}${MESSAGES[kind].en}`,
  messageHi: `${inName ? 'फ़ील्ड के नाम ' : ''}${MESSAGES[kind].hi}`,
});

const IDENT = /^[A-Za-z_$][\w$]*$/;
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : IDENT.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * Masks full Aadhaar numbers in `text` by the rule above; `freeText` says the field is a named
 * free-text field (then a string that is only the number is masked too).
 */
export function maskAadhaarInText(text: string, freeText = false): string {
  if (text.length < 12 || !/\d{4}/.test(text)) return text;
  let found = false;
  const masked = text.replace(CANDIDATE, (m: string, a: string, b: string, c: string) => {
    if (!verhoeffValid(a + b + c)) return m;
    found = true;
    return maskAadhaar(c);
  });
  if (!found) return text;
  if (freeText) return masked;
  const rest = text.replace(CANDIDATE, (m: string, a: string, b: string, c: string) => (verhoeffValid(a + b + c) ? '' : m));
  return /[\p{L}\p{N}]/u.test(rest) ? masked : text;
}

/** An object as JSON and query-string parsers make them (their prototype is Object.prototype or has none above it). */
const isPlainObject = (v: object) => { const proto = Object.getPrototypeOf(v); return proto === null || Object.getPrototypeOf(proto) === null; };

interface Frame { value: unknown; path: string; depth: number; key: string | null; holder: Record<string | number, unknown> | null; slot: string | number | null; badKey?: Problem }

/**
 * Checks every string (and field name) in `value`, refusing text PostgreSQL cannot keep with a 400
 * naming each field under `where` (`body`, `query`, `params`), and, with `mask`, masks full Aadhaar
 * numbers in free text in place. Iterative, so a deeply nested value cannot exhaust the stack.
 * Returns the value (a new string when `value` itself is a string that was masked).
 */
export function cleanInput<T>(value: T, where: string, opts: { mask?: boolean } = {}): T {
  const problems: FieldProblem[] = [];
  const mask = opts.mask ?? true;
  let result: unknown = value;
  const stack: Frame[] = [{ value, path: where, depth: 0, key: null, holder: null, slot: null }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const f = stack.pop()!;
    if (f.badKey) { problems.push(problem(f.path, f.badKey, true)); continue; }
    const v = f.value;
    if (typeof v === 'string') {
      const bad = unstorable(v);
      if (bad) { problems.push(problem(f.path, bad)); continue; }
      if (mask && f.key !== null && !NEVER_MASK.test(f.key)) {
        const masked = maskAadhaarInText(v, FREE_TEXT.test(f.key));
        if (masked !== v) {
          if (f.holder) f.holder[f.slot!] = masked;
          else result = masked;
        }
      }
      continue;
    }
    // Only what JSON parsing makes is walked: a stream or buffer body is its reader's to check.
    if (v === null || typeof v !== 'object' || !(Array.isArray(v) || isPlainObject(v))) continue;
    if (f.depth >= MAX_DEPTH) { problems.push(problem(f.path, 'depth')); continue; }
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) {
        stack.push({ value: v[i], path: child(f.path, i), depth: f.depth + 1, key: f.key, holder: v as unknown as Record<number, unknown>, slot: i });
      }
      continue;
    }
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    for (let i = keys.length - 1; i >= 0; i--) {
      const k = keys[i];
      const badKey = unstorable(k) ?? undefined;
      stack.push({ value: o[k], path: child(f.path, k), depth: f.depth + 1, key: k, holder: o, slot: k, badKey });
    }
  }
  if (problems.length) throw fieldErrors(problems);
  return result as T;
}

/** For a text body (CSV, ADX, XML): refuses text PostgreSQL cannot keep, naming the line it is on. */
export function checkTextBody(text: string, where = 'body') {
  const bad = unstorable(text);
  if (!bad) return;
  const at = bad === 'nul' ? text.indexOf('\u0000') : text.search(LONE_SURROGATE);
  const line = text.slice(0, Math.max(at, 0)).split('\n').length;
  throw fieldErrors([problem(`${where} (line ${line})`, bad)]);
}

/**
 * The request's path parameters, query string and body pass `cleanInput` before the route's schema
 * is checked: after sign-in (401 first), before any handler or database sees them. Binary and
 * streamed bodies (documents, spreadsheets, streamed imports) are left to their readers, which call
 * `cleanInput` on what they parse; text bodies read whole (CSV, ADX) are checked here.
 */
export function installInputGuard(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const problems: FieldProblem[] = [];
    const collect = (fn: () => void) => {
      try { fn(); } catch (e) {
        const fields = (e as { details?: { fields?: FieldProblem[] } }).details?.fields;
        if (!fields) throw e;
        problems.push(...fields);
      }
    };
    collect(() => cleanInput(request.params, 'params', { mask: false }));
    collect(() => cleanInput(request.query, 'query', { mask: false }));
    const body = request.body;
    if (typeof body === 'string') collect(() => checkTextBody(body));
    else if (body !== null && typeof body === 'object') collect(() => cleanInput(body, 'body'));
    if (problems.length) throw fieldErrors(problems.slice(0, MAX_PROBLEMS));
  });
}
