import { createContext, useContext } from 'react';
import { api, setToken } from '../../api.ts';

export interface OrgUnitRef {
  id: string;
  name: string;
  nameHi?: string | null;
  level: string;
  lgdCode: string | null;
}

export interface Me {
  id: string;
  username: string;
  name?: string | null;
  role: string;
  permissions: string[];
  orgUnit: OrgUnitRef;
}

export interface LoginAnswer {
  token: string;
  expiresAt: string;
  user: unknown;
}

export async function login(username: string, password: string): Promise<Me> {
  const answer = await api<LoginAnswer>('POST', '/api/auth/login', { body: { username, password } });
  setToken(answer.token);
  return fetchMe();
}

export function fetchMe(): Promise<Me> {
  return api<Me>('GET', '/api/auth/me');
}

export async function logout(): Promise<void> {
  try {
    await api<unknown>('POST', '/api/auth/logout');
  } finally {
    setToken(null);
  }
}

export function can(me: Me, permission: string): boolean {
  const perms = me.permissions ?? [];
  return perms.includes(permission) || perms.includes('*');
}

export const SessionContext = createContext<Me | null>(null);

export function useMe(): Me {
  const me = useContext(SessionContext);
  if (!me) throw new Error('useMe outside a signed-in session');
  return me;
}
