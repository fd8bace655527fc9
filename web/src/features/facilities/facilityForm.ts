import type { MessageKey } from '../../i18n/i18n.tsx';
import type { Facility, FacilityBody } from './facilities.api.ts';

/** Everything the form holds, as the inputs hold it (strings). */
export interface FormValues {
  name: string;
  nameHi: string;
  type: string;
  ownership: string;
  system: string;
  ayushSystem: string;
  state: string;
  district: string;
  block: string;
  latitude: string;
  longitude: string;
  beds: string;
  phone: string;
  email: string;
  address: string;
  pincode: string;
  hfrId: string;
  hwc: string;
  desktops: string;
  webcams: string;
}
export type FieldName = keyof FormValues;
export type FormErrors = Partial<Record<FieldName, MessageKey>>;

export const EMPTY: FormValues = {
  name: '', nameHi: '', type: '', ownership: '', system: 'allopathic', ayushSystem: '',
  state: '', district: '', block: '', latitude: '', longitude: '', beds: '', phone: '', email: '',
  address: '', pincode: '', hfrId: '', hwc: 'no', desktops: '', webcams: '',
};

const str = (v: string | number | null | undefined) => (v === null || v === undefined ? '' : String(v));

export function fromFacility(f: Facility): FormValues {
  return {
    name: f.name, nameHi: str(f.nameHi), type: f.type, ownership: f.ownership, system: f.system,
    ayushSystem: str(f.ayushSystem), state: f.state?.id ?? '', district: f.district?.id ?? '',
    block: f.block?.id ?? '', latitude: str(f.latitude), longitude: str(f.longitude), beds: str(f.beds),
    phone: str(f.phone), email: str(f.email), address: str(f.address), pincode: str(f.pincode),
    hfrId: str(f.hfrId), hwc: f.hwc ? 'yes' : 'no', desktops: str(f.desktops), webcams: str(f.webcams),
  };
}

const isNumber = (s: string) => /^-?\d+(\.\d+)?$/.test(s.trim());
const isCount = (s: string) => /^\d{1,6}$/.test(s.trim());
const compactPhone = (s: string) => s.replace(/[\s-]/g, '');

/** Client-side checks; the server checks again and its answer wins. */
export function validate(v: FormValues): FormErrors {
  const e: FormErrors = {};
  if (!v.name.trim()) e.name = 'validation.required';
  else if (v.name.trim().length < 2) e.name = 'validation.nameShort';
  if (!v.type) e.type = 'validation.required';
  if (!v.ownership) e.ownership = 'validation.required';
  if (!v.system) e.system = 'validation.required';
  if (v.system === 'ayush' && !v.ayushSystem) e.ayushSystem = 'validation.ayushSystem';
  if (!v.district) e.district = 'validation.required';

  // Coordinates: both or neither (a facility known only from a directory may have none yet).
  const lat = v.latitude.trim();
  const lon = v.longitude.trim();
  if (lat && (!isNumber(lat) || Number(lat) < 6 || Number(lat) > 38)) e.latitude = 'validation.latitude';
  if (lon && (!isNumber(lon) || Number(lon) < 68 || Number(lon) > 98)) e.longitude = 'validation.longitude';
  if (lat && !lon && !e.latitude) e.longitude = 'validation.bothCoordinates';
  if (lon && !lat && !e.longitude) e.latitude = 'validation.bothCoordinates';

  for (const k of ['beds', 'desktops', 'webcams'] as const) {
    if (v[k].trim() && !isCount(v[k])) e[k] = 'validation.count';
  }
  if (v.phone.trim()) {
    const p = compactPhone(v.phone);
    // A mobile (10 digits, first 6–9, optional +91) or a landline with its STD code (0 + 9–10 digits).
    if (!/^(\+91)?[6-9]\d{9}$/.test(p) && !/^0\d{9,10}$/.test(p)) e.phone = 'validation.phone';
  }
  if (v.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email.trim())) e.email = 'validation.email';
  if (v.pincode.trim() && !/^[1-9]\d{5}$/.test(v.pincode.trim())) e.pincode = 'validation.pincode';
  if (v.hfrId.trim() && !/^IN\d{10}$/.test(v.hfrId.trim())) e.hfrId = 'validation.hfrId';
  return e;
}

const opt = (s: string) => (s.trim() ? s.trim() : undefined);
const optNum = (s: string) => (s.trim() ? Number(s.trim()) : undefined);

export function toBody(v: FormValues): FacilityBody {
  return {
    name: v.name.trim(),
    nameHi: opt(v.nameHi),
    type: v.type,
    ownership: v.ownership,
    system: v.system,
    ayushSystem: v.system === 'ayush' ? opt(v.ayushSystem) : undefined,
    orgUnit: v.block || v.district,
    latitude: optNum(v.latitude),
    longitude: optNum(v.longitude),
    beds: optNum(v.beds),
    phone: v.phone.trim() ? compactPhone(v.phone) : undefined,
    email: opt(v.email),
    address: opt(v.address),
    pincode: opt(v.pincode),
    hfrId: opt(v.hfrId),
    hwc: v.hwc === 'yes',
    desktops: optNum(v.desktops),
    webcams: optNum(v.webcams),
  };
}

/** The server names body fields; map them onto the form's inputs. */
export function formFieldOf(serverField: string): FieldName | null {
  const f = serverField.replace(/^\/?body[./]?/, '').replace(/^\//, '');
  if (f === 'orgUnit') return 'district';
  return f in EMPTY ? (f as FieldName) : null;
}

/** Fields the server keeps as numbers, never null: emptied means 0. */
const NOT_NULL: Record<string, unknown> = { desktops: 0, webcams: 0 };

/** PATCH body: only what changed; an emptied optional field is sent as null to clear it. */
export function patchBody(original: FormValues, v: FormValues): Record<string, unknown> {
  const full = toBody(v) as unknown as Record<string, unknown>;
  const before = toBody(original) as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(full)) {
    if (JSON.stringify(value) === JSON.stringify(before[k])) continue;
    out[k] = value === undefined ? (k in NOT_NULL ? NOT_NULL[k] : null) : value;
  }
  return out;
}
