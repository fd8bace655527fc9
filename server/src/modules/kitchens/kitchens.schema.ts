// Request and response schemas of Didi ki Rasoi (issue 15, part 7): one source for validation, types and OpenAPI.
//
// Routes:
//   POST /api/kitchens {hospitalId, groupName, groupNameHi?, members:[{name, mobile?, role?}], bankAccount, ifsc, startedOn} → 201 {id}
//        (a district or state officer, or the hospital's own facility operator; the hospital must be a facility in the caller's area)
//   GET  /api/kitchens?district=&cursor=                      → {items, nextCursor}
//   GET  /api/kitchens/:id                                    → the kitchen with its members (an audited read; the account is
//        masked except to the state officer who pays)
//   POST /api/kitchens/rates {kind, amount, effectiveFrom}     → 201 (state level; for days from effectiveFrom in the caller's state)
//   GET  /api/kitchens/rates                                  → the caller's state's rate versions
//   POST /api/kitchens/:id/days {date, inpatients, mealsServed, attendantMeals?, correctionReason?}
//        → 201 a new day; a second entry for the same day is 409 unless it carries correctionReason, which replaces
//          the day's figures (200) and keeps the reason. A day of a month whose bill is submitted cannot change (409).
//   GET  /api/kitchens/:id/days?month=YYYY-MM                 → {items}
//   GET  /api/kitchens/:id/bills?month=YYYY-MM                → {month, amount, days, patientDays, attendantMeals, flags, status, …}
//        (status 'draft' until submitted: computed from the days at the rates in force on each day)
//   POST /api/kitchens/:id/bills/:month/submit               → the bill, submitted (the hospital's operator)
//   POST /api/kitchens/:id/bills/:month/approve              → approved (district or state officer over the hospital)
//   POST /api/kitchens/:id/bills/:month/pay {reference}      → paid (the state officer who pays)
//   The group sees its bill's status: members with a mobile get an SMS (English / Hindi) at submit, approve and pay.
import { Type, type Static } from '@sinclair/typebox';

const Day = Type.String({ format: 'date', description: 'YYYY-MM-DD' });
const Month = Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

export const KitchenBody = Type.Object({
  hospitalId: Type.String({ minLength: 1, maxLength: 64 }),
  groupName: Type.String({ minLength: 1, maxLength: 200 }),
  groupNameHi: Type.Optional(Type.String({ maxLength: 200 })),
  members: Type.Array(Type.Object({
    name: Type.String({ minLength: 1, maxLength: 200 }),
    mobile: Type.Optional(Type.String({ maxLength: 20 })),
    role: Type.Optional(Type.String({ maxLength: 60 })),
  }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }),
  bankAccount: Type.String({ minLength: 1, maxLength: 30 }),
  ifsc: Type.String({ minLength: 1, maxLength: 20 }),
  startedOn: Day,
}, { additionalProperties: false });
export type KitchenInput = Static<typeof KitchenBody>;

export const Created = Type.Object({ id: Type.String() });
export const IdParams = Type.Object({ id: Type.String() });
export const BillParams = Type.Object({ id: Type.String(), month: Month });
export const ListQuery = Type.Object({ district: Type.Optional(Type.String()), cursor: Type.Optional(Type.String()), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) });
export const MonthQuery = Type.Object({ month: Month });

const Member = Type.Object({ name: Type.String(), mobile: Type.Union([Type.String(), Type.Null()]), role: Type.Union([Type.String(), Type.Null()]) });
export const KitchenItem = Type.Object({
  id: Type.String(), hospital: Type.Object({ id: Type.String(), name: Type.String() }), groupName: Type.String(), groupNameHi: Type.Union([Type.String(), Type.Null()]),
  bankAccountMasked: Type.String(), bankAccount: Type.Optional(Type.String()), ifsc: Type.String(), startedOn: Type.String(),
});
export const Kitchen = Type.Intersect([KitchenItem, Type.Object({ members: Type.Array(Member) })]);
export const KitchenPage = Type.Object({ items: Type.Array(KitchenItem), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const RateBody = Type.Object({
  kind: Type.Union([Type.Literal('patient_day'), Type.Literal('attendant_meal')]),
  amount: Type.Number({ minimum: 0, maximum: 100000, description: 'rupees; kept to the paisa (two decimals)' }),
  effectiveFrom: Day,
}, { additionalProperties: false });
export const Rate = Type.Object({ stateLgd: Type.Integer(), kind: Type.String(), amount: Type.Number(), effectiveFrom: Type.String() });
export const Rates = Type.Object({ items: Type.Array(Rate) });

export const DayBody = Type.Object({
  date: Day,
  inpatients: Type.Integer({ minimum: 0, maximum: 100000 }),
  mealsServed: Type.Integer({ minimum: 0, maximum: 400000 }),
  attendantMeals: Type.Optional(Type.Integer({ minimum: 0, maximum: 400000 })),
  correctionReason: Type.Optional(Type.String({ minLength: 3, maxLength: 500 })),
}, { additionalProperties: false });
export type DayInput = Static<typeof DayBody>;
const Flag = Type.Object({ code: Type.String(), date: Type.Optional(Type.String()), message: Type.String(), messageHi: Type.Optional(Type.String()) });
export const DayAnswer = Type.Object({
  date: Type.String(), inpatients: Type.Integer(), mealsServed: Type.Integer(), attendantMeals: Type.Integer(),
  correctionReason: Type.Union([Type.String(), Type.Null()]), flags: Type.Array(Flag),
});
export const Days = Type.Object({ items: Type.Array(DayAnswer) });

export const Bill = Type.Object({
  kitchenId: Type.String(), month: Type.String(), status: Type.String({ description: 'draft | submitted | approved | paid' }),
  amount: Type.Number(), days: Type.Integer(), patientDays: Type.Number(), attendantMeals: Type.Integer(), flags: Type.Array(Flag),
  submittedAt: Type.Union([Type.String(), Type.Null()]), approvedAt: Type.Union([Type.String(), Type.Null()]), paidAt: Type.Union([Type.String(), Type.Null()]),
  paymentReference: Type.Union([Type.String(), Type.Null()]),
});
export const PayBody = Type.Object({ reference: Type.String({ minLength: 3, maxLength: 60 }) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });
