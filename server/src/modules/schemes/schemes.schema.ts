// Request and response schemas of the schemes module (issue 15, parts 3–5: HIMCARE): one source for
// validation, types and OpenAPI. Every route is under /api/schemes/:scheme (today 'himcare').
//
//   GET  /setup?on=YYYY-MM-DD                 → the set-up in force on a day (default today) and every version
//   POST /setup {validFrom, coverAmount?, membersPerCard?, windows?, exclusions?, …} → 201 a new version (state)
//   POST /categories {code, name, nameHi?, premium, validFrom, active?}             → 201 (state)
//   POST /packages {code, name, nameHi?, rate, preauth, validFrom, active?}          → 201 (state)
//   GET  /hospitals, POST /hospitals {hospitalId, from?}                             → empanelled hospitals (state)
//   POST /enrolments {familyId, category, members?, premiumReference?} → 201 {id, cardNumber, …}
//   GET  /enrolments?family=&cursor=, GET /enrolments/:id (audited reads of the area's cards)
//   POST /enrolments/:id/renew, POST /enrolments/:id/members {patientId}, POST /enrolments/:id/members/:patientId/remove
//   GET  /cards/:cardNumber.pdf               → the printable bilingual card with its QR code
//   POST /claims {cardNumber, memberPatientId, hospitalId, packageCode, admittedOn, dischargedOn?, amount, diagnosis, …}
//        → 201 {id, status, flags}
//   GET  /claims?status=&overdue=&cursor=, GET /claims/:id
//   POST /claims/:id/preauth {approve, reason?}, /claims/:id/discharge {dischargedOn, amount?, treatment?},
//   POST /claims/:id/settle {decision: approved | deducted | rejected, amount?, reason?}
//   GET  /coverage?by=panchayat|block|district&year=  → coverage, claims per 1,000 members, paid, pending, top diagnoses (part 6)
//   GET  /api/public/schemes/:scheme/coverage?state=&by=district|block&year= → the same, public: aggregates only
import { Type, type Static } from '@sinclair/typebox';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Rupees = (max: number) => Type.Number({ minimum: 0, maximum: max, description: 'rupees; kept to the paisa' });

export const SchemeParams = Type.Object({ scheme: Type.String({ pattern: '^[a-z0-9_-]{1,30}$' }) });
export const IdParams = Type.Object({ scheme: Type.String(), id: Type.String({ maxLength: 64 }) });
export const MemberParams = Type.Object({ scheme: Type.String(), id: Type.String({ maxLength: 64 }), patientId: Type.String({ maxLength: 64 }) });
export const CardParams = Type.Object({ scheme: Type.String(), file: Type.String({ maxLength: 64, description: '{cardNumber}.pdf' }) });
export const OnQuery = Type.Object({ on: Type.Optional(Day) });

const Window = Type.Object({ from: Type.String({ pattern: '^[0-9]{2}-[0-9]{2}$', description: 'MM-DD' }), to: Type.String({ pattern: '^[0-9]{2}-[0-9]{2}$', description: 'MM-DD' }) }, { additionalProperties: false });
export type CardWindow = Static<typeof Window>;

export const SettingsBody = Type.Object({
  validFrom: Day,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  nameHi: Type.Optional(Type.String({ maxLength: 200 })),
  coverAmount: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100000000 })),
  membersPerCard: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  windows: Type.Optional(Type.Array(Window, { maxItems: 24, description: 'enrolment windows by day of the year; empty: open all year' })),
  exclusions: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 300 }), { maxItems: 50 })),
  reviewClaimsPerPackage: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'claims from one hospital for one package in 30 days above which each is flagged' })),
  settleWithinDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
}, { additionalProperties: false });
export type SettingsInput = Static<typeof SettingsBody>;

export const CategoryBody = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_-]{1,30}$' }), name: Type.String({ minLength: 1, maxLength: 300 }), nameHi: Type.Optional(Type.String({ maxLength: 300 })),
  premium: Rupees(1000000), validFrom: Day, active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type CategoryInput = Static<typeof CategoryBody>;

