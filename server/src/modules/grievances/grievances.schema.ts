// Request and response schemas of grievance redressal (issue 13, parts 2–5): one source for
// validation, types and OpenAPI. The web screens (web/src/features/grievances/) build on these.
//
// Routes (docs/grievances.md says more):
//   public, no sign-in (a one-time code to the citizen's mobile; then a short-lived access token):
//     POST /api/public/grievances/otp {mobile}                                   → 202 {challengeId, expiresAt, sentTo}
//     POST /api/public/grievances {mobile, challengeId, code, type, facilityId|district, description, language?}
//                                                                                → 201 Filed {ticketNumber, accessToken, …}
//     GET  /api/public/grievances/facilities?district=63&q=                       → {items:[{id, name, nameHi, type}]} (public facilities, for the form)
//     GET  /api/public/grievances/figures?state=&district=&from=YYYYMM&to=YYYYMM → PublicFigures (no names, no text)
//     GET  /api/public/grievances/:ticketNumber?mobile=&challengeId=&code=  (or ?accessToken=) → PublicTicket {status, history, …}
//     POST /api/public/grievances/:ticketNumber/information {accessToken | mobile+challengeId+code, text}  → 200 PublicTicket
//     POST /api/public/grievances/:ticketNumber/reopen      {…access, reason}                             → 200 PublicTicket
//     POST /api/public/grievances/:ticketNumber/rating      {…access, satisfied, score?, comment?}        → 200 PublicTicket
//     POST /api/public/grievances/:ticketNumber/attachments?accessToken=  (the file as body: PDF/JPEG/PNG/WebP) → 201 Attachment
//   officers and desks (signed in):
//     POST /api/grievances                          (can_file_grievance: help desk, helpline)  → 201 Ticket
//     GET  /api/grievances?status=&district=&facility=&type=&level=&overdue=&limit=&offset=  → {items, total, limit, offset}
//     GET  /api/grievances/figures?district=&from=&to=                                       → Figures
//     GET  /api/grievances/notifications                                                     → {items} (escalations to the caller's level)
//     GET  /api/grievances/settings?state=                                                   → Settings (the state's routing and deadlines per type)
//     PUT  /api/grievances/settings/:type {state?, level, firstResponseDays, resolutionDays}  → Settings (state officer, admin)
//     GET  /api/grievances/calendar?state=&year=                                             → Calendar
//     PUT  /api/grievances/calendar {state?, weekendDays?, add?:[{date,name}], remove?:[date]} → Calendar (state officer, admin)
//     GET  /api/grievances/:ticketNumber                                                     → Ticket (audited: mobile, description)
//     POST /api/grievances/:ticketNumber/assign   {userId?}              new|reopened|assigned|in_progress → assigned
//     POST /api/grievances/:ticketNumber/start    {}                     assigned → in_progress
//     POST /api/grievances/:ticketNumber/reply    {message}              citizen-visible; assigned|waiting_for_citizen → in_progress
//     POST /api/grievances/:ticketNumber/notes    {note}                 internal, never shown to the citizen
//     POST /api/grievances/:ticketNumber/wait     {message}              → waiting_for_citizen (asks the citizen for something)
//     POST /api/grievances/:ticketNumber/interim  {reason, extendDays}   extends the resolution deadline once
//     POST /api/grievances/:ticketNumber/resolve  {resolution}           → resolved
//     POST /api/grievances/:ticketNumber/close    {note?}                resolved → closed
//     POST /api/grievances/:ticketNumber/reopen   {reason}               resolved|closed → reopened
//     POST /api/grievances/:ticketNumber/attachments  (the file as body)                     → 201 Attachment
//     GET  /api/grievances/:ticketNumber/attachments/:id                                     → the file (audited)
// Every action answers 200 with the Ticket as it is after it; an action the ticket's status does not
// allow is 409 with a message naming both; another district's ticket is 404.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Paging } from '../../platform/http.js';

