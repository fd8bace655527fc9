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
  linkedRecord: r.linked_record, componentOf: r.component_of,
});

const ANY_ASHA: Parameters<typeof requireAny>[1] = ['can_claim_asha_incentives', 'can_recommend_asha_claims', 'can_approve_asha_claims', 'can_pay_asha', 'can_manage_asha'];

export function checkDay(day: string, field: string) {
  const d = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== day) throw badRequest(`${field} ${day} is not a date; use YYYY-MM-DD`, `${field} ${day} तिथि नहीं है; YYYY-MM-DD लिखें`, { field });
  return day;
}

export async function listActivities(db: Db, actor: Actor, on?: string) {
  requireAny(actor, ANY_ASHA);
  const day = on ? checkDay(on, 'on') : todayIst();
  return { on: day, items: (await repo.activitiesOn(db, day)).map(activityDto) };
}

/** The rate of an activity for work done on `day`, or a 400 saying there is none. */
export async function rateOn(db: Db, code: string, day: string) {
  const [row] = await repo.activitiesOn(db, day, code);
  if (!row) {
    const known = await repo.activity(db, code);
    if (!known) throw badRequest(`No activity has code ${code}; pick one from the catalogue`, `कोड ${code} की कोई गतिविधि नहीं है; सूची से चुनें`, { field: 'activityCode' });
    throw badRequest(`Activity ${code} had no rate on ${day}`, `गतिविधि ${code} की ${day} को कोई दर नहीं थी`, { field: 'doneOn' });
  }
  return activityDto(row);
}

/** Adds a rate version (a state-level manager: the state officer or the admin of a state). */
export async function addRate(db: Db, actor: Actor, code: string, input: { amount: number; effectiveFrom: string }) {
  requirePermission(actor, 'can_manage_asha');
  if (pathIds(actor.orgPath).length > 2) throw forbidden('The catalogue is the state\'s: a state officer changes rates', 'दरें राज्य तय करता है: राज्य अधिकारी बदलते हैं');
  checkDay(input.effectiveFrom, 'effectiveFrom');
  const act = requireFound(await repo.activity(db, code), `No activity has code ${code}`, `कोड ${code} की कोई गतिविधि नहीं है`);
  return inTransaction(db, async (trx) => {
    const [before] = await repo.activitiesOn(trx, input.effectiveFrom, code);
    const added = await repo.insertRate(trx, code, input.effectiveFrom, input.amount, actor.username);
    if (!added) throw conflict(`${code} already has a rate from ${input.effectiveFrom}`, `${code} की ${input.effectiveFrom} से दर पहले से है`, { field: 'effectiveFrom' });
    await recordAudit(trx, actor, { action: 'update', entity: 'asha_rate', entityId: code, orgPath: actor.orgPath, before: before ? { amount: before.amount, effectiveFrom: before.effective_from } : null, after: input });
    const [now] = await repo.activitiesOn(trx, input.effectiveFrom, code);
    return activityDto(now ?? { ...act, amount: input.amount, effective_from: input.effectiveFrom } as Row);
  });
}
