// Settings of grievance redressal: the level each type goes to and its deadlines (working days), and
// the state's working calendar (weekend days, gazetted holidays). Read by officers; changed by a
// state officer or admin (can_manage_grievance_settings). New deadlines apply to tickets filed after.
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest } from '../../platform/errors.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import * as repo from './grievances.repository.js';
import { pathIds } from './grievances.rules.js';
import { GRIEVANCE_TYPES, type CalendarInput, type GrievanceLevel, type GrievanceType } from './grievances.schema.js';
import { inTransaction, type Db } from './grievances.service.js';

const NOTE = 'Deadlines are working days of the state\'s calendar (weekend days and gazetted holidays skipped), counted from the day after filing and ending at midnight IST.';

export async function getSettings(db: Db, actor: Actor, q: { state?: string } = {}) {
  requirePermission(actor, 'can_read_grievances');
  const stateLgd = await stateOf(db, actor, q.state);
  const rules = await repo.routing(db, stateLgd);
  return { stateLgd, routing: GRIEVANCE_TYPES.map((type) => ({ type, ...rules[type] })), workingDaysNote: NOTE };
}

export async function setRouting(db: Db, actor: Actor, type: GrievanceType, input: { state?: string; level: GrievanceLevel; firstResponseDays: number; resolutionDays: number }) {
  requirePermission(actor, 'can_manage_grievance_settings');
  const stateLgd = await stateOf(db, actor, input.state);
  const rule = { level: input.level, firstResponseDays: input.firstResponseDays, resolutionDays: input.resolutionDays };
  if (rule.firstResponseDays > rule.resolutionDays) {
    throw badRequest('The first response cannot be due after the resolution', 'पहला उत्तर निपटारे के बाद नहीं हो सकता', { field: 'firstResponseDays' });
  }
  await inTransaction(db, async (trx) => {
    const before = (await repo.routing(trx, stateLgd))[type];
    await repo.saveRouting(trx, stateLgd, type, rule, actor.userId);
    await recordAudit(trx, actor, { action: 'update', entity: 'grievance_routing', entityId: `${stateLgd}:${type}`, orgPath: actor.orgPath, before, after: rule });
  });
  return getSettings(db, actor, { state: input.state });
}

/** The state a settings or calendar request is about: the one named (in the caller's area), or the caller's own. */
async function stateOf(db: Db, actor: Actor, ref: string | undefined): Promise<number> {
  if (ref) {
    const s = await resolveOrgUnit(db, ref, ['state'], 'state');
    if (s.level !== 'state' || s.lgd_code == null) throw badRequest(`${ref} is not a state; give its LGD code`, `${ref} राज्य नहीं है; उसका LGD कोड दें`, { field: 'state' });
    if (!actor.orgPath.startsWith(s.path)) requireScope(actor, s.path, `State ${s.name}`);
    return s.lgd_code;
  }
  const stateId = pathIds(actor.orgPath)[1];
  const unit = stateId ? await repo.unitById(db, stateId) : undefined;
  if (!unit || unit.level !== 'state' || unit.lgd_code == null) throw badRequest('Say which state (its LGD code)', 'राज्य बताएँ (LGD कोड)', { field: 'state' });
  return unit.lgd_code;
}

export async function getCalendar(db: Db, actor: Actor, q: { state?: string; year?: number }) {
  requirePermission(actor, 'can_read_grievances');
  const stateLgd = await stateOf(db, actor, q.state);
  return { stateLgd, ...(await repo.calendarYear(db, stateLgd, q.year)) };
}

export async function setCalendar(db: Db, actor: Actor, input: CalendarInput) {
  requirePermission(actor, 'can_manage_grievance_settings');
  const stateLgd = await stateOf(db, actor, input.state);
  const weekendDays = input.weekendDays ? [...new Set(input.weekendDays)].sort() : undefined;
  for (const d of [...(input.add ?? []).map((h) => h.date), ...(input.remove ?? [])]) {
    if (Number.isNaN(Date.parse(`${d}T00:00:00Z`)) || new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) !== d) {
      throw badRequest(`${d} is not a date; use YYYY-MM-DD`, `${d} तिथि नहीं है; YYYY-MM-DD लिखें`, { field: 'add' });
    }
  }
  await inTransaction(db, async (trx) => {
    await repo.saveCalendar(trx, stateLgd, actor.userId, { weekendDays, add: input.add, remove: input.remove });
    await recordAudit(trx, actor, { action: 'update', entity: 'grievance_calendar', entityId: String(stateLgd), orgPath: actor.orgPath, after: { weekendDays, add: input.add, remove: input.remove } });
  });
  return { stateLgd, ...(await repo.calendarYear(db, stateLgd)) };
}
