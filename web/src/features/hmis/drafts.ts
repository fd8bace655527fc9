/**
 * Drafts of the monthly return kept on the device (localStorage), one per data set / period / org
 * unit, written on every change. `touched` are the cells changed since the last successful send;
 * a draft with touched cells is sent when the device is back online.
 */
import { ApiError } from '../../api.ts';
import { getForm, sendValues, type DataSetForm, type DataValue, type ImportSummary, type Ref } from './hmis.api.ts';
import type { Values } from './rules.ts';

const PREFIX = 'swasthya.hmisDraft.';
const FORM_PREFIX = 'swasthya.hmisForm.';

export interface Draft { ref: Ref; values: Values; touched: string[]; savedAt: string; label?: string }

export const draftKey = (ref: Ref) => `${PREFIX}${ref.dataSet}.${ref.period}.${ref.orgUnit}`;

export function loadDraft(ref: Ref): Draft | null {
  try {
    const raw = localStorage.getItem(draftKey(ref));
    return raw ? (JSON.parse(raw) as Draft) : null;
  } catch {
    return null;
  }
}

export function saveDraft(ref: Ref, values: Values, touched: Iterable<string>, label?: string): void {
  const draft: Draft = { ref, values, touched: [...touched], savedAt: new Date().toISOString(), label };
  try {
    localStorage.setItem(draftKey(ref), JSON.stringify(draft));
  } catch {
    /* storage full or private mode: the form still works online */
  }
}

export function pendingDrafts(): Draft[] {
  const out: Draft[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const key = localStorage.key(i);
      if (!key?.startsWith(PREFIX)) continue;
      const d = JSON.parse(localStorage.getItem(key) ?? 'null') as Draft | null;
      if (d?.touched?.length) out.push(d);
    }
  } catch {
    /* ignore */
  }
  return out;
}

/** The touched cells as the data values to send (an empty value deletes the stored one). */
export function toDataValues(values: Values, touched: Iterable<string>): DataValue[] {
  return [...touched].map((key) => {
    const [dataElement = '', categoryOptionCombo = ''] = key.split('.');
    return { dataElement, categoryOptionCombo, value: (values[key] ?? '').trim() };
  });
}

/** Conflict messages by cell key, from the indexes of the import summary. */
export function conflictsByCell(summary: ImportSummary, sent: DataValue[]): { cells: Record<string, string>; other: string[] } {
  const cells: Record<string, string> = {};
  const other: string[] = [];
  for (const c of summary.conflicts ?? []) {
    const idx = c.indexes ?? [];
    const named = idx.map((i) => sent[i]).filter((v): v is DataValue => !!v);
    if (!named.length) other.push(c.value);
    for (const v of named) cells[`${v.dataElement}.${v.categoryOptionCombo}`] = c.value;
  }
  return { cells, other };
}

export interface SyncResult { ref: Ref; label?: string; sent: number; summary?: ImportSummary; error?: string }

/** Sends every draft with unsent cells; drafts that fail to reach the server stay pending. */
export async function syncDrafts(): Promise<SyncResult[]> {
  const results: SyncResult[] = [];
  for (const d of pendingDrafts()) {
    const sent = toDataValues(d.values, d.touched);
    try {
      const summary = await sendValues(d.ref, sent);
      const { cells } = conflictsByCell(summary, sent);
      // Cells the server refused stay touched so they can be corrected and sent again.
      saveDraft(d.ref, d.values, d.touched.filter((k) => k in cells), d.label);
      results.push({ ref: d.ref, label: d.label, sent: sent.length, summary });
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) break; // still offline
      results.push({ ref: d.ref, label: d.label, sent: 0, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return results;
}

/** The data set form, from the server or (offline) from the copy kept on this device. */
export async function formWithCache(idOrCode: string, signal?: AbortSignal): Promise<DataSetForm> {
  try {
    const form = await getForm(idOrCode, signal);
    try {
      localStorage.setItem(FORM_PREFIX + idOrCode, JSON.stringify(form));
    } catch {
      /* ignore */
    }
    return form;
  } catch (err) {
    const cached = localStorage.getItem(FORM_PREFIX + idOrCode);
    if (err instanceof ApiError && err.status === 0 && cached) return JSON.parse(cached) as DataSetForm;
    throw err;
  }
}

