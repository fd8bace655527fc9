// Request and query schemas of the consultation record, prescriptions, dispensing, stock and referrals:
// one source for validation, types and OpenAPI.
import { Type, type Static } from '@sinclair/typebox';

const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const id = Type.String({ minLength: 1, maxLength: 40 });

export const IdParams = Type.Object({ id });

/**
 * How often a medicine is taken, as Indian prescriptions write it: OD once a day, BD twice, TDS three
 * times, QID four times, HS at bedtime, SOS when needed, STAT once now, WEEKLY once a week.
 */
export const FREQUENCIES = {
  OD: { en: 'once a day', hi: 'दिन में एक बार', perDay: 1 },
  BD: { en: 'twice a day', hi: 'दिन में दो बार', perDay: 2 },
  TDS: { en: 'three times a day', hi: 'दिन में तीन बार', perDay: 3 },
  QID: { en: 'four times a day', hi: 'दिन में चार बार', perDay: 4 },
  HS: { en: 'at bedtime', hi: 'रात को सोते समय', perDay: 1 },
  SOS: { en: 'when needed', hi: 'ज़रूरत पड़ने पर', perDay: null },
  STAT: { en: 'once, at once', hi: 'तुरंत, एक बार', perDay: null },
  WEEKLY: { en: 'once a week', hi: 'हफ़्ते में एक बार', perDay: 1 / 7 },
} as const;
export type Frequency = keyof typeof FREQUENCIES;

export const ConsultationBody = Type.Object({
  notes: Type.Optional(Type.String({ maxLength: 5000, description: 'history, examination, findings' })),
  diagnoses: Type.Optional(Type.Array(Type.Object({
    code: Type.String({ minLength: 1, maxLength: 10, description: 'ICD-10, e.g. J06.9' }),
  }, { additionalProperties: false }), { maxItems: 20 })),
  advice: Type.Optional(Type.String({ maxLength: 3000, description: 'advice to the patient, tests to get done' })),
  followUpOn: Type.Optional(Type.Union([date, Type.Null()], { description: 'date of the follow-up consultation; null clears it' })),
}, { additionalProperties: false });
export type ConsultationInput = Static<typeof ConsultationBody>;

export const PrescriptionBody = Type.Object({
  items: Type.Array(Type.Object({
    code: Type.String({ minLength: 1, maxLength: 60, description: 'formulary code (GET /api/telemedicine/formulary)' }),
    dose: Type.String({ minLength: 1, maxLength: 60, description: 'e.g. 1 tablet, 5 ml, ½ tablet' }),
    frequency: Type.String({ enum: Object.keys(FREQUENCIES), description: 'OD, BD, TDS, QID, HS, SOS, STAT or WEEKLY' }),
    days: Type.Integer({ minimum: 1, maximum: 365 }),
    instructions: Type.Optional(Type.String({ maxLength: 300, description: 'e.g. after food' })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
}, { additionalProperties: false });
export type PrescriptionInput = Static<typeof PrescriptionBody>;

export const DispenseBody = Type.Object({
  items: Type.Array(Type.Object({
    itemId: id,
    quantity: Type.Integer({ minimum: 1, maximum: 10_000, description: 'units as stocked: tablets, capsules, sachets, bottles, tubes' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
}, { additionalProperties: false });
export type DispenseInput = Static<typeof DispenseBody>;

export const StockQuery = Type.Object({
  facilityId: Type.Optional(Type.String({ maxLength: 60, description: 'default: your own facility' })),
  all: Type.Optional(Type.Boolean({ description: 'every formulary medicine, with 0 where none is kept' })),
}, { additionalProperties: false });

export const StockBody = Type.Object({
  facilityId: Type.Optional(Type.String({ maxLength: 60, description: 'default: your own facility' })),
  items: Type.Array(Type.Object({
    code: Type.String({ minLength: 1, maxLength: 60 }),
    quantity: Type.Integer({ minimum: 0, maximum: 10_000_000, description: 'what is on the shelf now' }),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 200 }),
}, { additionalProperties: false });
export type StockInput = Static<typeof StockBody>;

export const FormularyQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'generic name in English or Hindi, or code' })),
  requestId: Type.Optional(Type.String({ maxLength: 40, description: 'show the stock at this request\'s spoke' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 30 })),
}, { additionalProperties: false });

export const URGENCIES = ['routine', 'urgent', 'emergency'] as const;
export const ReferralBody = Type.Object({
  patientId: id,
  requestId: Type.Optional(id),
  toFacilityId: Type.String({ minLength: 1, maxLength: 60, description: 'the hospital the patient is sent to' }),
  specialty: Type.Optional(Type.String({ maxLength: 40 })),
  urgency: Type.String({ enum: [...URGENCIES] }),
  reason: Type.String({ minLength: 3, maxLength: 1000 }),
}, { additionalProperties: false });
export type ReferralInput = Static<typeof ReferralBody>;

export const ReferralListQuery = Type.Object({
  direction: Type.String({ enum: ['incoming', 'outgoing'] }),
  status: Type.Optional(Type.String({ enum: ['referred', 'acknowledged', 'arrived', 'seen', 'cancelled'] })),
  facilityId: Type.Optional(Type.String({ maxLength: 60 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, default: 0 })),
}, { additionalProperties: false });
export type ReferralListInput = Static<typeof ReferralListQuery>;

export const ReferralStatusBody = Type.Object({
  status: Type.String({ enum: ['acknowledged', 'arrived', 'seen', 'cancelled'] }),
}, { additionalProperties: false });

export const FhirQuery = Type.Object({
  type: Type.Optional(Type.String({ enum: ['OPConsultRecord', 'PrescriptionRecord'], default: 'OPConsultRecord' })),
}, { additionalProperties: false });
