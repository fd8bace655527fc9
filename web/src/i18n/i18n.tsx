import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatMessage, localeOf } from './format';
import baseEn from './en.json';
import baseHi from './hi.json';
import surveyEn from '../features/survey/messages.en.json';
import surveyHi from '../features/survey/messages.hi.json';
import careEn from '../features/patients/messages.en.json';
import careHi from '../features/patients/messages.hi.json';
import careEditEn from '../features/patients/messages.edit.en.json';
import careEditHi from '../features/patients/messages.edit.hi.json';
import teleEn from '../features/telemedicine/messages.en.json';
import teleHi from '../features/telemedicine/messages.hi.json';
import statsEn from '../features/telestats/messages.en.json';
import statsHi from '../features/telestats/messages.hi.json';
import chartsEn from '../features/analytics/messages.en.json';
import chartsHi from '../features/analytics/messages.hi.json';
import maternalEn from '../features/maternal/messages.en.json';
import maternalHi from '../features/maternal/messages.hi.json';
import placesEn from '../features/geo/messages.en.json';
import placesHi from '../features/geo/messages.hi.json';
import responseEn from '../features/response-times/messages.en.json';
import responseHi from '../features/response-times/messages.hi.json';

import outboxEn from '../features/messages/messages.en.json';
import outboxHi from '../features/messages/messages.hi.json';
import fleetEn from '../features/ambulances/messages.en.json';
import fleetHi from '../features/ambulances/messages.hi.json';
import incomingEn from '../features/dispatch/messages.en.json';
import incomingHi from '../features/dispatch/messages.hi.json';
import helplineEn from '../features/helpline/messages.en.json';
import helplineHi from '../features/helpline/messages.hi.json';
import grievancesEn from '../features/grievances/messages.en.json';
import grievancesHi from '../features/grievances/messages.hi.json';
import ashaEn from '../features/asha/messages.en.json';
import ashaHi from '../features/asha/messages.hi.json';
import kitchensEn from '../features/kitchens/messages.en.json';
import kitchensHi from '../features/kitchens/messages.hi.json';
import registersEn from '../features/registers/messages.en.json';
import registersHi from '../features/registers/messages.hi.json';
import schemesEn from '../features/schemes/messages.en.json';
import schemesHi from '../features/schemes/messages.hi.json';
// Features newer than the base files keep their messages beside them; the tables are merged here.
const en = { ...baseEn, ...surveyEn, ...careEn, ...careEditEn, ...teleEn, ...statsEn, ...chartsEn, ...maternalEn, ...placesEn, ...responseEn, ...fleetEn, ...incomingEn, ...grievancesEn, ...helplineEn, ...outboxEn, ...ashaEn, ...kitchensEn, ...schemesEn, ...registersEn };
const hi = { ...baseHi, ...surveyHi, ...careHi, ...careEditHi, ...teleHi, ...statsHi, ...chartsHi, ...maternalHi, ...placesHi, ...responseHi, ...fleetHi, ...incomingHi, ...grievancesHi, ...helplineHi, ...outboxHi, ...ashaHi, ...kitchensHi, ...schemesHi, ...registersHi };

export type Lang = 'en' | 'hi';
export type MessageKey = keyof typeof en;

// Both files must carry exactly the same keys: each assignment fails to compile if one lacks a key.
const enCheck: Record<keyof typeof hi, string> = en;
const hiCheck: Record<MessageKey, string> = hi;
export const messages: Record<Lang, Record<MessageKey, string>> = { en: enCheck, hi: hiCheck };

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
    document.title = messages[lang]['app.title'];
  }, [lang]);

  const setLang = useCallback((next: Lang) => {
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* private mode: keep it for this page only */
    }
    setLangState(next);
  }, []);

  const value = useMemo<I18n>(() => {
    const table = messages[lang];
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
