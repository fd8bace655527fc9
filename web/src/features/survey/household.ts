// A household as the enumerator types it on the phone: the values kept (as typed) while it waits to
// sync, the checks made before it is saved, and the body sent to the server.
import { EMPTY_PATIENT, toBody, validate, type Problem } from '../patients/registerForm.ts';
import type { Sex } from '../patients/patients.api.ts';
import type { HouseholdBody, MemberBody, SyncProblem } from './survey.api.ts';

export interface MemberValues {
  name: string;
  sex: Sex | '';
  birthDate: string;
  age: string;
  mobile: string;
  abha: string;
  /** 'head' for the first member. */
  relation: string;
}
export type MemberField = keyof MemberValues;

export interface HouseholdValues {
  area: string;
  addressLine: string;
  familyExternalId: string;
  members: MemberValues[];
}

/** A household kept on this phone: waiting to sync, synced, or refused (and then editable). */
export interface LocalHousehold extends HouseholdValues {
  clientId: string;
  /** When it was recorded at the door (ISO). */
  recordedAt: string;
  status: 'pending' | 'synced' | 'refused';
  familyNumber?: string;
  stateNumbers?: string[];
  problems?: SyncProblem[];
  syncedAt?: string;
}

export const emptyMember = (relation: string): MemberValues => ({ name: '', sex: '', birthDate: '', age: '', mobile: '', abha: '', relation });
export const emptyHousehold = (area = ''): HouseholdValues => ({ area, addressLine: '', familyExternalId: '', members: [emptyMember('head')] });

export const MEMBER_FIELDS: MemberField[] = ['name', 'sex', 'birthDate', 'age', 'mobile', 'abha', 'relation'];

export interface HouseholdProblems {
  area?: Problem;
  members: Partial<Record<MemberField, Problem>>[];
}

const asPatient = (m: MemberValues) => ({ ...EMPTY_PATIENT, name: m.name, sex: m.sex, birthDate: m.birthDate, age: m.age, mobile: m.mobile, abha: m.abha, district: 'survey' });

/** Every problem at once (the registration form's checks, member by member). */
export function checkHousehold(h: HouseholdValues): HouseholdProblems {
  const out: HouseholdProblems = { members: [] };
  if (!h.area) out.area = { key: 'survey.err.area' };
  h.members.forEach((m, i) => {
    const p = validate(asPatient(m));
    const mine: Partial<Record<MemberField, Problem>> = {};
    for (const f of ['name', 'sex', 'birthDate', 'age', 'mobile', 'abha'] as const) if (p[f]) mine[f] = p[f];
    if (i > 0 && !m.relation) mine.relation = { key: 'survey.err.relation' };
    out.members.push(mine);
  });
  return out;
}

export const hasProblems = (p: HouseholdProblems) => !!p.area || p.members.some((m) => Object.keys(m).length > 0);

/** The first field with a problem, as the id of its input, to focus. */
export function firstProblemId(p: HouseholdProblems): string | null {
  if (p.area) return 'survey-area';
  for (const [i, m] of p.members.entries()) {
    const f = MEMBER_FIELDS.find((k) => m[k]);
    if (f) return f === 'sex' ? `member-${i}-sex-female` : `member-${i}-${f}`;
  }
  return null;
}

/** What the server is sent for a household kept on the phone. */
export function toHouseholdBody(h: LocalHousehold): HouseholdBody {
  const members: MemberBody[] = h.members.map((m, i) => {
    const { address: _address, ...person } = toBody(asPatient(m));
    return { ...person, relation: i === 0 ? 'head' : m.relation } as MemberBody;
  });
  return {
    clientId: h.clientId,
    area: h.area,
    ...(h.addressLine.trim() ? { addressLine: h.addressLine.trim() } : {}),
    ...(h.familyExternalId.trim() ? { familyExternalId: h.familyExternalId.trim() } : {}),
    recordedAt: h.recordedAt,
    members,
  };
}

/** The form field a refusal names (`address.line` is the household's address). */
export function memberFieldOf(serverField: string | undefined): MemberField | null {
  const f = (serverField ?? '').replace(/^members\.\d+\./, '');
  return (MEMBER_FIELDS as string[]).includes(f) ? (f as MemberField) : null;
}

/** An id for a household made on the phone (crypto.randomUUID needs a secure page; a fallback otherwise). */
export function newClientId(): string {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  c?.getRandomValues?.(bytes);
  const rnd = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `hh-${Date.now().toString(36)}-${rnd || Math.random().toString(36).slice(2)}`;
}