const N = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Lit = <T extends readonly string[]>(values: T) => Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const GRIEVANCE_TYPES = ['service_refused', 'staff_behaviour', 'money_asked', 'medicines_not_given', 'cleanliness', 'waiting', 'ambulance_late', 'other'] as const;
export type GrievanceType = (typeof GRIEVANCE_TYPES)[number];
export const GRIEVANCE_STATUSES = ['new', 'assigned', 'in_progress', 'waiting_for_citizen', 'resolved', 'closed', 'reopened'] as const;
export type GrievanceStatus = (typeof GRIEVANCE_STATUSES)[number];
/** The officer level a ticket sits with: the facility's in-charge, the district, the state. */
export const GRIEVANCE_LEVELS = ['facility', 'district', 'state'] as const;
export type GrievanceLevel = (typeof GRIEVANCE_LEVELS)[number];
export const GRIEVANCE_SOURCES = ['public', 'helpline', 'help_desk'] as const;
export type GrievanceSource = (typeof GRIEVANCE_SOURCES)[number];

export const TypeT = Lit(GRIEVANCE_TYPES);
export const StatusT = Lit(GRIEVANCE_STATUSES);
export const LevelT = Lit(GRIEVANCE_LEVELS);

const Mobile = Type.String({ minLength: 10, maxLength: 20, description: 'ten-digit Indian mobile; +91, spaces and hyphens are ignored' });
const Text = (max: number, description?: string) => Type.String({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
export const TicketNumber = Type.String({ minLength: 6, maxLength: 40, pattern: '^[A-Za-z0-9-]+$', description: 'as given to the citizen, e.g. GRV-63-2612-00042' });
const Id = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_-]+$' });
const Language = Type.String({ minLength: 2, maxLength: 5, pattern: '^[a-z]{2,3}$', description: 'hi, en, or another state language code' });

// ---- filing ----------------------------------------------------------------------------------

export const OtpBody = Type.Object({ mobile: Mobile }, { additionalProperties: false });
export const OtpSent = Type.Object({ challengeId: Type.String(), expiresAt: Type.String(), sentTo: Type.String(), channel: Type.Optional(Type.String()) });

/** What a grievance says; where it is about: a facility, or (when no facility is concerned) a district. */
const GrievanceCore = {
  type: TypeT,
  facilityId: Type.Optional(Id),
  district: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'LGD code (63) or org unit id of the district, when no facility is named' })),
  description: Text(4000, 'what happened, in the citizen\'s words'),
  language: Type.Optional(Language),
};

export const PublicFileBody = Type.Object({
  mobile: Mobile,
  challengeId: Type.String({ minLength: 1, maxLength: 20, description: 'from POST /api/public/grievances/otp' }),
  code: Type.String({ minLength: 4, maxLength: 8, description: 'the six digits sent by SMS' }),
  ...GrievanceCore,
  name: Type.Optional(Type.String({ maxLength: 100 })),
}, { additionalProperties: false });
export type PublicFileInput = Static<typeof PublicFileBody>;

/** Filed by staff: at a facility's help desk, or by the helpline for a caller. */
export const StaffFileBody = Type.Object({
  mobile: Mobile,
  name: Type.Optional(Type.String({ maxLength: 100 })),
  ...GrievanceCore,
  source: Type.Optional(Lit(['help_desk', 'helpline'] as const)),
  helplineCallId: Type.Optional(Id),
}, { additionalProperties: false });
export type StaffFileInput = Static<typeof StaffFileBody>;

/** What fileGrievance takes, whoever files (the helpline module calls it too). */
export interface FileGrievanceInput {
  mobile: string;
  name?: string | null;
  type: GrievanceType;
  facilityId?: string | null;
  district?: string | null;
  description: string;
  language?: string | null;
  source: GrievanceSource;
  helplineCallId?: string | null;
}

export const Filed = Type.Object({
  id: Type.String(),
  ticketNumber: Type.String(),
  status: StatusT,
  level: LevelT,
  firstResponseDue: Type.String(),
  resolutionDue: Type.String(),
  /** For the public page: lets the citizen add photos and follow the ticket for a while without another code. */
  accessToken: Type.Optional(Type.String()),
  accessExpiresAt: Type.Optional(Type.String()),
});

