// Request and response schemas of dispatch: one source for validation, types and OpenAPI.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paging } from '../../platform/http.js';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
export const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Service = Type.Union([Type.Literal('108'), Type.Literal('102')]);
const Kind = Type.Union([Type.Literal('BLS'), Type.Literal('ALS'), Type.Literal('PTV')]);
const Area = Type.Union([Type.Literal('urban'), Type.Literal('rural')]);

export const CallBody = Type.Object({
  callerPhone: Type.String({ minLength: 1, maxLength: 20, description: 'mobile or landline with STD code; spaces and hyphens are ignored' }),
  callerName: Type.Optional(Type.String({ maxLength: 100 })),
  latitude: Type.Number({ minimum: -90, maximum: 90 }),
  longitude: Type.Number({ minimum: -180, maximum: 180 }),
  villageId: Type.Optional(Id),
  complaint: Type.String({ minLength: 1, maxLength: 500, description: 'the chief complaint' }),
  service: Service,
  kind: Type.Optional(Kind),
  pregnancyRegistrationNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'the pregnant woman\'s registration (12 digits), where known' })),
  area: Type.Optional(Area),
}, { additionalProperties: false });
export type CallInput = Static<typeof CallBody>;

export const CallListQueryT = Type.Object({
  ...Paging,
  status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('all')], { default: 'open' })),
}, { additionalProperties: false });
export type CallListQuery = Static<typeof CallListQueryT>;

export const AssignBody = Type.Object({ ambulanceId: Type.Optional(Id) }, { additionalProperties: false });
export const StepBody = Type.Object({
  step: Type.Union([Type.Literal('en_route'), Type.Literal('at_scene'), Type.Literal('left_scene'), Type.Literal('at_hospital'), Type.Literal('back_in_service')]),
  destinationFacilityId: Type.Optional(Id),
  note: Type.Optional(Type.String({ maxLength: 500, description: 'with left_scene and no destination: why nobody was carried' })),
}, { additionalProperties: false });
export type StepInput = Static<typeof StepBody>;
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });

const CallCore = {
  id: Type.String(), service: Type.String(), kind: N(Type.String()), complaint: Type.String(), latitude: Type.Number(), longitude: Type.Number(),
  districtId: Type.String(), area: Type.String(), status: Type.String(), createdAt: Type.String(), callerPhoneMasked: Type.String(),
};
export const CreatedCall = Type.Object({
  ...CallCore, districtName: Type.String(), villageId: N(Type.String()), callerName: N(Type.String()), pregnancyId: N(Type.String()), patientId: N(Type.String()),
});
export const CallListItem = Type.Object({
  ...CallCore,
  trip: N(Type.Object({
    id: Type.String(), ambulanceId: Type.String(), registrationNumber: Type.String(), status: Type.String(),
    distanceKm: N(Type.Number()), etaMinutes: N(Type.Number()), assignedAt: Type.String(),
  })),
});
export const Trip = Type.Object({
  id: Type.String(), callId: Type.String(), ambulanceId: Type.String(), registrationNumber: Type.String(), status: Type.String(),
  distanceKm: N(Type.Number()), etaMinutes: N(Type.Number()), destinationFacilityId: N(Type.String()), destinationFacilityName: N(Type.String()),
  assignedAt: Type.String(), enRouteAt: N(Type.String()), atSceneAt: N(Type.String()), leftSceneAt: N(Type.String()), atHospitalAt: N(Type.String()),
  acknowledgedAt: N(Type.String()), completedAt: N(Type.String()), endedReason: N(Type.String()),
});
const Who = N(Type.Object({ userId: Type.String(), name: Type.String() }));
export const CallDetail = Type.Object({
  ...CallCore, districtName: Type.String(), villageId: N(Type.String()), callerName: N(Type.String()), callerPhone: Type.String(),
  pregnancyId: N(Type.String()), patientId: N(Type.String()), destinationFacilityId: N(Type.String()), cancelReason: N(Type.String()),
  closedAt: N(Type.String()), updatedAt: Type.String(),
  trips: Type.Array(Trip),
  steps: Type.Array(Type.Object({ step: Type.String(), at: Type.String(), tripId: N(Type.String()), by: Who, bySystem: N(Type.String()), note: N(Type.String()) })),
});
export const Assigned = Type.Object({
  tripId: Type.String(), callId: Type.String(), ambulanceId: Type.String(), registrationNumber: Type.String(), distanceKm: N(Type.Number()), etaMinutes: N(Type.Number()),
});
export const Declined = Type.Object({ tripId: Type.String(), status: Type.String(), callId: Type.String(), callStatus: Type.String(), next: N(Assigned) });
export const Cancelled = Type.Object({ id: Type.String(), status: Type.String(), freedAmbulanceId: N(Type.String()) });
export const Incoming = Type.Object({
  items: Type.Array(Type.Object({
    tripId: Type.String(), callId: Type.String(), ambulanceId: Type.String(), registrationNumber: Type.String(), vehicleKind: Type.String(),
    service: Type.String(), kind: N(Type.String()), complaint: Type.String(), status: Type.String(),
    destinationFacilityId: Type.String(), destinationFacilityName: Type.String(), leftSceneAt: N(Type.String()), atHospitalAt: N(Type.String()),
    distanceKm: N(Type.Number()), etaMinutes: N(Type.Number()),
    position: N(Type.Object({ latitude: Type.Number(), longitude: Type.Number(), fixTime: Type.String() })),
    acknowledgedAt: N(Type.String()), acknowledgedBy: Who,
  })),
});
