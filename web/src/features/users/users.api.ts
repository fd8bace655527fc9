import { api, get } from '../../api.ts';

export const PAGE_SIZE = 20;

/** The care and field roles a district officer may create (the admin: every role); as in the server's users.manage.ts. */
export const OFFICER_ROLES = ['facility_operator', 'doctor', 'cho', 'ultrasound_operator', 'asha', 'dispatcher', 'block_accountant'] as const;

export interface UserItem {
  id: string;
  username: string;
  role: string;
  displayName: string | null;
  active: boolean;
  createdAt: string;
  orgUnit: { id: string; name: string; level: string; lgdCode: number | null };
}

export const listUsers = (offset: number, signal?: AbortSignal) =>
  get<{ items: UserItem[]; total: number; limit: number; offset: number }>('/api/users', { limit: PAGE_SIZE, offset }, signal);

export const createUser = (body: { username: string; password: string; role: string; orgUnit: string; displayName?: string }) =>
  api<{ id: string; username: string }>('POST', '/api/users', { body });

export const setPassword = (username: string, password: string) =>
  api<{ username: string; passwordChanged: boolean }>('POST', `/api/users/${encodeURIComponent(username)}/password`, { body: { password } });

export const activateUser = (username: string) =>
  api<{ username: string; active: boolean }>('POST', `/api/users/${encodeURIComponent(username)}/activate`);

export const deactivateUser = (username: string) =>
  api<{ username: string; active: boolean }>('POST', `/api/users/${encodeURIComponent(username)}/deactivate`);