export const PublicFacilitiesQuery = Type.Object({
  district: Type.String({ minLength: 1, maxLength: 40, description: 'LGD code of the district' }),
  q: Type.Optional(Type.String({ maxLength: 100, description: 'part of the name' })),
}, { additionalProperties: false });
export const PublicFacilities = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), nameHi: N(Type.String()), type: Type.String() })) });

// ---- citizen tracking -------------------------------------------------------------------------

/** Either the access token from filing or tracking, or a fresh code for the ticket's mobile. */
const Access = {
  accessToken: Type.Optional(Type.String({ minLength: 20, maxLength: 100 })),
  mobile: Type.Optional(Mobile),
  challengeId: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  code: Type.Optional(Type.String({ minLength: 4, maxLength: 8 })),
};
export const TrackQuery = Type.Object(Access, { additionalProperties: false });
export type AccessInput = Static<typeof TrackQuery>;
export const InformationBody = Type.Object({ ...Access, text: Text(4000) }, { additionalProperties: false });
export const PublicReopenBody = Type.Object({ ...Access, reason: Text(2000) }, { additionalProperties: false });
export const RatingBody = Type.Object({
  ...Access,
  satisfied: Type.Boolean({ description: 'false opens an appeal to the next level (once), decided within 30 days' }),
  score: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
  comment: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false });