export const PackageBody = Type.Object({
  code: Type.String({ pattern: '^[A-Za-z0-9._-]{1,30}$' }), name: Type.String({ minLength: 1, maxLength: 300 }), nameHi: Type.Optional(Type.String({ maxLength: 300 })),
  rate: Rupees(100000000), preauth: Type.Boolean(), validFrom: Day, active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type PackageInput = Static<typeof PackageBody>;

const Settings = Type.Object({
  validFrom: Str, name: Str, nameHi: Nullable(Str), coverAmount: Type.Number(), membersPerCard: Type.Integer(), windows: Type.Array(Window),
  exclusions: Type.Array(Str), reviewClaimsPerPackage: Type.Integer(), settleWithinDays: Type.Integer(),
});
const Category = Type.Object({ code: Str, name: Str, nameHi: Nullable(Str), premium: Type.Number(), validFrom: Str, active: Type.Boolean() });
const Package = Type.Object({ code: Str, name: Str, nameHi: Nullable(Str), rate: Type.Number(), preauth: Type.Boolean(), validFrom: Str, active: Type.Boolean() });
export const SettingsAnswer = Settings;
export const CategoryAnswer = Category;
export const PackageAnswer = Package;
export const Setup = Type.Object({
  scheme: Str, on: Str, settings: Settings, categories: Type.Array(Category), packages: Type.Array(Package),
  window: Type.Object({ open: Type.Boolean(), current: Type.Union([Window, Type.Null()]), nextOpensOn: Nullable(Str) }),
  versions: Type.Object({ settings: Type.Array(Settings), categories: Type.Array(Category), packages: Type.Array(Package) }),
});

export const HospitalBody = Type.Object({ hospitalId: Type.String({ minLength: 1, maxLength: 64 }), from: Type.Optional(Day) }, { additionalProperties: false });
const Hospital = Type.Object({ id: Str, name: Str, empanelledFrom: Str, endedOn: Nullable(Str) });
export const HospitalAnswer = Hospital;
export const Hospitals = Type.Object({ items: Type.Array(Hospital) });

export const EnrolBody = Type.Object({
  familyId: Type.String({ minLength: 1, maxLength: 64, description: 'the family\'s id, Swasthya family number or the state register\'s family id' }),
  category: Type.String({ minLength: 1, maxLength: 30 }),
  members: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { minItems: 1, maxItems: 50, description: 'patient ids of the members on the card; default every member of the family' })),
  premiumReference: Type.Optional(Type.String({ minLength: 1, maxLength: 60, description: 'receipt or transaction of the premium paid' })),
}, { additionalProperties: false });
export type EnrolInput = Static<typeof EnrolBody>;
export const Enrolled = Type.Object({ id: Str, cardNumber: Str, schemeYear: Type.Integer(), category: Str, premium: Type.Number(), members: Type.Integer() });
export const RenewBody = Type.Object({ category: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })), premiumReference: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })) }, { additionalProperties: false });
export const MemberBody = Type.Object({ patientId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });
export const EnrolmentQuery = Type.Object({ family: Type.Optional(Type.String({ maxLength: 64 })), cursor: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });

const EnrolmentItem = Type.Object({
  id: Str, cardNumber: Str, schemeYear: Type.Integer(), category: Str, premium: Type.Number(), status: Str, enrolledAt: Str,
  family: Type.Object({ id: Str, familyNumber: Str, externalId: Nullable(Str) }), members: Type.Integer(),
});
export const EnrolmentPage = Type.Object({ items: Type.Array(EnrolmentItem), nextCursor: Nullable(Str) });
const CardMember = Type.Object({ patientId: Str, stateNumber: Str, name: Str, nameHi: Nullable(Str), sex: Str, age: Type.Integer(), relation: Nullable(Str) });
export const Enrolment = Type.Intersect([EnrolmentItem, Type.Object({
  coverAmount: Type.Number(), membersPerCard: Type.Integer(), used: Type.Number(), memberList: Type.Array(CardMember),
})]);

const Flag = Type.Object({ code: Str, message: Str, messageHi: Type.Optional(Str) });
export const ClaimBody = Type.Object({
  cardNumber: Type.String({ minLength: 1, maxLength: 40 }),
  memberPatientId: Type.String({ minLength: 1, maxLength: 64 }),
  hospitalId: Type.String({ minLength: 1, maxLength: 64 }),
  packageCode: Type.String({ minLength: 1, maxLength: 30 }),
  admittedOn: Day,
  dischargedOn: Type.Optional(Day),
  amount: Rupees(100000000),
  diagnosis: Type.String({ minLength: 1, maxLength: 12, description: 'ICD-10 code, e.g. K80.2' }),
  procedure: Type.Optional(Type.String({ maxLength: 300 })),
  treatment: Type.Optional(Type.String({ maxLength: 2000 })),
}, { additionalProperties: false });
export type ClaimInput = Static<typeof ClaimBody>;
export const ClaimFiled = Type.Object({ id: Str, status: Str, flags: Type.Array(Flag) });
export const PreauthBody = Type.Object({ approve: Type.Boolean(), reason: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })) }, { additionalProperties: false });
export const DischargeBody = Type.Object({
  dischargedOn: Day, amount: Type.Optional(Rupees(100000000)), treatment: Type.Optional(Type.String({ maxLength: 2000 })), procedure: Type.Optional(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export const SettleBody = Type.Object({
  decision: Type.Union([Type.Literal('approved'), Type.Literal('deducted'), Type.Literal('rejected')]),
  amount: Type.Optional(Rupees(100000000)), reason: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
}, { additionalProperties: false });
export const ClaimQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 20 })), overdue: Type.Optional(Type.Boolean()), cursor: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
});
const N = Type.Union([Type.Number(), Type.Null()]);
export const Claim = Type.Object({
  id: Str, cardNumber: Str, patientId: Str, hospital: Type.Object({ id: Str, name: Str }), packageCode: Str, packageName: Nullable(Str), packageRate: Type.Number(), preauth: Type.Boolean(),
  diagnosis: Str, procedure: Nullable(Str), treatment: Nullable(Str), admittedOn: Str, dischargedOn: Nullable(Str), amount: Type.Number(), status: Str, flags: Type.Array(Flag),
  filedAt: Str, preauthAt: Nullable(Str), preauthReason: Nullable(Str), claimedAt: Nullable(Str), settledAt: Nullable(Str), settledAmount: N, settlementReason: Nullable(Str),
  days: Type.Object({ preauth: N, settlement: N, pending: N }), overdue: Type.Boolean(),
});
export const ClaimPage = Type.Object({
  items: Type.Array(Claim), nextCursor: Nullable(Str),
  dues: Type.Object({ pending: Type.Integer(), pendingAmount: Type.Number(), overdue: Type.Integer(), overdueAmount: Type.Number(), settleWithinDays: Type.Integer() }),
});

