// ASHA incentives: what every part shares (the database handle, transactions, the area a verifier or
// accountant acts in, the claim window of a state, masking), and the ASHA register (workers).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, fieldErrors, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import type { Permission } from '../../platform/roles.js';
import { createUser } from '../../platform/auth/users.service.js';
import { getFacility } from '../facilities/facilities.service.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { inTransaction } from '../../db/transaction.js';
import { IFSC, maskAccount } from '../../platform/bank.js';
import * as repo from './asha.repository.js';
import type { WorkerInput } from './asha.schema.js';

export type Db = Kysely<Database>;
export const pathIds = (path: string) => path.split('/').filter(Boolean);

/** An actor with extra permissions for one internal call through another module's service (same user, same audit name). */
export const withPermissions = (actor: Actor, perms: Permission[], orgPath = actor.orgPath): Actor =>
  ({ ...actor, orgPath, permissions: new Set([...actor.permissions, ...perms]) });

/** The state part of a path (/country/state/). */
export const statePath = (path: string) => `/${pathIds(path).slice(0, 2).join('/')}/`;

// ---- IFSC and banks --------------------------------------------------------------------------------

/** Bank codes (the IFSC's first four letters) accepted when no list is uploaded: public, large private and Haryana's rural and cooperative banks. */
export const KNOWN_BANKS = ['SBIN', 'PUNB', 'BARB', 'CNRB', 'UBIN', 'HDFC', 'ICIC', 'BKID', 'IOBA', 'UCBA', 'IDIB', 'CBIN', 'MAHB', 'PSIB', 'KKBK', 'UTIB', 'YESB',
  'HGBX', 'SHGX', 'PUNX', 'HSCB', 'IBKL', 'INDB', 'FDRL', 'AIRP', 'IPOS', 'JAKA', 'RATN', 'ESFB', 'AUBL', 'UJVN', 'SIBL', 'KARB', 'CSBK', 'DCBL', 'IDFB', 'BDBL'] as const;

/** Why an IFSC is not usable for a payment, or null. `banks` also checks the bank code (imports, batches). */
export function ifscProblem(ifsc: string | null | undefined, banks?: readonly string[]): string | null {
  if (!ifsc) return 'no IFSC';
  if (!IFSC.test(ifsc)) return `IFSC ${ifsc} is not valid: 4 letters, a zero, then 6 letters or digits (e.g. SBIN0001234)`;
  if (banks && !banks.includes(ifsc.slice(0, 4))) return `IFSC ${ifsc}: bank code ${ifsc.slice(0, 4)} is not in the bank list`;
  return null;
}
export const accountProblem = (a: string | null | undefined) => (!a ? 'no bank account' : /^[0-9]{9,18}$/.test(a) ? null : 'the bank account number must be 9 to 18 digits');

// ---- areas --------------------------------------------------------------------------------------------

/**
 * The path under which a verifier, accountant or officer acts on claims: their own unit, except a
 * doctor, who approves for the block of their facility (the MO in charge of a PHC sits at a facility).
 */
export async function actingArea(db: Db, actor: Actor): Promise<string> {
  if (actor.role !== 'doctor') return actor.orgPath;
  const block = await repo.blockOfPath(db, actor.orgPath);
  return block?.path ?? actor.orgPath;
}

export function requireAny(actor: Actor, perms: Permission[]) {
  if (perms.some((p) => actor.permissions.has(p))) return;
  throw forbidden(`Your role (${actor.role}) does not have ${perms.join(' or ')}`, `आपकी भूमिका (${actor.role}) को ${perms.join(' या ')} की अनुमति नहीं है`);
}

/** A block given by id or LGD code, inside the caller's area. */
export async function blockIn(db: Db, actor: Actor, ref: string, area?: string) {
  const unit = await resolveOrgUnit(db, ref, ['block'], 'block');
  if (unit.level !== 'block') throw badRequest(`${ref} is not a block; give the block's id or LGD code`, `${ref} ब्लॉक नहीं है; ब्लॉक की आईडी या LGD कोड दें`, { field: 'block' });
  const mine = area ?? actor.orgPath;
  if (!unit.path.startsWith(mine)) throw forbidden(`Block ${unit.name} is outside your area`, `ब्लॉक ${unit.name} आपके क्षेत्र से बाहर है`);
  return unit;
}

// ---- the claim window -------------------------------------------------------------------------------

