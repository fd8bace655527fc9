import { getToken } from '../../api.ts';
import { storedLang } from '../../i18n/i18n.tsx';
import type { DataSetForm, FormElement } from '../hmis/hmis.api.ts';

export interface ErrorReport { errorCode: string; message: string; mainKlass?: string; errorProperty?: string; value?: string }
export interface Stats { created: number; updated: number; deleted: number; ignored: number; total: number }
export interface ImportReport {
  status: 'OK' | 'WARNING' | 'ERROR';
  stats: Stats;
  typeReports: { klass: string; stats: Stats; objectReports: { klass: string; uid: string | null; index: number; errorReports: ErrorReport[] }[] }[];
  warnings?: string[];
}

export interface ElementDraft {
  id: string;
  code: string | null;
  name: string;
  nameHi: string;
  formName: string;
  formNameHi: string | null;
  zeroIsSignificant: boolean;
  valueType: string;
  categoryCombo: string;
  shortName: string | null;
  aggregationType: string;
  translations: Translation[];
}

interface Translation { property: string; locale: string; value: string }

export interface DataSetDraft { timelyDays: string; expiryDays: string; openFuturePeriods: string }

export const draftOf = (e: FormElement): ElementDraft => ({
  id: e.id, code: e.code, name: e.name, nameHi: e.nameHi ?? '', formName: e.formName ?? '', formNameHi: e.formNameHi ?? null,
  zeroIsSignificant: e.zeroIsSignificant, valueType: e.valueType, categoryCombo: e.categoryCombo.id,
  shortName: e.shortName ?? null, aggregationType: e.aggregationType ?? 'SUM', translations: (e.translations as Translation[] | undefined) ?? [],
});

/** The object's translations with the Hindi ones edited here replaced; every other translation is kept. */
const translations = (existing: Translation[], pairs: [string, string | null | undefined][]) => [
  ...existing.filter((t) => !(t.locale?.startsWith('hi') && pairs.some(([p]) => p === t.property))),
  ...pairs.filter(([, v]) => v && v.trim()).map(([property, value]) => ({ property, locale: 'hi', value: value!.trim() })),
];

/** A data element as DHIS2 JSON, keeping what this screen does not edit (short name, aggregation, other translations). */
export function elementJson(e: ElementDraft) {
  return {
    id: e.id,
    name: e.name.trim(),
    shortName: e.shortName ?? e.name.trim().slice(0, 50),
    ...(e.code ? { code: e.code } : {}),
    valueType: e.valueType,
    domainType: 'AGGREGATE',
    aggregationType: e.aggregationType,
    categoryCombo: { id: e.categoryCombo },
    zeroIsSignificant: e.zeroIsSignificant,
    formName: e.formName.trim() || undefined,
    translations: translations(e.translations, [['NAME', e.nameHi], ['FORM_NAME', e.formNameHi]]),
  };
}

export function dataSetJson(form: DataSetForm, d: DataSetDraft) {
  const ds = form.dataSet as DataSetForm['dataSet'] & { categoryCombo?: string | { id: string }; shortName?: string | null; translations?: Translation[] };
  const combo = typeof ds.categoryCombo === 'string' ? ds.categoryCombo : ds.categoryCombo?.id;
  const elements = new Map(form.sections.flatMap((s) => s.elements.map((e) => [e.id, e] as const)));
  return {
    id: ds.id,
    name: ds.name,
    shortName: ds.shortName ?? ds.name.slice(0, 50),
    ...(ds.code ? { code: ds.code } : {}),
    periodType: ds.periodType,
    timelyDays: Number(d.timelyDays),
    expiryDays: Number(d.expiryDays),
    openFuturePeriods: Number(d.openFuturePeriods),
    ...(combo ? { categoryCombo: { id: combo } } : {}),
    dataSetElements: [...elements.values()].map((e) => ({ dataElement: { id: e.id }, dataSet: { id: ds.id }, ...(e.dataSetCategoryCombo ? { categoryCombo: { id: e.dataSetCategoryCombo } } : {}) })),
    translations: translations(ds.translations ?? [], [['NAME', ds.nameHi]]),
  };
}

/** POST /api/metadata; answers the import report for 200 and 409 alike. */
export async function postMetadata(body: unknown): Promise<ImportReport> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': storedLang() };
  const token = getToken();
  if (token) headers['Authorization'] = `Bearer ${token}`;
  const res = await fetch('/api/metadata', { method: 'POST', headers, body: JSON.stringify(body) });
  const data = (await res.json().catch(() => null)) as (ImportReport & { error?: { message?: string } }) | null;
  if (data && 'status' in data && data.stats) return data;
  throw new Error(data?.error?.message ?? `HTTP ${res.status}`);
}

/** Whole number between min and max, else an error key. */
export function checkInt(v: string, max: number): boolean {
  return /^\d+$/.test(v.trim()) && Number(v) <= max;
}
