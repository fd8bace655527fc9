import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatMessage, localeOf } from './format';
export type Lang = 'en' | 'hi';
type En = typeof import('./messages.en.ts').default;
type Hi = typeof import('./messages.hi.ts').default;
export type MessageKey = keyof En;
export type Messages = Record<MessageKey, string>;

// Both tables must carry exactly the same keys: each line fails to compile if one lacks a key.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : never) : never;
const sameKeys: SameKeys<En, Hi> = true;
void sameKeys;

/**
 * The messages of each language loaded so far. A phone fetches only its own language's table (each
 * is ~40 kB compressed); the other is fetched when the user switches (the service worker has both
 * for offline use). `loadMessages` is awaited before the first render (main.tsx).
 */
const tables: Partial<Record<Lang, Messages>> = {};

export async function loadMessages(lang: Lang): Promise<Messages> {
  const loaded = tables[lang];
  if (loaded) return loaded;
  const table = (lang === 'hi' ? (await import('./messages.hi.ts')).default : (await import('./messages.en.ts')).default) as Messages;
  tables[lang] = table;
  return table;
}

function tableOf(lang: Lang): Messages {
  const table = tables[lang] ?? tables.en ?? tables.hi;
  if (!table) throw new Error('the messages are not loaded: await loadMessages(lang) before rendering');
  return table;
}

const STORAGE_KEY = 'swasthya.lang';

export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'hi' ? 'hi' : 'en';
  } catch {
    return 'en';
  }
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  lang: Lang;
  setLang: (lang: Lang) => void;
  t: Translate;
  /** Translate a key built at run time (a code from the server); `fallback` when there is no such key. */
  tx: (key: string, fallback?: string) => string;
  /** Indian digit grouping: 1,23,456 */
  num: (n: number | null | undefined) => string;
  /** DD/MM/YYYY */
  date: (iso: string | null | undefined) => string;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);

  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = tableOf(lang)['app.title'];
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    // The table is fetched first (offline, the service worker has it), then the screen changes language;
    // a table that cannot be fetched leaves the screen as it was.
    loadMessages(next).then(() => {
      try {
        localStorage.setItem(STORAGE_KEY, next);
      } catch {
        /* private mode: keep it for this page only */
      }
      setLangState(next);
    }, () => undefined);
  }, []);

  const value = useMemo<I18n>(() => {
    const table = tableOf(lang);
    const locale = localeOf(lang);
    const fmt = new Intl.NumberFormat(locale);
    // ICU messages (plural forms: `{count, plural, one {# token} other {# tokens}}`), compiled once and cached.
    const t: Translate = (key, params) => formatMessage(table[key] ?? key, locale, params);
    return {
      lang,
      setLang,
      t,
      tx: (key, fallback) => (key in table ? formatMessage(table[key as MessageKey], locale) : (fallback ?? key)),
      num: (n) => (n === null || n === undefined || Number.isNaN(n) ? '—' : fmt.format(n)),
      date: (iso) => formatDate(iso),
    };
  }, [lang, setLang]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (m && iso.length === 10) return `${m[3]}/${m[2]}/${m[1]}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // Dates are reckoned in India Standard Time.
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric',
  }).format(d);
  return parts;
}

/** DD/MM/YYYY, HH:MM in India Standard Time, of an ISO timestamp. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
}