export interface Window { startDay: number; deadlineDay: number; escalationDays: number }
export async function windowOf(db: Db, stateLgd: number | null): Promise<Window> {
  const s = stateLgd == null ? undefined : await repo.settings(db, stateLgd);
  return { startDay: s?.window_start_day ?? 26, deadlineDay: s?.entry_deadline_day ?? 5, escalationDays: s?.escalation_days ?? 7 };
}
const monthAdd = (month: string, n: number) => {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
export { monthAdd };
/** The month a day's work is claimed in: from the start day (26th) it counts to the next month. */
export function claimMonth(day: string, w: Window): string {
  const month = day.slice(0, 7);
  return Number(day.slice(8, 10)) >= w.startDay ? monthAdd(month, 1) : month;
}
/** The last day (IST) a claim of that month may be entered without the `late` flag. */
export const entryDeadline = (month: string, w: Window) => `${monthAdd(month, 1)}-${String(w.deadlineDay).padStart(2, '0')}`;
/** When a claim of that month is expected to be paid if nothing holds it up: the 15th of the month after. */
export const expectedPay = (month: string) => `${monthAdd(month, 1)}-15`;
/** The first and last day of the work of a claim month. */
export function monthWork(month: string, w: Window) {
  const prev = monthAdd(month, -1);
  const start = `${prev}-${String(w.startDay).padStart(2, '0')}`;
  const endDay = w.startDay - 1;
  return { from: start, to: `${month}-${String(endDay).padStart(2, '0')}` };
}

// ---- the register -------------------------------------------------------------------------------------

const normaliseMobile = (m: string) => m.replace(/[\s-]/g, '').replace(/^(\+91|0091|0)/, '');

/** Checks a new ASHA's details; returns what to store, or throws 400 naming the field. `banks`: also check the bank code. */
export async function checkWorker(db: Db, actor: Actor, input: WorkerInput, banks?: readonly string[]) {
  const problems: { field: string; message: string; messageHi?: string }[] = [];
  const mobile = normaliseMobile(input.mobile);
  if (!/^[6-9][0-9]{9}$/.test(mobile)) problems.push({ field: 'mobile', message: 'mobile must be 10 digits starting with 6-9', messageHi: 'मोबाइल 6-9 से शुरू होने वाले 10 अंक हों' });
  const ifsc = input.ifsc.trim().toUpperCase();
  const ip = ifscProblem(ifsc, banks);
  if (ip) problems.push({ field: 'ifsc', message: ip, messageHi: 'IFSC सही नहीं है: 4 अक्षर, शून्य, फिर 6 अक्षर या अंक (जैसे SBIN0001234)' });
  const account = input.bankAccount.replace(/[\s-]/g, '');
  const ap = accountProblem(account);
  if (ap) problems.push({ field: 'bankAccount', message: ap, messageHi: 'बैंक खाता संख्या 9 से 18 अंकों की हो' });
  if (input.activeFrom && Number.isNaN(Date.parse(input.activeFrom))) problems.push({ field: 'activeFrom', message: 'activeFrom is not a date; use YYYY-MM-DD' });
  if (!input.name.trim()) problems.push({ field: 'name', message: 'give the ASHA\'s name', messageHi: 'आशा का नाम दें' });
  if (problems.length) throw fieldErrors(problems);
  let sc;
  try {
    sc = await getFacility(db, withPermissions(actor, ['can_read_facility']), input.subCentreId);
  } catch (e) {
    if ((e as { status?: number }).status === 404) throw badRequest(`No facility has id ${input.subCentreId}; pick the sub-centre from the list`, `आईडी ${input.subCentreId} वाला कोई संस्थान नहीं है`, { field: 'subCentreId' });
    throw e;
  }
  const scUnit = await repo.unitById(db, sc.id);
  const block = scUnit ? await repo.blockOfPath(db, scUnit.path) : undefined;
  if (!scUnit || !block) throw badRequest(`${sc.name} is not placed in a block; place the facility in its block first`, `${sc.name} किसी ब्लॉक में नहीं है; पहले संस्थान को उसके ब्लॉक में रखें`, { field: 'subCentreId' });
  requireScope(actor, block.path.startsWith(actor.orgPath) ? block.path : scUnit.path, `Sub-centre ${sc.name}`);
  const villages = [];
  for (const ref of input.villageIds ?? []) {
    const v = await resolveOrgUnit(db, ref, ['village'], 'villageIds').catch(() => null);
    if (!v || v.level !== 'village') throw badRequest(`${ref} is not a village; give village ids or LGD codes`, `${ref} गाँव नहीं है`, { field: 'villageIds' });
    if (!v.path.startsWith(block.path)) throw badRequest(`Village ${v.name} is not in block ${block.name}, where the sub-centre is`, `गाँव ${v.name} ब्लॉक ${block.name} में नहीं है`, { field: 'villageIds' });
    villages.push(v);
  }
  return { mobile, ifsc, account, subCentre: scUnit, block, villages, activeFrom: input.activeFrom ?? todayIst() };
}

/** Registers an ASHA and makes her user account (role asha; scoped to her village, or the block when she serves several or none). */
export async function registerWorker(db: Db, actor: Actor, input: WorkerInput, banks?: readonly string[]) {
  requirePermission(actor, 'can_manage_asha');
  const w = await checkWorker(db, actor, input, banks);
  return inTransaction(db, async (trx) => {
    if (await repo.activeWorkerByMobile(trx, w.mobile)) {
      throw conflict(`An active ASHA already has mobile ${w.mobile}`, `मोबाइल ${w.mobile} वाली सक्रिय आशा पहले से है`, { field: 'mobile' });
    }
    const username = await freeUsername(trx, `asha${w.mobile}`);
    const scope = w.villages.length === 1 ? w.villages[0].id : w.block.id;
    // The account is made through the platform's users service (the manager need not hold can_create_user);
    // its password is set afterwards with POST /api/users/{username}/password.
    const user = await createUser(trx, withPermissions(actor, ['can_create_user']), {
      username, password: `${uid()}-${uid()}-Aa1!`, role: 'asha', orgUnit: scope, displayName: input.name.trim(),
    });
    const id = uid();
    try {
      await repo.insertWorker(trx, {
        id, user_id: user.id, name: input.name.trim(), name_hi: input.nameHi?.trim() || null, mobile: w.mobile,
        sub_centre_id: w.subCentre.id, sub_centre_path: w.subCentre.path, block_id: w.block.id, block_path: w.block.path, state_lgd: w.block.state_lgd,
        bank_account: w.account, ifsc: w.ifsc, active_from: w.activeFrom, active_to: null, created_by: actor.userId,
      }, w.villages.map((v) => ({ asha_id: id, village_id: v.id, village_path: v.path })));
    } catch (e) {
      if ((e as { code?: string }).code === '23505') throw conflict(`An active ASHA already has mobile ${w.mobile}`, `मोबाइल ${w.mobile} वाली सक्रिय आशा पहले से है`, { field: 'mobile' });
      throw e;
    }
    await recordAudit(trx, actor, { action: 'create', entity: 'asha_worker', entityId: id, orgPath: w.subCentre.path, after: { name: input.name, username, subCentre: w.subCentre.id, villages: w.villages.map((v) => v.id), ifsc: w.ifsc, bankAccount: maskAccount(w.account) } });
    return { id, username };
  });
}

async function freeUsername(db: Db, base: string) {
  for (let i = 0; i < 20; i++) {
    const name = i === 0 ? base : `${base}.${i + 1}`;
    if (!(await repo.usernameTaken(db, name))) return name;
  }
  return `${base}.${uid().toLowerCase()}`;
}

/** The register in the caller's area (or a block of it), by name; account numbers masked except for the block accountant. */
export async function listWorkers(db: Db, actor: Actor, q: { block?: string; q?: string; cursor?: string; limit?: number }) {
  requireAny(actor, ['can_manage_asha', 'can_pay_asha', 'can_recommend_asha_claims', 'can_approve_asha_claims']);
  const area = await actingArea(db, actor);
  const path = q.block ? (await blockIn(db, actor, q.block, area)).path : area;
  const limit = q.limit ?? 50;
  const rows = await repo.listWorkers(db, { path, q: q.q?.trim() || undefined, after: q.cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const villages = await repo.villagesOf(db, page.map((r) => r.id));
  const seesAccount = actor.permissions.has('can_pay_asha') && actor.role !== 'admin';
  await recordAudit(db, actor, { action: 'read', entity: 'asha_worker', orgPath: path, purpose: seesAccount ? 'register with bank accounts' : 'register', after: { results: page.length } });
  const today = todayIst();
  return {
    items: page.map((r) => ({
      id: r.id, name: r.name, nameHi: r.name_hi, mobile: r.mobile, username: r.username, subCentre: { id: r.sub_centre_id, name: r.sub_centre_name },
      villages: villages.filter((v) => v.asha_id === r.id).map((v) => ({ id: v.village_id, name: v.name })),
      bankAccountMasked: maskAccount(r.bank_account), ...(seesAccount ? { bankAccount: r.bank_account } : {}), ifsc: r.ifsc,
      activeFrom: r.active_from, activeTo: r.active_to, active: !r.active_to || r.active_to >= today, blockId: r.block_id,
    })),
    nextCursor: rows.length > limit ? `${page[page.length - 1].name}\u0001${page[page.length - 1].id}` : null,
  };
}

/** The ASHA record of a signed-in ASHA; 403 when her account has none. */
export async function workerOfActor(db: Db, actor: Actor) {
  requirePermission(actor, 'can_claim_asha_incentives');
  const w = await repo.workerByUser(db, actor.userId);
  if (!w) throw forbidden('Your account is not in the ASHA register; ask the block office to register you', 'आपका खाता आशा रजिस्टर में नहीं है; ब्लॉक कार्यालय से पंजीकरण कराएँ');
  return w;
}

export function requireFound<T>(row: T | undefined, what: string, hi: string): T {
  if (!row) throw notFound(what, hi);
  return row;
}
