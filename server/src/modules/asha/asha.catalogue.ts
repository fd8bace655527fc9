// The incentive catalogue: activities with their rate in force on a day, and new rate versions. A
// rate applies to work done on or after its effective day; work done before keeps the amount it had.
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, forbidden } from '../../platform/errors.js';
import { requirePermission } from '../../platform/actor.js';
import { todayIst } from '../../platform/periods.js';
import * as repo from './asha.repository.js';
import { inTransaction } from '../../db/transaction.js';
import { pathIds, requireAny, requireFound, type Db } from './asha.service.js';

type Row = Awaited<ReturnType<typeof repo.activitiesOn>>[number];
export const activityDto = (r: Row) => ({
  code: r.code, nameEn: r.name_en, nameHi: r.name_hi, amount: Number(r.amount), variant: r.variant, fundSource: r.fund_source, evidence: r.evidence ?? [],
  beneficiaryKind: r.beneficiary_kind, perBeneficiaryLimit: r.per_beneficiary_limit, perMonthLimit: r.per_month_limit, effectiveFrom: r.effective_from,
  linkedRecord: r.linked_record, componentOf: r.component_of, rateOf: Number(r.rate_state_lgd) ? 'state' as const : 'national' as const,
});

const ANY_ASHA: Parameters<typeof requireAny>[1] = ['can_claim_asha_incentives', 'can_recommend_asha_claims', 'can_approve_asha_claims', 'can_pay_asha', 'can_manage_asha'];

export function checkDay(day: string, field: string) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw badRequest(`${field} ${day} is not a date; use YYYY-MM-DD`, `${field} ${day} तिथि नहीं है; YYYY-MM-DD लिखें`, { field });
  return day;
}

/** The LGD code of the caller's state, or null for a national account. */
async function stateOfActor(db: Db, actor: Actor) {
  return (await repo.unitById(db, actor.orgUnitId))?.state_lgd ?? null;
}

/** The catalogue with the rates in force on a day in the caller's state (a national account: the national rates). */
export async function listActivities(db: Db, actor: Actor, on?: string) {
  requireAny(actor, ANY_ASHA);
  const day = on ? checkDay(on, 'on') : todayIst();
  return { on: day, items: (await repo.activitiesOn(db, day, undefined, await stateOfActor(db, actor))).map(activityDto) };
}

/** The rate of an activity for work done on `day` in a state, or a 400 saying there is none. */
export async function rateOn(db: Db, code: string, day: string, stateLgd: number | null) {
  const [row] = await repo.activitiesOn(db, day, code, stateLgd);
  if (!row) {
    const known = await repo.activity(db, code);
    if (!known) throw badRequest(`No activity has code ${code}; pick one from the catalogue`, `कोड ${code} की कोई गतिविधि नहीं है; सूची से चुनें`, { field: 'activityCode' });
    throw badRequest(`Activity ${code} had no rate on ${day}`, `गतिविधि ${code} की ${day} को कोई दर नहीं थी`, { field: 'doneOn' });
  }
  return activityDto(row);
}

/**
 * Adds a rate version: a state officer (or a state's admin) for their own state; an account of the
 * whole country for the national rate (every state whose own version is not later).
 */
export async function addRate(db: Db, actor: Actor, code: string, input: { amount: number; effectiveFrom: string }) {
  requirePermission(actor, 'can_manage_asha');
  if (pathIds(actor.orgPath).length > 2) throw forbidden('The catalogue is the state\'s: a state officer changes rates', 'दरें राज्य तय करता है: राज्य अधिकारी बदलते हैं');
  checkDay(input.effectiveFrom, 'effectiveFrom');
  const state = pathIds(actor.orgPath).length === 2 ? await stateOfActor(db, actor) : null;
  if (pathIds(actor.orgPath).length === 2 && !state) throw badRequest('Your state has no LGD code; set it in the geography first', 'आपके राज्य का LGD कोड नहीं है; पहले भूगोल में दर्ज करें');
  const act = requireFound(await repo.activity(db, code), `No activity has code ${code}`, `कोड ${code} की कोई गतिविधि नहीं है`);
  return inTransaction(db, async (trx) => {
    const [before] = await repo.activitiesOn(trx, input.effectiveFrom, code, state);
    const added = await repo.insertRate(trx, code, state ?? 0, input.effectiveFrom, input.amount, actor.username);
    if (!added) throw conflict(`${code} already has a rate from ${input.effectiveFrom}`, `${code} की ${input.effectiveFrom} से दर पहले से है`, { field: 'effectiveFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_rate', entityId: code, orgPath: actor.orgPath, before: before ? { amount: before.amount, effectiveFrom: before.effective_from, state: before.rate_state_lgd } : null, after: { ...input, state: state ?? 0 } });
    const [now] = await repo.activitiesOn(trx, input.effectiveFrom, code, state);
    return activityDto(now ?? { ...act, amount: input.amount, effective_from: input.effectiveFrom, rate_state_lgd: state ?? 0 } as Row);
  });
}
