import { Type } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const MatchStatus = Type.Union([Type.Literal('none'), Type.Literal('linked'), Type.Literal('review'), Type.Literal('confirmed'), Type.Literal('rejected')]);

export const ImportAnswer = Type.Object({
  families: Type.Object({ added: Type.Integer(), updated: Type.Integer() }),
  members: Type.Object({ added: Type.Integer(), updated: Type.Integer(), removed: Type.Integer() }),
  matches: Type.Object({ linked: Type.Integer(), review: Type.Integer(), none: Type.Integer() }),
  panchayats: Type.Integer(),
});

export const FamilyListQuery = Type.Object({
  panchayat: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'a gram panchayat\'s org unit id (or local code)' })),
  enrolled: Type.Optional(Type.Boolean({ description: 'true: only families with an active HIMCARE card of the scheme year (the calendar year, IST); false: only those without' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 40, description: 'nextCursor of the page before' })),
});

const Member = Type.Object({
  id: Str, memberId: Str, name: Str, nameHi: Nullable(Str), relation: Str, sex: Str, birthYear: Type.Integer(),
  hasAbha: Type.Boolean(), patientId: Nullable(Str), match: MatchStatus,
});
export const FamilyItem = Type.Object({
  id: Str, familyNumber: Str, externalId: Nullable(Str), category: Nullable(Str),
  panchayat: Type.Object({ id: Str, name: Str, nameHi: Nullable(Str), lgdCode: Type.Union([Type.Integer(), Type.Null()]) }),
  village: Type.Object({ id: Str, name: Str, nameHi: Nullable(Str) }),
  members: Type.Array(Member),
  withoutAbha: Type.Array(Str, { description: 'register member ids of those without an ABHA number' }),
  enrolled: Type.Boolean({ description: 'holds an active HIMCARE card of the scheme year (the calendar year, IST)' }),
});
export const FamilyPage = Type.Object({ items: Type.Array(FamilyItem), nextCursor: Nullable(Str) });

export const MatchQuery = Type.Object({
  status: Type.Optional(MatchStatus),
  panchayat: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 40 })),
});
const Candidate = Type.Object({ patientId: Str, stateNumber: Str, name: Str, nameHi: Nullable(Str), sex: Str, birthYear: Type.Integer(), hasAbha: Type.Boolean() });
export const MatchItem = Type.Object({
  id: Str, status: MatchStatus, reason: Nullable(Str),
  family: Type.Object({ id: Str, familyNumber: Str, externalId: Nullable(Str) }),
  panchayat: Type.Object({ id: Str, name: Str, nameHi: Nullable(Str) }),
  member: Type.Object({ memberId: Str, name: Str, nameHi: Nullable(Str), relation: Str, sex: Str, birthYear: Type.Integer() }),
  candidates: Type.Array(Candidate),
  patientId: Nullable(Str), decidedBy: Nullable(Str), decidedAt: Nullable(Str),
});
export const MatchPage = Type.Object({ items: Type.Array(MatchItem), nextCursor: Nullable(Str) });
export const MatchParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) });
export const ConfirmBody = Type.Object({ patientId: Type.String({ minLength: 1, maxLength: 40 }) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });
export const Decision = Type.Object({ id: Str, status: Str, patientId: Nullable(Str) });
export const PanchayatCounts = Type.Object({ items: Type.Array(Type.Object({ id: Str, name: Str, nameHi: Nullable(Str), lgdCode: Type.Union([Type.Integer(), Type.Null()]), families: Type.Integer() })) });
