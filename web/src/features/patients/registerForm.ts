// The registration form's values, the checks made while typing and the body sent to the server.
import type { MessageKey } from '../../i18n/i18n.tsx';
import { asciiDigits, checkAbha, checkAbhaAddress, checkMobile } from './abha.ts';
import { todayIst, type NewPatient, type Sex } from './patients.api.ts';

export interface RegisterValues {
  name: string;
  nameHi: string;
  sex: Sex | '';
  birthDate: string;
  age: string;
  bloodGroup: string;
  district: string;
  block: string;
  village: string;
  line: string;
  mobile: string;
  abha: string;
  abhaAddress: string;
  aadhaar: string;
}
export type RegisterField = keyof RegisterValues;

export const EMPTY_PATIENT: RegisterValues = {
  name: '', nameHi: '', sex: '', birthDate: '', age: '', bloodGroup: '', district: '', block: '', village: '',
  line: '', mobile: '', abha: '', abhaAddress: '', aadhaar: '',
};

export interface Problem { key: MessageKey; params?: Record<string, string | number> }
export type Problems = Partial<Record<RegisterField, Problem>>;

/** Letters of any script, counted (a name needs at least two). */
const letters = (s: string) => (s.match(/\p{L}/gu) ?? []).length;
export const hasLatin = (s: string) => /[A-Za-z]/.test(s);

/** The age typed, as a whole number of years, or null when it is not one. */
function ageOf(text: string): number | null {
  const t = asciiDigits(text).trim();
  if (!/^\d{1,3}$/.test(t)) return null;
  const n = Number(t);
  return n <= 130 ? n : null;
}

/** The order fields are checked and focused in. */
export const FIELD_ORDER: RegisterField[] = [
  'name', 'nameHi', 'sex', 'birthDate', 'age', 'bloodGroup', 'district', 'block', 'village', 'line', 'mobile', 'abha', 'abhaAddress', 'aadhaar',
];

/** Every problem at once, each as a message key; a failed ABHA check digit is not one (see abhaNeedsConfirming). */
export function validate(v: RegisterValues): Problems {
  const p: Problems = {};
  if (letters(v.name) < 2) p.name = { key: 'patients.err.name' };
  if (!v.sex) p.sex = { key: 'patients.err.sex' };
  if (v.birthDate) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v.birthDate)) p.birthDate = { key: 'patients.err.birthDate' };
    else if (v.birthDate > todayIst()) p.birthDate = { key: 'patients.err.birthFuture' };
    else if (Number(todayIst().slice(0, 4)) - Number(v.birthDate.slice(0, 4)) > 130) p.birthDate = { key: 'patients.err.birthDate' };
  } else if (!v.age.trim()) p.birthDate = { key: 'patients.err.birthOrAge' };
  if (!v.birthDate && v.age.trim() && ageOf(v.age) === null) p.age = { key: 'patients.err.age' };
  if (!v.district) p.district = { key: 'patients.err.district' };
  const mobile = checkMobile(v.mobile);
  if (mobile.kind === 'invalid') p.mobile = { key: mobile.error, params: { count: mobile.count } };
  const abha = checkAbha(v.abha);
  if (abha.kind === 'invalid') p.abha = { key: abha.error, params: { count: abha.count } };
  const address = checkAbhaAddress(v.abhaAddress);
  if (address.kind === 'invalid') p.abhaAddress = { key: address.error };
  const aadhaar = asciiDigits(v.aadhaar).replace(/[\s-]/g, '');
  if (aadhaar && !/^[2-9]\d{11}$/.test(aadhaar)) p.aadhaar = { key: 'patients.err.aadhaar' };
  return p;
}

/** True when the ABHA number is complete but its check digit fails: the operator confirms it against the card. */
export function abhaNeedsConfirming(v: RegisterValues): boolean {
  const abha = checkAbha(v.abha);
  return abha.kind === 'ok' && !abha.luhnValid;
}

/** The request body (only what was filled in). */
export function toBody(v: RegisterValues): NewPatient {
  const mobile = checkMobile(v.mobile);
  const abha = checkAbha(v.abha);
  const address = checkAbhaAddress(v.abhaAddress);
  const age = ageOf(v.age);
  const body: NewPatient = {
    name: v.name.trim().replace(/\s+/g, ' '),
    sex: v.sex as Sex,
    address: { district: v.district },
  };
  if (hasLatin(v.name) && v.nameHi.trim()) body.nameHi = v.nameHi.trim();
  if (v.birthDate) body.birthDate = v.birthDate;
  else if (age !== null) body.age = age;
  if (v.block) body.address.block = v.block;
  if (v.village) body.address.village = v.village;
  if (v.line.trim()) body.address.line = v.line.trim();
  if (mobile.kind === 'ok') body.mobile = mobile.mobile;
  if (abha.kind === 'ok') body.abha = abha.formatted;
  if (address.kind === 'ok') body.abhaAddress = address.address;
  if (v.aadhaar.trim()) body.aadhaar = asciiDigits(v.aadhaar).replace(/[\s-]/g, '');
  if (v.bloodGroup) body.bloodGroup = v.bloodGroup;
  return body;
}

/** What the duplicate check is asked, or null until there is a name to compare. */
export function duplicateQuery(v: RegisterValues): { name: string; sex?: Sex; birthDate?: string; age?: number; mobile?: string } | null {
  const name = v.name.trim().replace(/\s+/g, ' ');
  if (letters(name) < 2) return null;
  const mobile = checkMobile(v.mobile);
  const age = ageOf(v.age);
  return {
    name,
    sex: v.sex || undefined,
    birthDate: /^\d{4}-\d{2}-\d{2}$/.test(v.birthDate) && v.birthDate <= todayIst() ? v.birthDate : undefined,
    age: !v.birthDate && age !== null ? age : undefined,
    mobile: mobile.kind === 'ok' ? mobile.mobile : undefined,
  };
}

/** The form field a server error names (`address.district` → district). */
export function fieldOf(serverField: string): RegisterField | null {
  const f = serverField.replace(/^address\./, '');
  return (FIELD_ORDER as string[]).includes(f) ? (f as RegisterField) : null;
}