// GET /coverage?by=panchayat|block|district&year= (officers) and GET /api/public/schemes/:scheme/coverage?state=&by=&year=
export const CoverageQuery = Type.Object({
  by: Type.Optional(Type.Union([Type.Literal('panchayat'), Type.Literal('block'), Type.Literal('district')], { description: 'the level of the rows (default panchayat)' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200, description: 'the scheme year (default this year)' })),
}, { additionalProperties: false });
export const PublicCoverageQuery = Type.Object({
  state: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'the state\'s LGD code (default the scheme\'s own state)' })),
  by: Type.Optional(Type.Union([Type.Literal('district'), Type.Literal('block')], { description: 'default district' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2200 })),
}, { additionalProperties: false });
const Diagnosis = Type.Object({ code: Str, name: Nullable(Str), nameHi: Nullable(Str), claims: Type.Integer() });
const CoverageRow = Type.Object({
  unitId: Str, name: Str, nameHi: Nullable(Str), lgdCode: Type.Union([Type.Integer(), Type.Null()]),
  families: Type.Integer(), familiesEnrolled: Type.Integer(), coverage: Type.Number({ description: 'families enrolled ÷ families in the register' }),
  members: Type.Integer(), claims: Type.Integer(), claimsPer1000Members: Type.Number(), paid: Type.Number(), pending: Type.Number(),
  topDiagnoses: Type.Array(Diagnosis),
});
const CoverageTotals = Type.Object({
  families: Type.Integer(), familiesEnrolled: Type.Integer(), coverage: Type.Number(), members: Type.Integer(), claims: Type.Integer(),
  claimsPer1000Members: Type.Number(), paid: Type.Number(), pending: Type.Number(),
});
export const Coverage = Type.Object({ scheme: Str, year: Type.Integer(), by: Str, items: Type.Array(CoverageRow), totals: CoverageTotals });
export const PublicCoverage = Type.Object({
  scheme: Str, year: Type.Integer(), by: Str, state: Type.Object({ lgdCode: Type.Integer(), name: Str, nameHi: Nullable(Str) }),
  items: Type.Array(CoverageRow), totals: CoverageTotals,
});

// GET /coverage/map?by= (officers) and GET /api/public/schemes/:scheme/coverage/map?state=&by=: the shapes of the figures' units
export const CoverageShapesQuery = Type.Omit(CoverageQuery, ['year']);
export const PublicCoverageShapesQuery = Type.Omit(PublicCoverageQuery, ['year']);
const ShapeUnit = { unitId: Str, name: Str, nameHi: Nullable(Str), lgdCode: Type.Union([Type.Integer(), Type.Null()]) };
export const CoverageShapes = Type.Object({
  by: Str,
  type: Type.Literal('FeatureCollection'),
  features: Type.Array(Type.Object({
    type: Type.Literal('Feature'), id: Str,
    properties: Type.Object({ ...ShapeUnit, shape: Type.Union([Type.Literal('outline'), Type.Literal('headquarters')], { description: 'outline: the imported boundary; headquarters: a district\'s headquarters town (a point), where no outline is imported' }) }),
    geometry: Type.Object({ type: Str, coordinates: Type.Array(Type.Any()) }, { description: 'GeoJSON Polygon, MultiPolygon or Point (longitude, latitude)' }),
  })),
  noShape: Type.Array(Type.Object(ShapeUnit), { description: 'units of the level with no outline and no known point: listed, never drawn' }),
});