export const AttachmentQuery = Type.Object({ accessToken: Type.Optional(Type.String({ minLength: 20, maxLength: 100 })), title: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

/** One event as the citizen sees it: no internal notes, no officer's name (their role only). */
export const PublicEvent = Type.Object({
  at: Type.String(),
  kind: Type.String({ description: 'filed, assigned, in_progress, reply, waiting_for_citizen, citizen_information, interim_reply, escalated, resolved, reopened, rated, appeal_opened, closed, attachment' }),
  text: N(Type.String()),
  by: Type.String({ description: 'citizen, system, or the role: facility, district officer, state officer, helpline' }),
  status: N(StatusT),
});
export const PublicTicket = Type.Object({
  ticketNumber: Type.String(),
  status: StatusT,
  type: TypeT,
  level: LevelT,
  facilityName: N(Type.String()),
  facilityNameHi: N(Type.String()),
  districtName: Type.String(),
  districtNameHi: N(Type.String()),
  filedAt: Type.String(),
  firstResponseDue: Type.String(),
  resolutionDue: Type.String(),
  resolution: N(Type.String()),
  resolvedAt: N(Type.String()),
  /** Until when the citizen may reopen (15 days after resolution), while resolved. */
  reopenUntil: N(Type.String()),
  canReopen: Type.Boolean(),
  canRate: Type.Boolean(),
  rating: N(Type.Object({ satisfied: Type.Boolean(), score: N(Type.Integer()), at: Type.String() })),
  appeal: N(Type.Object({ level: LevelT, openedAt: Type.String(), due: Type.String(), decidedAt: N(Type.String()) })),
  history: Type.Array(PublicEvent),
  accessToken: Type.String(),
  accessExpiresAt: Type.String(),
});

// ---- officers ---------------------------------------------------------------------------------

export const ListQuery = Type.Object({
  ...Paging,
  status: Type.Optional(Type.String({ description: 'one status, or several separated by commas; "open" for all not resolved or closed' })),
  district: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code or org unit id; must lie in the caller\'s area' })),
  facility: Type.Optional(Id),
  type: Type.Optional(TypeT),
  level: Type.Optional(LevelT),
  overdue: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type ListQueryT = Static<typeof ListQuery>;

const Due = {
  firstResponseDue: Type.String(),
  firstRespondedAt: N(Type.String()),
  resolutionDue: Type.String(),
  overdue: Type.Boolean(),
};
export const ListItem = Type.Object({
  id: Type.String(),
  ticketNumber: Type.String(),
  type: TypeT,
  status: StatusT,
  level: LevelT,
  source: Type.String(),
  facilityId: N(Type.String()),
  facilityName: N(Type.String()),
  districtId: Type.String(),
  districtName: Type.String(),
  mobileMasked: Type.String(),
  assignedTo: N(Type.Object({ userId: Type.String(), name: Type.String() })),
  escalatedLevel: Type.Integer({ description: 'how many times the ticket has been escalated' }),
  filedAt: Type.String(),
  updatedAt: Type.String(),
  ...Due,
});
export const ListPage = Type.Object({ items: Type.Array(ListItem), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

export const Attachment = Type.Object({
  id: Type.String(), mediaType: Type.String(), bytes: Type.Integer(), title: N(Type.String()), byCitizen: Type.Boolean(), createdAt: Type.String(),
});

export const Event = Type.Object({
  id: Type.Integer(),
  at: Type.String(),
  kind: Type.String(),
  text: N(Type.String()),
  visibleToCitizen: Type.Boolean(),
  fromStatus: N(Type.String()),
  toStatus: N(Type.String()),
  by: N(Type.Object({ userId: Type.String(), name: Type.String(), role: Type.String() })),
  byCitizen: Type.Boolean(),
});

/** One ticket in full for those handling it (reading it is audited: it holds the mobile and the text). */
export const Ticket = Type.Object({
  id: Type.String(),
  ticketNumber: Type.String(),
  type: TypeT,
  status: StatusT,
  level: LevelT,
  source: Type.String(),
  language: N(Type.String()),
  mobile: Type.String(),
  name: N(Type.String()),
  description: Type.String(),
  facilityId: N(Type.String()),
  facilityName: N(Type.String()),
  districtId: Type.String(),
  districtName: Type.String(),
  helplineCallId: N(Type.String()),
  assignedTo: N(Type.Object({ userId: Type.String(), name: Type.String() })),
  escalatedLevel: Type.Integer(),
  escalatedAt: N(Type.String()),
  ...Due,
  extension: N(Type.Object({ reason: Type.String(), at: Type.String() })),
  resolution: N(Type.String()),
  resolvedAt: N(Type.String()),
  closedAt: N(Type.String()),
  rating: N(Type.Object({ satisfied: Type.Boolean(), score: N(Type.Integer()), comment: N(Type.String()), at: Type.String() })),
  appeal: N(Type.Object({ level: LevelT, openedAt: Type.String(), due: Type.String(), decidedAt: N(Type.String()) })),
  filedAt: Type.String(),
  updatedAt: Type.String(),
  events: Type.Array(Event),
  attachments: Type.Array(Attachment),
});

export const TicketParams = Type.Object({ ticketNumber: TicketNumber });
export const AttachmentParams = Type.Object({ ticketNumber: TicketNumber, id: Id });
export const AssignBody = Type.Object({ userId: Type.Optional(Id) }, { additionalProperties: false });
export const EmptyBody = Type.Object({}, { additionalProperties: false });
export const MessageBody = Type.Object({ message: Text(4000) }, { additionalProperties: false });
export const NoteBody = Type.Object({ note: Text(4000) }, { additionalProperties: false });
export const InterimBody = Type.Object({
  reason: Text(2000, 'why more time is needed; the citizen sees it'),
  extendDays: Type.Integer({ minimum: 1, maximum: 60, description: 'working days added to the resolution deadline' }),
}, { additionalProperties: false });
export const ResolveBody = Type.Object({ resolution: Text(4000, 'what was done; the citizen sees it') }, { additionalProperties: false });
export const CloseBody = Type.Object({ note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export const ReasonBody = Type.Object({ reason: Text(2000) }, { additionalProperties: false });

export const Notifications = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(), at: Type.String(), kind: Type.String(), ticketNumber: Type.String(), text: Type.String(), level: LevelT,
  })),
});

// ---- settings: routing, deadlines, the state's calendar -------------------------------------

