import { Type, type Static } from '@sinclair/typebox';

const place = Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Integer({ minimum: 1 })]);
const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const Address = Type.Object({
  district: Type.Union([place], { description: 'LGD code or org unit id of the district' }),
  block: Type.Optional(place),
  village: Type.Optional(place),
  line: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });

export const NewPatientBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200, description: 'as the person writes it, in Devanagari or Latin letters' }),
  nameHi: Type.Optional(Type.String({ maxLength: 200 })),
  sex: Type.String({ enum: ['male', 'female', 'other'] }),
  birthDate: Type.Optional(date),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'in years, when the date of birth is not known' })),
  mobile: Type.Optional(Type.String({ maxLength: 20 })),
  address: Address,
  abha: Type.Optional(Type.String({ maxLength: 30, description: 'ABHA number, 14 digits (XX-XXXX-XXXX-XXXX)' })),
  abhaAddress: Type.Optional(Type.String({ maxLength: 60, description: 'ABHA address, e.g. ramesh.kumar@abdm' })),
  aadhaar: Type.Optional(Type.String({ maxLength: 20, description: 'checked, then only its last four digits are kept' })),
  bloodGroup: Type.Optional(Type.String({ enum: ['A+', 'A-', 'B+', 'B-', 'AB+', 'AB-', 'O+', 'O-'] })),
  facilityId: Type.Optional(Type.String({ maxLength: 60, description: 'the registering facility; default: your own' })),
}, { additionalProperties: false });
export type NewPatientInput = Static<typeof NewPatientBody>;

export const SearchQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 100, description: 'name (either script), mobile, ABHA number or address, or state patient number' }),
  district: Type.Optional(place),
  village: Type.Optional(place),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
}, { additionalProperties: false });
export type SearchInput = Static<typeof SearchQuery>;

export const DuplicateQuery = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  sex: Type.Optional(Type.String({ enum: ['male', 'female', 'other'] })),
  birthDate: Type.Optional(date),
  age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
  mobile: Type.Optional(Type.String({ maxLength: 20 })),
}, { additionalProperties: false });
export type DuplicateInput = Static<typeof DuplicateQuery>;

export const ReadQuery = Type.Object({
  purpose: Type.Optional(Type.String({ enum: ['care', 'registration', 'referral', 'audit', 'ultrasound', 'consultation', 'teleconsultation'], default: 'care' })),
}, { additionalProperties: false });

export const OpdBody = Type.Object({
  patientId: Type.String({ minLength: 1, maxLength: 40 }),
  facilityId: Type.Optional(Type.String({ maxLength: 60 })),
  department: Type.String({ minLength: 1, maxLength: 40, description: 'e.g. general, medicine, gynae, paediatrics, ayush' }),
}, { additionalProperties: false });
export type OpdInput = Static<typeof OpdBody>;

export const QueueQuery = Type.Object({
  facilityId: Type.Optional(Type.String({ maxLength: 60 })),
  department: Type.Optional(Type.String({ maxLength: 40 })),
  day: Type.Optional(date),
  status: Type.Optional(Type.String({ enum: ['waiting', 'called', 'with_doctor', 'done', 'absent'], description: 'only the tokens in this state; the counts are always of every state' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });
export type QueueInput = Static<typeof QueueQuery>;

export const TokenStatusBody = Type.Object({
  status: Type.String({ enum: ['called', 'with_doctor', 'done', 'absent', 'waiting'], description: 'called (from waiting), with_doctor (from called), done (from with_doctor), absent (from waiting or called), waiting (recalls an absent token)' }),
}, { additionalProperties: false });
export type TokenStatusInput = Static<typeof TokenStatusBody>;

export const PregnancyBody = Type.Object({
  patientId: Type.String({ minLength: 1, maxLength: 40 }),
  facilityId: Type.Optional(Type.String({ maxLength: 60 })),
  lmp: Type.Optional(date),
}, { additionalProperties: false });
export type PregnancyInput = Static<typeof PregnancyBody>;

export const UltrasoundBody = Type.Object({
  registrationNumber: Type.String({ minLength: 1, maxLength: 30 }),
  facilityId: Type.Optional(Type.String({ maxLength: 60 })),
  patientId: Type.Optional(Type.String({ maxLength: 40, description: 'the woman in front of the operator, when known: must be the number\'s owner' })),
  indication: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export type UltrasoundInput = Static<typeof UltrasoundBody>;

export const UltrasoundSummaryQuery = Type.Object({
  orgUnit: Type.Optional(Type.String({ maxLength: 60 })),
  from: Type.Optional(date),
  to: Type.Optional(date),
}, { additionalProperties: false });
export type UltrasoundSummaryInput = Static<typeof UltrasoundSummaryQuery>;
