import { Type, type Static } from '@sinclair/typebox';

const week = Type.String({ minLength: 1, maxLength: 30, description: 'DHIS2 Weekly period (Monday–Sunday), e.g. 2024W47' });
const orgUnit = Type.String({ minLength: 1, maxLength: 60, description: 'org unit id, code or LGD code; default: your own area' });
const disease = Type.String({ minLength: 1, maxLength: 40, description: 'disease code from GET /api/surveillance/diseases, e.g. P_ADD' });

export const ReportBody = Type.Object({
  orgUnit: Type.String({ minLength: 1, maxLength: 60, description: 'the reporting facility (org unit id)' }),
  week,
  form: Type.String({ enum: ['S', 'P', 'L'] }),
  counts: Type.Array(Type.Object({
    disease,
    cases: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    deaths: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  }, { additionalProperties: false }), { maxItems: 200, description: 'one entry per disease; an empty list is a nil report' }),
}, { additionalProperties: false });
export type ReportInput = Static<typeof ReportBody>;

export const TrendsQuery = Type.Object({
  disease,
  orgUnit: Type.Optional(orgUnit),
  week: Type.Optional(week),
  weeks: Type.Optional(Type.Integer({ minimum: 4, maximum: 104, default: 12 })),
}, { additionalProperties: false });
export type TrendsInput = Static<typeof TrendsQuery>;

export const AreaWeekQuery = Type.Object({ orgUnit: Type.Optional(orgUnit), week: Type.Optional(week) }, { additionalProperties: false });
export type AreaWeekInput = Static<typeof AreaWeekQuery>;

export const BurdenQuery = Type.Object({
  disease,
  from: Type.Optional(week),
  to: Type.Optional(week),
  orgUnit: Type.Optional(orgUnit),
  level: Type.Optional(Type.String({ enum: ['district', 'block'], default: 'district' })),
}, { additionalProperties: false });
export type BurdenInput = Static<typeof BurdenQuery>;

const Named = { code: Type.String(), name: Type.String(), nameHi: Type.String() };
const Unit = Type.Object({ id: Type.String(), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]), level: Type.String() });

export const DiseaseList = Type.Object({
  forms: Type.Array(Type.Object(Named)),
  items: Type.Array(Type.Object({ ...Named, form: Type.String(), alertAt: Type.Union([Type.Integer(), Type.Null()]), alertRule: Type.String(), alertRuleHi: Type.String() })),
});

export const StoredReport = Type.Object({
  orgUnit: Unit,
  week: Type.String(), startDate: Type.String(), endDate: Type.String(), form: Type.String(),
  replaced: Type.Boolean(),
  submittedBy: Type.String(), submittedAt: Type.String(),
  counts: Type.Array(Type.Object({ ...Named, cases: Type.Integer(), deaths: Type.Integer() })),
});

const Baseline = { mean: Type.Number(), sd: Type.Number() };
const Window = Type.Object({ weeks: Type.Array(Type.String()), cases: Type.Integer(), ...Baseline, threshold: Type.Number(), pastYears: Type.Array(Type.Integer()) });

export const Trends = Type.Object({
  disease: Type.Object(Named), orgUnit: Unit, week: Type.String(),
  weeks: Type.Array(Type.Object({ week: Type.String(), startDate: Type.String(), cases: Type.Integer(), deaths: Type.Integer(), ...Baseline, pastYears: Type.Array(Type.Integer()) })),
  last4: Window,
  rising: Type.Boolean(),
});

export const Rising = Type.Object({
  orgUnit: Unit, week: Type.String(),
  items: Type.Array(Type.Object({ ...Named, form: Type.String(), last4: Window, excess: Type.Number() })),
});

export const Burden = Type.Object({
  disease: Type.Object(Named), orgUnit: Unit, level: Type.String(), from: Type.String(), to: Type.String(),
  total: Type.Object({ cases: Type.Integer(), deaths: Type.Integer(), facilitiesReporting: Type.Integer() }),
  items: Type.Array(Type.Object({
    rank: Type.Integer(), id: Type.Union([Type.String(), Type.Null()]), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]),
    cases: Type.Integer(), deaths: Type.Integer(), facilitiesReporting: Type.Integer(), casesPerFacility: Type.Union([Type.Number(), Type.Null()]),
  })),
});

export const Alerts = Type.Object({
  orgUnit: Unit, week: Type.String(),
  items: Type.Array(Type.Object({
    district: Type.Object({ id: Type.String(), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]) }),
    disease: Type.Object({ ...Named, form: Type.String() }),
    cases: Type.Integer(), deaths: Type.Integer(), kind: Type.String({ enum: ['absolute', 'statistical'] }),
    threshold: Type.Number(), mean: Type.Union([Type.Number(), Type.Null()]), sd: Type.Union([Type.Number(), Type.Null()]),
    why: Type.String(), whyHi: Type.String(),
  })),
});
