import { api, get } from '../../api.ts';
import type { Patient, PatientRecord, Sex } from './patients.api.ts';

/** A record as read for editing: `version` is what the edit names (a record changed since is refused, 409). */
export type EditableRecord = PatientRecord & { version: string; mergedInto?: string | null };

/** The fields an edit may change; absent ones stay as they are, an empty string clears a field. */
export interface PatientEdit {
  version: string;
  name?: string;
  nameHi?: string;
  sex?: Sex;
  birthDate?: string;
  age?: number;
  mobile?: string;
  addressLine?: string;
  abha?: string;
  abhaAddress?: string;
  aadhaar?: string;
  bloodGroup?: string;
}

export const getEditable = (id: string, signal?: AbortSignal) =>
  get<EditableRecord>(`/api/patients/${encodeURIComponent(id)}`, { purpose: 'care' }, signal);

export const editPatient = (id: string, body: PatientEdit) =>
  api<Patient & { version: string; changed: string[] }>('PATCH', `/api/patients/${encodeURIComponent(id)}`, { body });

export interface MergeSide { id: string; stateNumber: string; name?: string; nameHi?: string | null }
export interface MergeEntry {
  id: string; reason: string; mergedBy: string | null; mergedAt: string; undoneBy: string | null; undoneAt: string | null;
  from: MergeSide; into: MergeSide;
}

export const getMerges = (id: string, signal?: AbortSignal) =>
  get<{ items: MergeEntry[] }>(`/api/patients/${encodeURIComponent(id)}/merges`, undefined, signal);

/** Merges the duplicate `fromId` into the record kept, `intoId`. */
export const mergePatients = (fromId: string, intoId: string, reason: string) =>
  api<{ mergeId: string; from: string; into: string; moved: Record<string, number> }>('POST', `/api/patients/${encodeURIComponent(fromId)}/merge`, { body: { into: intoId, reason } });

export const undoMerge = (mergeId: string) =>
  api<{ mergeId: string; undone: true }>('POST', `/api/patients/merges/${encodeURIComponent(mergeId)}/undo`);
