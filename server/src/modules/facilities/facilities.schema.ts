import { Type, type Static } from '@sinclair/typebox';
import { Paging } from '../../platform/http.js';

export const FACILITY_TYPES = ['SC', 'PHC', 'CHC', 'SDH', 'DH', 'MC', 'PRIVATE_HOSPITAL', 'NURSING_HOME', 'CLINIC', 'AYUSH', 'DIAGNOSTIC'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];
export const AYUSH_SYSTEMS = ['ayurveda', 'yoga', 'unani', 'siddha', 'homoeopathy', 'sowa_rigpa'] as const;

/** Types that only the government runs, and types that are private by definition. */
export const PUBLIC_ONLY: FacilityType[] = ['SC', 'PHC', 'CHC', 'SDH', 'DH'];
export const PRIVATE_ONLY: FacilityType[] = ['PRIVATE_HOSPITAL', 'NURSING_HOME'];

/** India's extent, for a first check of coordinates. */
export const INDIA_BOUNDS = { minLat: 6, maxLat: 38, minLon: 68, maxLon: 98 };

const nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const date = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });

const fields = {
  name: Type.String({ minLength: 2, maxLength: 200 }),
  nameHi: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
  type: Type.String({ enum: [...FACILITY_TYPES] }),
  ownership: Type.String({ enum: ['public', 'private'] }),
  system: Type.String({ enum: ['allopathic', 'ayush'] }),
  ayushSystem: Type.Optional(Type.Union([Type.String({ enum: [...AYUSH_SYSTEMS] }), Type.Null()])),
  orgUnit: Type.Union([Type.String({ minLength: 1, maxLength: 40 }), Type.Integer({ minimum: 1 })], { description: 'district or block: LGD code or org unit id' }),
  latitude: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  longitude: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  beds: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 10000 }), Type.Null()])),
  phone: Type.Optional(nullable(Type.String({ maxLength: 40 }))),
  email: Type.Optional(nullable(Type.String({ maxLength: 200 }))),
  address: Type.Optional(nullable(Type.String({ maxLength: 500 }))),
  pincode: Type.Optional(nullable(Type.String({ maxLength: 6 }))),
  hfrId: Type.Optional(nullable(Type.String({ maxLength: 12 }))),
  portalStatus: Type.Optional(Type.String({ enum: ['listed', 'registered'] })),
  registeredOn: Type.Optional(Type.Union([date, Type.Null()])),
  openedOn: Type.Optional(Type.Union([date, Type.Null()])),
  closedOn: Type.Optional(Type.Union([date, Type.Null()], { description: 'the day it closed: from then it is no longer expected to report' })),
  hwc: Type.Optional(Type.Boolean()),
  hwcSince: Type.Optional(Type.Union([date, Type.Null()])),
  desktops: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  webcams: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
  hubId: Type.Optional(Type.Union([Type.String({ maxLength: 11 }), Type.Null()])),
};

export const NewFacilityBody = Type.Object(fields, { additionalProperties: false });
export type NewFacilityInput = Static<typeof NewFacilityBody>;

export const FacilityPatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type FacilityPatchInput = Static<typeof FacilityPatchBody>;

export const UpgradeBody = Type.Object(
  {
    kind: Type.String({ enum: ['hwc', 'type', 'beds'] }),
    toType: Type.Optional(Type.String({ enum: [...FACILITY_TYPES] })),
    beds: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
    date: date,
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type UpgradeInput = Static<typeof UpgradeBody>;

export const RegistrationBody = Type.Object({ date: Type.Optional(date) }, { additionalProperties: false });

export const ListQuery = Type.Object(
  {
    state: Type.Optional(Type.String({ maxLength: 40 })),
    district: Type.Optional(Type.String({ maxLength: 40 })),
    block: Type.Optional(Type.String({ maxLength: 40 })),
    orgUnit: Type.Optional(Type.String({ maxLength: 40 })),
    type: Type.Optional(Type.String({ enum: [...FACILITY_TYPES] })),
    ownership: Type.Optional(Type.String({ enum: ['public', 'private'] })),
    system: Type.Optional(Type.String({ enum: ['allopathic', 'ayush'] })),
    portalStatus: Type.Optional(Type.String({ enum: ['listed', 'registered'] })),
    hwc: Type.Optional(Type.Boolean()),
    hub: Type.Optional(Type.String({ maxLength: 11, description: 'facilities linked to this hub' })),
    q: Type.Optional(Type.String({ maxLength: 100 })),
    ...Paging,
  },
  { additionalProperties: false },
);
export type ListQueryInput = Static<typeof ListQuery>;

export const SummaryQuery = Type.Object({ orgUnit: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
export const IdParam = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });

const Ref = Type.Union([Type.Object({ id: Type.String(), lgdCode: Type.Union([Type.Integer(), Type.Null()]), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]) }), Type.Null()]);
const NStr = Type.Union([Type.String(), Type.Null()]);
const NNum = Type.Union([Type.Number(), Type.Null()]);

export const Facility = Type.Object({
  id: Type.String(),
  name: Type.String(),
  nameHi: NStr,
  type: Type.String(),
  ownership: Type.String(),
  system: Type.String(),
  ayushSystem: NStr,
  orgUnitId: Type.String(),
  state: Ref,
  district: Ref,
  block: Ref,
  latitude: NNum,
  longitude: NNum,
  beds: NNum,
  phone: NStr,
  email: NStr,
  address: NStr,
  pincode: NStr,
  hfrId: NStr,
  portalStatus: Type.String(),
  registeredOn: NStr,
  openedOn: NStr,
  closedOn: NStr,
  hwc: Type.Boolean(),
  hwcSince: NStr,
  desktops: Type.Integer(),
  webcams: Type.Integer(),
  hubId: NStr,
  source: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  upgrades: Type.Optional(Type.Array(Type.Object({
    kind: Type.String(), fromType: NStr, toType: NStr, fromBeds: NNum, toBeds: NNum, date: Type.String(), note: NStr,
  }))),
});
