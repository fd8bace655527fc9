// ICU message formatting (FormatJS's intl-messageformat) for the UI's message tables.
// Kept free of React so node tests can format every message in both languages.
import { IntlMessageFormat } from 'intl-messageformat';

export type Params = Record<string, string | number>;

/** The locale a language's messages and numbers are formatted in: Indian digit grouping (1,23,456). */
export function localeOf(lang: 'en' | 'hi'): string {
  return lang === 'hi' ? 'hi-IN' : 'en-IN';
}

interface Compiled {
  format: IntlMessageFormat | null; // null: the text has no ICU syntax and is returned as it is
  /** Arguments whose value picks a plural/ordinal form: they must be numbers. */
  counted: Set<string>;
}

// Compiled once per locale and text, however many times a screen renders it.
const cache = new Map<string, Compiled>();

interface AstNode {
  type: number;
  value?: string;
  options?: Record<string, { value: AstNode[] }>;
  children?: AstNode[];
}

function countedArgs(ast: AstNode[], out: Set<string>): Set<string> {
  for (const el of ast) {
    // 6: plural (and selectordinal) elements in @formatjs/icu-messageformat-parser's TYPE enum.
    if (el.type === 6 && el.value) out.add(el.value);
    for (const opt of Object.values(el.options ?? {})) countedArgs(opt.value, out);
    if (el.children) countedArgs(el.children, out);
  }
  return out;
}

/** Parse (once) a message; throws on a message that is not valid ICU. */
export function compile(text: string, locale: string): Compiled {
  const id = `${locale}\u0000${text}`;
  let c = cache.get(id);
  if (!c) {
    if (!/[{}'#<]/.test(text)) {
      c = { format: null, counted: new Set() };
    } else {
      const format = new IntlMessageFormat(text, locale, undefined, { ignoreTag: true });
      c = { format, counted: countedArgs(format.getAst() as unknown as AstNode[], new Set()) };
    }
    cache.set(id, c);
  }
  return c;
}

/** A count given as text ("1,234" from `num`) is read back as a number so the plural form is chosen right. */
function asNumber(v: string | number): number | string {
  if (typeof v === 'number') return v;
  const n = Number(v.replace(/,/g, ''));
  return v.trim() !== '' && Number.isFinite(n) ? n : v;
}

/** `{name}` replaced by its value, others left as they are: what a message that cannot be formatted shows. */
function replaceSimple(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Format one message. One that cannot be formatted (an argument not given) shows its `{name}`s replaced. */
export function formatMessage(text: string, locale: string, params?: Params): string {
  let c: Compiled;
  try {
    c = compile(text, locale);
  } catch {
    return replaceSimple(text, params);
  }
  if (!c.format) return text;
  const values: Record<string, string | number> = { ...params };
  for (const name of c.counted) if (name in values) values[name] = asNumber(values[name]!);
  try {
    const out = c.format.format(values);
    return typeof out === 'string' ? out : String(out);
  } catch {
    return replaceSimple(text, params);
  }
}
