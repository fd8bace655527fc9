// Request and response schemas of ASHA incentives (issue 14): one source for validation, types and
// OpenAPI. The web screens (web/src/features/asha/) build on these.
//
// CONTRACT CHANGES (against the contract the screens were started from; fields were only ADDED):
//   - workers list items add `active` (boolean) and `blockId`;
//   - POST /api/asha/claims answers also `claimMonth`; claims add `flagged` (boolean), `approveNote`, `utr`, `claimMonth`, `ashaId`, `ashaName`,
//     `beneficiaryPatientId`, `pregnancyNumber`, `fundSource`, `submittedAt`, `escalatedLevel`; /claims/mine months add `paidOn` (last pay day of the month, or null);
//   - POST /api/asha/claims answers 400 code `bad_request` with details.field='doneOn' for work in the future;
//     a claim entered after the window closed is NOT refused: it is stored with the flag `late` (see below);
//   - batches add `status` ('open'|'closed') and `month`; GET /batches/{id} adds `items` (the rows).
//   - activities add `componentOf` (the parts of the fixed monthly routine name it; they are shown, not claimed) and the answer `on`.
//   - errors: a claim's flags need an approve with {note}; without it 400 with details.field='note'.
//
// Routes:
//   POST /api/asha/workers {name, nameHi?, mobile, villageIds?, subCentreId, bankAccount, ifsc, activeFrom?}  → 201 {id, username}
//   GET  /api/asha/workers?block=&q=&cursor=                                  → {items, nextCursor}
//   POST /api/asha/workers/import   (text/csv; columns below)                 → {created, refused:[{row, reason}]}
//        columns (header row, any order): name, name_hi, mobile, sub_centre_id, village_ids (ids or LGD codes
//        separated by ';'), bank_account, ifsc, active_from (YYYY-MM-DD). Row by row: a bad row is refused
//        with its reason, the others are created. The IFSC's bank code (first four letters) must be a known
//        bank: a built-in list, or ?banks=SBIN,PUNB,... to give the state's own list.
//   GET  /api/asha/activities[?on=YYYY-MM-DD]                                 → {items}
//   POST /api/asha/activities/:code/rates {amount, effectiveFrom}             → 201 activity (state-level can_manage_asha)
//   POST /api/asha/claims {clientId, activityCode, beneficiaryPatientId?, pregnancyNumber?, doneOn, photo?}
//                                                                             → 201 claim | 200 the same claim again (same clientId)
//   GET  /api/asha/claims/mine                                                → {items, months}
//   GET  /api/asha/claims?status=&block=&cursor=                              → {items, nextCursor}
//   POST /api/asha/claims/:id/recommend {note?} | /approve {note?} | /reject {reason} | /resubmit {…changed fields}
//   POST /api/asha/batches {block, month}                                     → 201 {id, total, rows, heldBack}
//   GET  /api/asha/batches?block=  |  /api/asha/batches/:id  |  /api/asha/batches/:id/file (text/csv)
//   POST /api/asha/batches/:id/returns (text/csv: reference,status,reason,utr) → {paid, failed, unknown}
//   GET  /api/asha/timeliness?district=&from=YYYY-MM&to=YYYY-MM               → {blocks}
//
// Claim window (per state, asha_settings; default): work done from the 26th of the month before to the
// 25th of a month belongs to that month ("claim month"), and is entered by the 5th of the month after.
// Entered later, the claim is stored with the flag `late` and needs an explicit approval with a note:
// a phone that was offline for weeks must not lose an ASHA her money silently, and nobody pays it by
// oversight either.
import { Type, type Static } from '@sinclair/typebox';

const Id = Type.String({ minLength: 1, maxLength: 64 });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
const Month = Type.String({ pattern: '^\\d{4}-(0[1-9]|1[0-2])$', description: 'YYYY-MM' });

export const WorkerBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  nameHi: Type.Optional(Type.String({ maxLength: 200 })),
  mobile: Type.String({ minLength: 10, maxLength: 14 }),
  villageIds: Type.Optional(Type.Array(Type.Union([Id, Type.Integer({ minimum: 1 })]), { maxItems: 20 })),
  subCentreId: Id,
  bankAccount: Type.String({ minLength: 1, maxLength: 30 }),
  ifsc: Type.String({ minLength: 1, maxLength: 20 }),
  activeFrom: Type.Optional(Day),
}, { additionalProperties: false });
export type WorkerInput = Static<typeof WorkerBody>;
export const WorkerCreated = Type.Object({ id: Type.String(), username: Type.String() });

