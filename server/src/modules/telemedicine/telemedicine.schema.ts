import { Type, type Static } from '@sinclair/typebox';
import { PRIORITY_NAMES, SPECIALTY_CODES } from './telemedicine.specialties.js';

const id = Type.String({ minLength: 1, maxLength: 60 });
const specialty = Type.String({ minLength: 1, maxLength: 40, description: `one of ${SPECIALTY_CODES.join(', ')}` });
const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

export const IdParams = Type.Object({ id }, { additionalProperties: false });
export const Vitals = Type.Record(Type.String({ maxLength: 30 }), Type.Union([Type.Number(), Type.String({ maxLength: 40 })]), { description: 'e.g. {"bp": "130/85", "pulse": 82, "tempC": 37.2, "spo2": 97, "weightKg": 61}' });

export const NewRequestBody = Type.Object({
  patientId: id,
  hubId: id,
  specialty,
  priority: Type.Optional(Type.String({ enum: PRIORITY_NAMES, description: 'default: from the patient (60+ or pregnant go first)' })),
  spokeId: Type.Optional(id),
  complaint: Type.Optional(Type.String({ maxLength: 1000 })),
  vitals: Type.Optional(Vitals),
  preferredDoctorId: Type.Optional(id),
}, { additionalProperties: false });
export type NewRequestBodyInput = Static<typeof NewRequestBody>;

export const QueueBody = Type.Object({ hubId: id, specialty }, { additionalProperties: false });
export const DutyBody = Type.Object({ hubId: id, specialty, status: Type.String({ enum: ['online', 'break', 'offline'] }) }, { additionalProperties: false });

export const RequestsQuery = Type.Object({
  spokeId: Type.Optional(id),
  status: Type.Optional(Type.String({ enum: ['waiting', 'called', 'in_consultation', 'completed', 'no_show', 'expired', 'cancelled'] })),
  day: Type.Optional(date),
  mine: Type.Optional(Type.Boolean({ description: 'a doctor\'s own called and ongoing consultations' })),
}, { additionalProperties: false });
export const LiveQueueQuery = Type.Object({ hubId: id, specialty: Type.Optional(specialty) }, { additionalProperties: false });

export const HubSpecialtiesBody = Type.Object({
  items: Type.Array(Type.Object({ specialty, homeOpd: Type.Optional(Type.Boolean()) }, { additionalProperties: false }), { maxItems: 30 }),
}, { additionalProperties: false });
export const LinkBody = Type.Object({ spokeId: id, hubId: id }, { additionalProperties: false });
export const DoctorBody = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 60 }),
  hubId: id,
  specialties: Type.Array(specialty, { minItems: 1, maxItems: 10 }),
  hprId: Type.Optional(Type.String({ maxLength: 30, description: 'Healthcare Professionals Registry id' })),
  registrationNumber: Type.Optional(Type.String({ maxLength: 40, description: 'state medical council registration' })),
  council: Type.Optional(Type.String({ maxLength: 100 })),
  qualification: Type.Optional(Type.String({ maxLength: 100 })),
  name: Type.Optional(Type.String({ maxLength: 120 })),
  nameHi: Type.Optional(Type.String({ maxLength: 120 })),
}, { additionalProperties: false });
export const RosterBody = Type.Object({
  hubId: id, specialty, username: Type.String({ minLength: 1, maxLength: 60 }),
  weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 Sunday … 6 Saturday' }),
  starts: Type.String({ pattern: '^\\d{2}:\\d{2}$' }), ends: Type.String({ pattern: '^\\d{2}:\\d{2}$' }),
}, { additionalProperties: false });
export const EquipmentBody = Type.Object({
  items: Type.Array(Type.Object({
    kind: Type.String({ enum: ['desktop', 'webcam', 'headset', 'printer', 'connectivity'] }),
    installed: Type.Integer({ minimum: 0, maximum: 10_000 }),
    onOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    working: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 5 }),
}, { additionalProperties: false });

/** Booking an OPD from home: the mobile confirmed by a code, and either a registered patient or a new one. */
export const HomeBookingBody = Type.Object({
  mobile: Type.String({ minLength: 10, maxLength: 20 }),
  challengeId: Type.String({ minLength: 1, maxLength: 20 }),
  code: Type.String({ minLength: 4, maxLength: 8 }),
  hubId: id,
  specialty,
  stateNumber: Type.Optional(Type.String({ maxLength: 20, description: 'a patient already registered with this mobile' })),
  patient: Type.Optional(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    sex: Type.String({ enum: ['male', 'female', 'other'] }),
    birthDate: Type.Optional(date),
    age: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    address: Type.Object({ district: Type.Union([Type.String({ minLength: 1, maxLength: 60 }), Type.Integer({ minimum: 1 })]) }, { additionalProperties: true }),
  }, { additionalProperties: false })),
  complaint: Type.Optional(Type.String({ maxLength: 1000 })),
  sameDoctor: Type.Optional(Type.Boolean({ description: 'a follow-up: ask for the doctor who saw the patient last in this OPD' })),
}, { additionalProperties: false });
export type HomeBookingInput = Static<typeof HomeBookingBody>;
export const KeyQuery = Type.Object({ key: Type.String({ minLength: 10, maxLength: 60 }) }, { additionalProperties: false });

/** Finding an open booking again: the mobile that booked and a code sent to it. */
export const FindPlaceBody = Type.Object({
  mobile: Type.String({ minLength: 10, maxLength: 20 }),
  challengeId: Type.String({ minLength: 1, maxLength: 20 }),
  code: Type.String({ minLength: 4, maxLength: 8 }),
}, { additionalProperties: false });
export type FindPlaceInput = Static<typeof FindPlaceBody>;
