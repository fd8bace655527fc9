// Request and response schemas of the 104 helpline: one source for validation, types and OpenAPI.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paging } from '../../platform/http.js';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A closed set of codes, refused with "must be one of …" (an enum reads better than anyOf's error). */
const oneOf = <T extends string>(values: readonly T[], description?: string) => Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });

export const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });

/** Hindi, English and the other languages of the Eighth Schedule a state's centre may answer in. */
export const LANGUAGES = ['hi', 'en', 'as', 'bn', 'brx', 'doi', 'gu', 'kn', 'ks', 'kok', 'mai', 'ml', 'mni', 'mr', 'ne', 'or', 'pa', 'sa', 'sat', 'sd', 'ta', 'te', 'ur'] as const;
export const CATEGORIES = ['medical_advice', 'counselling', 'information', 'complaint', 'ambulance', 'other'] as const;
export const OUTCOMES = ['resolved', 'transferred', 'dropped'] as const;
export const QUEUES = ['doctor', 'counsellor'] as const;
export const OUTBOUND_RESULTS = ['reached', 'not_reached', 'switched_off', 'wrong_number', 'call_back', 'refused'] as const;

const latitude = Type.Number({ minimum: -90, maximum: 90 });
const longitude = Type.Number({ minimum: -180, maximum: 180 });

export const CallBody = Type.Object({
  callerMobile: Type.String({ minLength: 1, maxLength: 20, description: 'the number called from: a mobile (98765 43210, +91…) or a landline with its STD code' }),
  callerName: Type.Optional(Type.String({ maxLength: 100 })),
  patientId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'the caller among the patients registered with this mobile (GET /api/helpline/callers); with one match it is taken by itself' })),
  language: oneOf(LANGUAGES, 'the language the call was taken in'),
  category: oneOf(CATEGORIES),
  protocol: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'medical_advice: the symptom protocol followed (GET /api/helpline/protocols)' })),
  answers: Type.Optional(Type.Record(Type.String({ maxLength: 40 }), Type.Boolean(), { description: 'medical_advice: each red-flag question of the protocol answered yes (true) or no (false); the disposition is worked out from them' })),
  advice: Type.Optional(Type.String({ maxLength: 2000, description: 'the advice given' })),
  notes: Type.Optional(Type.String({ maxLength: 2000 })),
  outcome: oneOf(OUTCOMES),
  transferTo: Type.Optional(oneOf(QUEUES, 'with outcome transferred: the queue the call waits in')),
  transferReason: Type.Optional(Type.String({ maxLength: 500 })),
  complaint: Type.Optional(Type.String({ maxLength: 500, description: 'ambulance: what happened (the chief complaint)' })),
  latitude: Type.Optional(latitude),
  longitude: Type.Optional(longitude),
  villageId: Type.Optional(Id),
  service: Type.Optional(oneOf(['108', '102'] as const, 'ambulance: 108 emergency (default) or 102 mother and child')),
  durationSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
}, { additionalProperties: false });
export type CallInput = Static<typeof CallBody>;

const Ambulance = N(Type.Object({ status: Type.String(), dispatchCallId: N(Type.String()), problem: N(Type.String()) }));
const TransferRef = N(Type.Object({ id: Type.String(), queue: Type.String(), status: Type.String() }));

export const CreatedCall = Type.Object({
  id: Type.String(), callerKnown: Type.Boolean(), patientId: N(Type.String()), category: Type.String(), disposition: N(Type.String()),
  redFlags: Type.Array(Type.String()), outcome: Type.String(), transfer: TransferRef, ambulance: Ambulance,
});

export const CallListQueryT = Type.Object({
  ...Paging,
  mine: Type.Optional(Type.Boolean({ description: 'only the caller\'s own calls' })),
  waiting: Type.Optional(Type.Boolean({ description: 'only ambulance calls still waiting for a place' })),
}, { additionalProperties: false });
export type CallListQuery = Static<typeof CallListQueryT>;