const Named = Type.Object({ id: Type.String(), name: Type.String() });
export const Worker = Type.Object({
  id: Type.String(), name: Type.String(), nameHi: Type.Union([Type.String(), Type.Null()]), mobile: Type.String(), username: Type.String(),
  subCentre: Named, villages: Type.Array(Named), bankAccountMasked: Type.Union([Type.String(), Type.Null()]),
  bankAccount: Type.Optional(Type.Union([Type.String(), Type.Null()])), ifsc: Type.Union([Type.String(), Type.Null()]),
  activeFrom: Type.String(), activeTo: Type.Union([Type.String(), Type.Null()]), active: Type.Boolean(), blockId: Type.String(),
});
export const WorkersQuery = Type.Object({ block: Type.Optional(Type.String({ maxLength: 64 })), q: Type.Optional(Type.String({ maxLength: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })) }, { additionalProperties: false });
export const WorkersPage = Type.Object({ items: Type.Array(Worker), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const ImportQuery = Type.Object({ banks: Type.Optional(Type.String({ maxLength: 4000 })) }, { additionalProperties: false });
export const ImportResult = Type.Object({ created: Type.Integer(), refused: Type.Array(Type.Object({ row: Type.Integer(), reason: Type.String() })), items: Type.Array(WorkerCreated) });

export const Activity = Type.Object({
  code: Type.String(), nameEn: Type.String(), nameHi: Type.String(), amount: Type.Integer(),
  variant: Type.Union([Type.Literal('rural'), Type.Literal('urban'), Type.Null()]), fundSource: Type.Union([Type.Literal('NHM'), Type.Literal('STATE')]),
  evidence: Type.Array(Type.String()), beneficiaryKind: Type.String(), perBeneficiaryLimit: Type.Union([Type.Integer(), Type.Null()]),
  perMonthLimit: Type.Union([Type.Integer(), Type.Null()]), effectiveFrom: Type.String(), linkedRecord: Type.Union([Type.String(), Type.Null()]),
  componentOf: Type.Union([Type.String(), Type.Null()]),
  rateOf: Type.Optional(Type.Union([Type.Literal('state'), Type.Literal('national')], { description: 'whose rate is in force: the state\'s own or the national one' })),
});
export const ActivitiesQuery = Type.Object({ on: Type.Optional(Day) }, { additionalProperties: false });
export const Activities = Type.Object({ on: Type.String(), items: Type.Array(Activity) });
export const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 30 }) });
export const RateBody = Type.Object({ amount: Type.Integer({ minimum: 0, maximum: 100000 }), effectiveFrom: Day }, { additionalProperties: false });

