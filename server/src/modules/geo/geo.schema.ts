import { Type } from '@sinclair/typebox';

export const OrgUnit = Type.Object({
  id: Type.String(),
  level: Type.String(),
  lgdCode: Type.Union([Type.Integer(), Type.Null()]),
  name: Type.String(),
  nameHi: Type.Union([Type.String(), Type.Null()]),
  parentId: Type.Union([Type.String(), Type.Null()]),
  path: Type.String(),
  stateLgd: Type.Union([Type.Integer(), Type.Null()]),
});

export const CodeParam = Type.Object({
  code: Type.String({ minLength: 1, maxLength: 40, description: 'LGD code (optionally level:code), org unit id, or IN' }),
});

export const BoundaryQuery = Type.Object({
  orgUnit: Type.String({ minLength: 1, maxLength: 40 }),
  level: Type.Optional(Type.Union(['district', 'block', 'panchayat', 'village'].map((l) => Type.Literal(l)), { description: 'the level of the outlines (default district)' })),
}, { additionalProperties: false });

/** A block, panchayat or village on the Places screen: the unit, its local code and how many places it holds. */
export const Place = Type.Object({
  ...OrgUnit.properties,
  code: Type.Union([Type.String(), Type.Null()]),
  childCount: Type.Integer(),
});

export const PlacesQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of a name, in English or Hindi: searches every place under the unit' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
}, { additionalProperties: false });

export const PlacePage = Type.Object({
  unit: Place,
  ancestors: Type.Array(OrgUnit),
  items: Type.Array(Place),
  total: Type.Integer(),
  offset: Type.Integer(),
  limit: Type.Integer(),
  canAdd: Type.Array(Type.String(), { description: 'levels the caller may add under this unit' }),
});

const LgdCode = Type.Integer({ minimum: 1, maximum: 999_999_999, description: 'LGD code' });
const Name = Type.String({ minLength: 1, maxLength: 100 });
const NameHi = Type.String({ maxLength: 100 });
const LocalCode = Type.String({ maxLength: 40, description: 'a local code for a place LGD has not coded (letters, digits, . _ -)' });

export const NewPlaceBody = Type.Object({
  parent: Type.String({ minLength: 1, maxLength: 40, description: 'the district, block or panchayat (id or LGD code, as district:63)' }),
  level: Type.String({ enum: ['block', 'panchayat', 'village'] }),
  name: Name,
  nameHi: Type.Optional(Type.Union([NameHi, Type.Null()])),
  lgdCode: Type.Optional(Type.Union([LgdCode, Type.Null()])),
  code: Type.Optional(Type.Union([LocalCode, Type.Null()])),
}, { additionalProperties: false });

export const PlaceChangeBody = Type.Object({
  name: Type.Optional(Name),
  nameHi: Type.Optional(Type.Union([NameHi, Type.Null()])),
  lgdCode: Type.Optional(Type.Union([LgdCode, Type.Null()])),
  code: Type.Optional(Type.Union([LocalCode, Type.Null()])),
}, { additionalProperties: false });
