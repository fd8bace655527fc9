// HIMCARE (issue 15, parts 3–5): the set-up by date, enrolments and cards, claims. The shapes follow
// server/src/modules/schemes/schemes.schema.ts.
import { api, downloadFile, get } from '../../api.ts';

const H = '/api/schemes/himcare';
export interface Flag { code: string; message: string; messageHi?: string }
export interface Category { code: string; name: string; nameHi: string | null; premium: number; validFrom: string; active: boolean }
export interface Package { code: string; name: string; nameHi: string | null; rate: number; preauth: boolean; validFrom: string; active: boolean }
export interface Settings {
  validFrom: string; name: string; nameHi: string | null; coverAmount: number; membersPerCard: number; windows: { from: string; to: string }[];
  exclusions: string[]; reviewClaimsPerPackage: number; settleWithinDays: number;
}
export interface Setup {
  scheme: string; on: string; settings: Settings; categories: Category[]; packages: Package[];
  window: { open: boolean; current: { from: string; to: string } | null; nextOpensOn: string | null };
  versions: { settings: Settings[]; categories: Category[]; packages: Package[] };
}
export interface Enrolled { id: string; cardNumber: string; schemeYear: number; category: string; premium: number; members: number }
export interface EnrolmentItem {
  id: string; cardNumber: string; schemeYear: number; category: string; premium: number; status: string; enrolledAt: string;
  family: { id: string; familyNumber: string; externalId: string | null }; members: number;
}
export const CLAIM_STATUSES = ['preauth_pending', 'preauth_rejected', 'admitted', 'claimed', 'approved', 'deducted', 'rejected'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export interface Claim {
  id: string; cardNumber: string; patientId: string; hospital: { id: string; name: string }; packageCode: string; packageName: string | null; packageRate: number; preauth: boolean;
  diagnosis: string; procedure: string | null; treatment: string | null; admittedOn: string; dischargedOn: string | null; amount: number; status: ClaimStatus; flags: Flag[];
  filedAt: string; preauthAt: string | null; preauthReason: string | null; claimedAt: string | null; settledAt: string | null; settledAmount: number | null; settlementReason: string | null;
  days: { preauth: number | null; settlement: number | null; pending: number | null }; overdue: boolean;
}
export interface ClaimPage { items: Claim[]; nextCursor: string | null; dues: { pending: number; pendingAmount: number; overdue: number; overdueAmount: number; settleWithinDays: number } }
export interface ClaimBody { cardNumber: string; memberPatientId: string; hospitalId: string; packageCode: string; admittedOn: string; dischargedOn?: string; amount: number; diagnosis: string; procedure?: string; treatment?: string }

export const getSetup = (on?: string, signal?: AbortSignal) => get<Setup>(`${H}/setup`, on ? { on } : undefined, signal);
export const addPackage = (body: Omit<Package, 'active' | 'nameHi'> & { nameHi?: string }) => api<Package>('POST', `${H}/packages`, { body });
export const addCategory = (body: { code: string; name: string; premium: number; validFrom: string }) => api<Category>('POST', `${H}/categories`, { body });
export const addSettings = (body: Partial<Settings> & { validFrom: string }) => api<Settings>('POST', `${H}/setup`, { body });
export const enrol = (body: { familyId: string; category: string; premiumReference?: string }) => api<Enrolled>('POST', `${H}/enrolments`, { body });
export const listEnrolments = (signal?: AbortSignal) => get<{ items: EnrolmentItem[]; nextCursor: string | null }>(`${H}/enrolments`, undefined, signal);
export const printCard = (cardNumber: string) => downloadFile(`${H}/cards/${encodeURIComponent(cardNumber)}.pdf`, undefined, `himcare-${cardNumber}.pdf`, 'application/pdf');
export const listClaims = (query: { status?: string; overdue?: boolean }, signal?: AbortSignal) =>
  get<ClaimPage>(`${H}/claims`, { status: query.status || undefined, overdue: query.overdue ? 'true' : undefined }, signal);
export const fileClaim = (body: ClaimBody) => api<{ id: string; status: ClaimStatus; flags: Flag[] }>('POST', `${H}/claims`, { body });
export const decidePreauth = (id: string, approve: boolean, reason?: string) => api<Claim>('POST', `${H}/claims/${encodeURIComponent(id)}/preauth`, { body: { approve, ...(reason ? { reason } : {}) } });
export const dischargeClaim = (id: string, dischargedOn: string, amount?: number) => api<Claim>('POST', `${H}/claims/${encodeURIComponent(id)}/discharge`, { body: { dischargedOn, ...(amount != null ? { amount } : {}) } });
export const settleClaim = (id: string, decision: 'approved' | 'deducted' | 'rejected', amount?: number, reason?: string) =>
  api<Claim>('POST', `${H}/claims/${encodeURIComponent(id)}/settle`, { body: { decision, ...(amount != null ? { amount } : {}), ...(reason ? { reason } : {}) } });

export interface CoverageRow {
  unitId: string; name: string; nameHi: string | null; lgdCode: number | null; families: number; familiesEnrolled: number; coverage: number;
  members: number; claims: number; claimsPer1000Members: number; paid: number; pending: number;
  topDiagnoses: { code: string; name: string | null; nameHi: string | null; claims: number }[];
}
export type CoverageLevel = 'panchayat' | 'block' | 'district';
export interface CoverageAnswer { scheme: string; year: number; by: CoverageLevel; items: CoverageRow[]; totals: Omit<CoverageRow, 'unitId' | 'name' | 'nameHi' | 'lgdCode' | 'topDiagnoses'> }
export const getCoverage = (by: CoverageLevel, year: number, signal?: AbortSignal) => get<CoverageAnswer>(`${H}/coverage`, { by, year: String(year) }, signal);

/** The public figures (no sign-in): by district or block of the scheme's own state unless another is named. */
export type PublicLevel = 'district' | 'block';
export interface PublicCoverageAnswer extends CoverageAnswer { state: { lgdCode: number; name: string; nameHi: string | null } }
export const getPublicCoverage = (q: { by: PublicLevel; year: number; state?: string }, signal?: AbortSignal) =>
  get<PublicCoverageAnswer>('/api/public/schemes/himcare/coverage', { by: q.by, year: String(q.year), state: q.state || undefined }, signal);

/** The map of the figures: each unit's outline (or a district's headquarters point), keyed by unit id; units with neither in noShape. */
export interface ShapeUnit { unitId: string; name: string; nameHi: string | null; lgdCode: number | null }
export interface ShapeFeature {
  type: 'Feature'; id: string;
  properties: ShapeUnit & { shape: 'outline' | 'headquarters' };
  geometry: { type: 'Polygon' | 'MultiPolygon' | 'Point'; coordinates: unknown[] };
}
export interface CoverageShapes { by: CoverageLevel; type: 'FeatureCollection'; features: ShapeFeature[]; noShape: ShapeUnit[] }
export const getCoverageShapes = (by: CoverageLevel, signal?: AbortSignal) => get<CoverageShapes>(`${H}/coverage/map`, { by }, signal);
export const getPublicCoverageShapes = (q: { by: PublicLevel; state?: string }, signal?: AbortSignal) =>
  get<CoverageShapes>('/api/public/schemes/himcare/coverage/map', { by: q.by, state: q.state || undefined }, signal);