export const Flag = Type.Object({ code: Type.String(), message: Type.String(), messageHi: Type.Optional(Type.String()) });
export const ClaimBody = Type.Object({
  clientId: Type.String({ format: 'uuid' }),
  activityCode: Type.String({ minLength: 1, maxLength: 30 }),
  beneficiaryPatientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  pregnancyNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  doneOn: Day,
  photo: Type.Optional(Type.String({ maxLength: 14_000_000, description: 'data:image/jpeg;base64,… or data:image/png;base64,…' })),
}, { additionalProperties: false });
export type ClaimInput = Static<typeof ClaimBody>;
export const ResubmitBody = Type.Object({
  activityCode: Type.Optional(Type.String({ minLength: 1, maxLength: 30 })),
  beneficiaryPatientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  pregnancyNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  doneOn: Type.Optional(Day),
  photo: Type.Optional(Type.String({ maxLength: 14_000_000 })),
  note: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export const Claim = Type.Object({
  id: Type.String(), clientId: Type.String(), activityCode: Type.String(), nameEn: Type.String(), nameHi: Type.String(),
  ashaId: Type.String(), ashaName: Type.String(), beneficiaryPatientId: Type.Union([Type.String(), Type.Null()]), pregnancyNumber: Type.Union([Type.String(), Type.Null()]),
  doneOn: Type.String(), claimMonth: Type.String(), amount: Type.Integer(), fundSource: Type.String(), status: Type.String(),
  holder: Type.Union([Type.Literal('anm'), Type.Literal('mo'), Type.Literal('accountant'), Type.Literal('bank'), Type.Null()]),
  expectedPayOn: Type.Union([Type.String(), Type.Null()]), rejectReason: Type.Union([Type.String(), Type.Null()]),
  flags: Type.Array(Flag), flagged: Type.Boolean(), approveNote: Type.Union([Type.String(), Type.Null()]),
  batchId: Type.Union([Type.String(), Type.Null()]), paidOn: Type.Union([Type.String(), Type.Null()]), utr: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.String(), escalatedLevel: Type.Integer(),
});
export const MineAnswer = Type.Object({
  items: Type.Array(Claim),
  months: Type.Array(Type.Object({ month: Type.String(), paid: Type.Integer(), pending: Type.Integer(), paidOn: Type.Union([Type.String(), Type.Null()]) })),
});
export const ClaimsQuery = Type.Object({
  status: Type.Optional(Type.String({ maxLength: 100 })), block: Type.Optional(Type.String({ maxLength: 64 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
}, { additionalProperties: false });
export const ClaimsPage = Type.Object({ items: Type.Array(Claim), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const ClaimParams = Type.Object({ id: Id });
export const NoteBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });

export const BatchBody = Type.Object({ block: Type.String({ minLength: 1, maxLength: 64 }), month: Month }, { additionalProperties: false });
const HeldBack = Type.Object({ ashaId: Type.String(), name: Type.String(), reason: Type.String() });
export const BatchRow = Type.Object({
  reference: Type.String(), ashaId: Type.String(), name: Type.String(), fundSource: Type.String(), amount: Type.Integer(), claims: Type.Integer(),
  bankAccountMasked: Type.String(), ifsc: Type.String(), status: Type.String(), utr: Type.Union([Type.String(), Type.Null()]), reason: Type.Union([Type.String(), Type.Null()]),
});
export const Batch = Type.Object({
  id: Type.String(), block: Named, month: Type.String(), status: Type.String(), total: Type.Integer(), rows: Type.Integer(),
  heldBack: Type.Array(HeldBack), createdAt: Type.String(), items: Type.Optional(Type.Array(BatchRow)),
});
export const BatchesQuery = Type.Object({ block: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
export const BatchList = Type.Object({ items: Type.Array(Batch) });
export const BatchParams = Type.Object({ id: Id });
export const ReturnsResult = Type.Object({ paid: Type.Integer(), failed: Type.Integer(), unknown: Type.Array(Type.String()) });

export const TimelinessQuery = Type.Object({ district: Type.Optional(Type.String({ maxLength: 64 })), from: Type.Optional(Month), to: Type.Optional(Month) }, { additionalProperties: false });
export const Timeliness = Type.Object({
  blocks: Type.Array(Type.Object({ block: Named, claims: Type.Integer(), paid: Type.Integer(), medianDaysToPay: Type.Union([Type.Number(), Type.Null()]), p90DaysToPay: Type.Union([Type.Number(), Type.Null()]) })),
});

// Escalation notices (asha.notices.ts): GET /api/asha/notices?cursor=&limit=&unseen=true → {items, nextCursor};
// POST /api/asha/notices/{id}/seen → {id, seen}.
export const NoticesQuery = Type.Object({
  cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$', description: 'nextCursor of the page before' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
  unseen: Type.Optional(Type.Boolean({ description: 'only the notices the caller has not marked seen' })),
}, { additionalProperties: false });
export const Notice = Type.Object({
  id: Type.String(), level: Type.Union([Type.Literal('mo'), Type.Literal('district')]), text: Type.String(), at: Type.String(), seen: Type.Boolean(),
  claim: Type.Object({
    id: Type.String(), status: Type.String(), activityCode: Type.String(), nameEn: Type.String(), nameHi: Type.String(), amount: Type.Integer(),
    ashaName: Type.String(), ashaNameHi: Type.Union([Type.String(), Type.Null()]), claimMonth: Type.String(),
    daysWaiting: Type.Union([Type.Integer(), Type.Null()], { description: 'days in its present status; null once decided' }),
  }),
});
export const NoticesPage = Type.Object({ items: Type.Array(Notice), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export const NoticeParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,18}$' }) });
export const NoticeSeen = Type.Object({ id: Type.String(), seen: Type.Boolean() });
