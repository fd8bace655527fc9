// The health-card survey's remote adapter: the server's survey endpoints. The local adapter (what
// the phone keeps while offline) is survey.store.ts; survey.sync.ts moves households between them.
import { api, get } from '../../api.ts';
import type { Sex } from '../patients/patients.api.ts';

export interface Area {
  id: string;
  name: string;
  nameHi: string | null;
  level: string;
  lgdCode?: string | number | null;
}

/** One member as the server takes it (the first is the head of the household). */
export interface MemberBody {
  name: string;
  sex: Sex;
  birthDate?: string;
  age?: number;
  mobile?: string;
  abha?: string;
  relation: string;
}

export interface HouseholdBody {
  clientId: string;
  area: string;
  addressLine?: string;
  familyExternalId?: string;
  recordedAt?: string;
  members: MemberBody[];
}

export interface SyncProblem { member?: number; field?: string; message: string; messageHi?: string }

export interface SyncResult {
  clientId: string;
  status: 'created' | 'already_synced' | 'refused';
  familyNumber?: string;
  stateNumbers?: string[];
  problems?: SyncProblem[];
}

export interface CoverageRow {
  id: string;
  name: string;
  nameHi: string | null;
  households: number;
  people: number;
  withAbha: number;
  withCard: number;
  enumerators: number;
}

export interface Coverage {
  orgUnit: { id: string; name: string; nameHi: string | null };
  items: CoverageRow[];
}

/** The server takes at most 200 households in one sync. */
export const SYNC_BATCH = 50;

/** Relations to the head of the household (the server's list, the head aside). */
export const RELATIONS = [
  'spouse', 'son', 'daughter', 'father', 'mother', 'brother', 'sister', 'grandson', 'granddaughter',
  'grandfather', 'grandmother', 'daughter_in_law', 'son_in_law', 'other',
] as const;

export const getAssignments = (signal?: AbortSignal) =>
  get<{ items: Area[] }>('/api/survey/assignments', undefined, signal);

export const sendHouseholds = (households: HouseholdBody[]) =>
  api<{ results: SyncResult[] }>('POST', '/api/survey/sync', { body: { households } });

export const assignArea = (username: string, area: string) =>
  api<{ username: string; area: Area }>('POST', '/api/survey/assignments', { body: { username, area } });

export const getCoverage = (orgUnit: string, signal?: AbortSignal) =>
  get<Coverage>('/api/survey/coverage', { orgUnit }, signal);
