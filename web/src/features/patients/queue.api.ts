// The OPD queue of a facility as the counter and the doctor work it (server: patients.opd.ts).
import { api, get } from '../../api.ts';
import type { Sex } from './patients.api.ts';

export const TOKEN_STATES = ['waiting', 'called', 'with_doctor', 'done', 'absent'] as const;
export type TokenState = (typeof TOKEN_STATES)[number];

export interface QueueToken {
  id: string;
  token: number;
  department: string;
  status: TokenState;
  at: string;
  times: { called: string | null; withDoctor: string | null; done: string | null; absent: string | null; recalled: string | null };
  statusAt: string | null;
  statusBy: string | null;
  patient: { id: string; stateNumber: string; name: string; nameHi: string | null; nameLatin: string | null; sex: Sex; birthYear: number };
}

export interface QueuePage {
  facility: { id: string; name: string; nameHi: string | null };
  day: string;
  counts: Record<TokenState | 'all', number>;
  total: number;
  limit: number;
  offset: number;
  more: boolean;
  items: QueueToken[];
}

export const QUEUE_PAGE = 20;

export const getQueue = (q: { day?: string; department?: string; status?: TokenState; offset: number }, signal?: AbortSignal) =>
  get<QueuePage>('/api/opd/queue', { ...q, limit: QUEUE_PAGE }, signal);

/** The moves each state allows, as the server holds them (TOKEN_MOVES in patients.opd.ts). */
export const ACTIONS: Record<TokenState, { to: TokenState; key: 'call' | 'withDoctor' | 'done' | 'absent' | 'recall' }[]> = {
  waiting: [{ to: 'called', key: 'call' }, { to: 'absent', key: 'absent' }],
  called: [{ to: 'with_doctor', key: 'withDoctor' }, { to: 'absent', key: 'absent' }],
  with_doctor: [{ to: 'done', key: 'done' }],
  absent: [{ to: 'waiting', key: 'recall' }],
  done: [],
};

export const moveToken = (id: string, status: TokenState) =>
  api<QueueToken>('POST', `/api/opd/registrations/${encodeURIComponent(id)}/status`, { body: { status } });