const CallCore = {
  id: Type.String(), createdAt: Type.String(), agent: Type.String(), callerMobileMasked: Type.String(), callerName: N(Type.String()), callerKnown: Type.Boolean(),
  language: Type.String(), category: Type.String(), protocol: N(Type.String()), disposition: N(Type.String()), redFlags: Type.Array(Type.String()),
  outcome: Type.String(), ambulance: Ambulance, transfer: TransferRef,
};
export const CallListItem = Type.Object(CallCore);
export const CallDetail = Type.Object({
  ...CallCore, callerMobile: Type.String(), patientId: N(Type.String()), answers: N(Type.Record(Type.String(), Type.Boolean())), advice: N(Type.String()),
  notes: N(Type.String()), complaint: N(Type.String()), latitude: N(Type.Number()), longitude: N(Type.Number()), villageId: N(Type.String()), durationSeconds: N(Type.Integer()),
});

export const PlaceBody = Type.Object({
  latitude: Type.Optional(latitude),
  longitude: Type.Optional(longitude),
  villageId: Type.Optional(Id),
}, { additionalProperties: false });
export type PlaceInput = Static<typeof PlaceBody>;

export const CallersQuery = Type.Object({ mobile: Type.String({ minLength: 1, maxLength: 20 }) }, { additionalProperties: false });
export const Callers = Type.Object({
  mobile: Type.String(),
  items: Type.Array(Type.Object({ id: Type.String(), stateNumber: Type.String(), name: Type.String(), nameHi: N(Type.String()), sex: Type.String(), age: Type.Integer(), place: N(Type.String()), placeHi: N(Type.String()) })),
});

export const Protocols = Type.Object({
  dispositions: Type.Array(Type.String()),
  items: Type.Array(Type.Object({
    id: Type.String(), en: Type.String(), hi: Type.String(), baseline: Type.String(),
    flags: Type.Array(Type.Object({ id: Type.String(), en: Type.String(), hi: Type.String(), leadsTo: Type.String() })),
  })),
});

export const TransferQuery = Type.Object({
  queue: Type.Optional(oneOf(QUEUES)),
  status: Type.Optional(oneOf(['waiting', 'mine'] as const, 'waiting (default): calls nobody has picked up; mine: those the caller picked up and has not closed')),
}, { additionalProperties: false });
export const TransferItem = Type.Object({
  id: Type.String(), callId: Type.String(), queue: Type.String(), status: Type.String(), reason: N(Type.String()), createdAt: Type.String(),
  waitingSeconds: Type.Integer(), language: Type.String(), category: Type.String(), protocol: N(Type.String()), disposition: N(Type.String()),
  redFlags: Type.Array(Type.String()), callerMobileMasked: Type.String(), claimedBy: N(Type.String()), claimedAt: N(Type.String()),
});
export const Transfers = Type.Object({ queues: Type.Array(Type.String()), items: Type.Array(TransferItem) });
export const Claimed = Type.Object({ ...TransferItem.properties, call: CallDetail });
export const CloseBody = Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000, description: 'what was done for the caller' }) }, { additionalProperties: false });

export const DueQuery = Type.Object({
  days: Type.Optional(Type.Integer({ minimum: 1, maximum: 31, default: 7, description: 'due from today (IST) within this many days' })),
  risk: Type.Optional(oneOf(['high', 'all'] as const, 'high (default): only pregnancies with a risk factor')),
}, { additionalProperties: false });
export const DueList = Type.Object({
  from: Type.String(), to: Type.String(),
  items: Type.Array(Type.Object({
    pregnancyId: Type.String(), patientId: Type.String(), registrationNumber: Type.String(), name: Type.String(), nameHi: N(Type.String()),
    mobile: N(Type.String()), age: Type.Integer(), lmp: Type.String(), dueDate: Type.String(), facility: Type.String(), facilityHi: N(Type.String()),
    riskFactors: Type.Array(Type.String()),
    lastCall: N(Type.Object({ result: Type.String(), at: Type.String(), note: N(Type.String()) })),
  })),
});

export const OutboundBody = Type.Object({
  list: oneOf(['pregnancies_due'] as const),
  pregnancyId: Id,
  result: oneOf(OUTBOUND_RESULTS),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export type OutboundInput = Static<typeof OutboundBody>;
export const OutboundCreated = Type.Object({ id: Type.String(), result: Type.String(), at: Type.String() });