export const RoutingRule = Type.Object({
  type: TypeT,
  level: LevelT,
  firstResponseDays: Type.Integer({ minimum: 1, maximum: 60 }),
  resolutionDays: Type.Integer({ minimum: 1, maximum: 120 }),
});
export const Settings = Type.Object({ stateLgd: Type.Integer(), routing: Type.Array(RoutingRule), workingDaysNote: Type.String() });
export const SettingsQuery = Type.Object({ state: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code of the state; the caller\'s own by default' })) }, { additionalProperties: false });
export const RoutingParams = Type.Object({ type: TypeT });
export const RoutingBody = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code of the state; the caller\'s own by default' })),
  level: LevelT,
  firstResponseDays: Type.Integer({ minimum: 1, maximum: 60 }),
  resolutionDays: Type.Integer({ minimum: 1, maximum: 120 }),
}, { additionalProperties: false });

const DateT = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
export const CalendarQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code of the state; the caller\'s own by default' })),
  year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })),
}, { additionalProperties: false });
export const Calendar = Type.Object({
  stateLgd: Type.Integer(),
  weekendDays: Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { description: '0 Sunday … 6 Saturday' }),
  holidays: Type.Array(Type.Object({ date: Type.String(), name: Type.String() })),
});
export const CalendarBody = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 40 })),
  weekendDays: Type.Optional(Type.Array(Type.Integer({ minimum: 0, maximum: 6 }), { maxItems: 6 })),
  add: Type.Optional(Type.Array(Type.Object({ date: DateT, name: Text(200) }, { additionalProperties: false }), { maxItems: 100 })),
  remove: Type.Optional(Type.Array(DateT, { maxItems: 100 })),
}, { additionalProperties: false });
export type CalendarInput = Static<typeof CalendarBody>;

// ---- figures ----------------------------------------------------------------------------------

const Month = Type.String({ pattern: '^\\d{6}$', description: 'YYYYMM' });
export const FiguresQuery = Type.Object({
  district: Type.Optional(Type.String({ maxLength: 40 })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
}, { additionalProperties: false });
export type FiguresQueryT = Static<typeof FiguresQuery>;
const Count = (key: Record<string, TSchema>) => Type.Array(Type.Object({ ...key, count: Type.Integer() }));
export const Figures = Type.Object({
  from: Type.String(), to: Type.String(),
  total: Type.Integer(),
  byType: Count({ type: Type.String() }),
  byStatus: Count({ status: Type.String() }),
  bySource: Count({ source: Type.String() }),
  byDistrict: Count({ districtId: Type.String(), districtName: Type.String() }),
  byFacility: Count({ facilityId: Type.String(), facilityName: Type.String() }),
  firstResponse: Type.Object({ responded: Type.Integer(), withinDeadline: Type.Integer(), medianHours: N(Type.Number()) }),
  resolution: Type.Object({ resolved: Type.Integer(), withinDeadline: Type.Integer(), medianDays: N(Type.Number()) }),
  /** Open tickets by age since filing. */
  ageing: Count({ bucket: Type.String({ description: '0-7, 8-21, 22-30, 31-60, 61+ days' }) }),
  /** Facilities with at least 3 complaints in the period, most first. */
  repeated: Type.Array(Type.Object({ facilityId: Type.String(), facilityName: Type.String(), count: Type.Integer(), types: Type.Array(Type.String()) })),
});

export const PublicFiguresQuery = Type.Object({
  state: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code of the state' })),
  district: Type.Optional(Type.String({ maxLength: 40, description: 'LGD code of the district' })),
  from: Type.Optional(Month),
  to: Type.Optional(Month),
}, { additionalProperties: false });
export type PublicFiguresQueryT = Static<typeof PublicFiguresQuery>;
export const PublicFigures = Type.Object({
  from: Type.String(), to: Type.String(),
  items: Type.Array(Type.Object({
    districtLgd: N(Type.Integer()), districtName: Type.String(), districtNameHi: N(Type.String()), month: Type.String({ description: 'YYYYMM' }),
    filed: Type.Integer(), resolved: Type.Integer(), resolvedWithinDeadline: Type.Integer(), open: Type.Integer(),
    byType: Type.Record(Type.String(), Type.Integer()),
  })),
});
