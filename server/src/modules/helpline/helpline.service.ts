// The 104 helpline's calls: an agent logs each call (who called, in what language, about what; for
// medical advice the protocol's red flags and the disposition worked out from them; the advice; the
// outcome), an ambulance call is passed to dispatch, a transferred call waits in a queue. The queue
// and the outbound lists are in helpline.transfers.ts and helpline.outbound.ts.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, fieldErrors, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { createCall as createDispatchCall, maskPhone } from '../dispatch/dispatch.service.js';
import { callersByMobile } from '../patients/patients.callers.js';
import { normaliseMobile } from '../patients/patients.identity.js';
import { requireRecordArea, statePrefix } from '../patients/patients.service.js';
import { placeHelplineCall, type Placed } from './helpline.place.js';
import { assess, type Assessed } from './helpline.protocols.js';
import * as repo from './helpline.repository.js';
import type { CallInput, CallListQuery, PlaceInput } from './helpline.schema.js';

type Db = Kysely<Database>;

const iso = (d: Date | string | null | undefined) => (d == null ? null : (d instanceof Date ? d : new Date(d)).toISOString());

/** The state a helpline user works in (`/IN/<state>/`): calls, queues and lists never cross it. */
export function stateOf(actor: Actor): string {
  return statePrefix(requireRecordArea(actor));
}

/** The number called from: a mobile (ten digits, looked up among patients) or a landline with its STD code. */
export function callerNumber(raw: string): { number: string; mobile: string | null } {
  const m = normaliseMobile(raw);
  if (m.ok) return { number: m.mobile, mobile: m.mobile };
  const landline = raw.replace(/[\s()-]/g, '');
  if (/^0\d{9,11}$/.test(landline)) return { number: landline, mobile: null };
  throw fieldErrors([{ field: 'callerMobile', message: `${m.message}; a landline is written with its STD code, like 0177-2620000`, messageHi: `${m.messageHi}; लैंडलाइन STD कोड सहित लिखें, जैसे 0177-2620000` }]);
}

/** What a call's checks refuse together: every field that does not fit its category or outcome. */
function checkShape(input: CallInput) {
  const problems: { field: string; message: string; messageHi: string }[] = [];
  const only = (field: keyof CallInput, en: string, hi: string) => { if (input[field] !== undefined) problems.push({ field, message: en, messageHi: hi }); };
  if (input.category !== 'medical_advice') {
    only('protocol', 'only a medical advice call follows a symptom protocol; choose category medical_advice or leave it out', 'लक्षण प्रोटोकॉल केवल चिकित्सा सलाह की कॉल में होता है');
    only('answers', 'red-flag answers belong to a medical advice call', 'ख़तरे के संकेतों के उत्तर केवल चिकित्सा सलाह की कॉल में होते हैं');
  }
  if (input.category !== 'ambulance') {
    for (const f of ['latitude', 'longitude', 'villageId', 'complaint', 'service'] as const) {
      only(f, 'the place, complaint and service are for an ambulance call; choose category ambulance or leave it out', 'स्थान, शिकायत और सेवा केवल एम्बुलेंस कॉल के लिए हैं');
    }
  } else if (!input.complaint?.trim()) {
    problems.push({ field: 'complaint', message: 'say what happened (the chief complaint) for the ambulance', messageHi: 'एम्बुलेंस के लिए बताएँ कि क्या हुआ (मुख्य शिकायत)' });
  }
  if (input.outcome === 'transferred' && !input.transferTo) {
    problems.push({ field: 'transferTo', message: 'a transferred call waits in a queue: say which (doctor or counsellor)', messageHi: 'स्थानांतरित कॉल एक कतार में रहती है: बताएँ कौन सी (doctor या counsellor)' });
  }
  if (input.outcome !== 'transferred') {
    only('transferTo', 'a queue is named only when the outcome is transferred', 'कतार केवल तब बताएँ जब परिणाम transferred हो');
    only('transferReason', 'a transfer reason goes with outcome transferred', 'स्थानांतरण का कारण केवल transferred परिणाम के साथ');
  }
  if (problems.length) throw fieldErrors(problems);
}

/** Logs a call (201). Every check runs before anything is written; an ambulance call is then passed to dispatch. */
export async function logCall(db: Db, actor: Actor, input: CallInput) {
  requirePermission(actor, 'can_log_helpline_calls');
  const statePath = stateOf(actor);
  const phone = callerNumber(input.callerMobile);
  checkShape(input);
  const assessed: Assessed | null = input.category === 'medical_advice' ? assess(input.protocol, input.answers) : null;
  const placed: Placed | null = input.category === 'ambulance' ? await placeHelplineCall(db, input) : null;
  const id = uid();
  // Who is calling: the patients registered with this mobile in the state (an audited read).
  const callers = phone.mobile ? await callersByMobile(db, actor, phone.mobile, id) : [];
  let patientId: string | null = null;
  if (input.patientId) {
    const wanted = input.patientId;
    const chosen = callers.find((c) => c.id === wanted || c.stateNumber === wanted.toUpperCase());
    if (!chosen) {
      throw badRequest(`Patient ${input.patientId} is not registered with mobile ${phone.number}; pick the caller from those found for the number, or leave patientId out for a new caller`,
        `मरीज़ ${input.patientId} मोबाइल ${phone.number} से पंजीकृत नहीं है; नंबर से मिले लोगों में से चुनें, या नए कॉलर के लिए patientId छोड़ दें`, { field: 'patientId' });
    }
    patientId = chosen.id;
  } else if (callers.length === 1) {
    patientId = callers[0].id;
  }
  const transferId = input.outcome === 'transferred' ? uid() : null;
  // An ambulance call goes to dispatch first: should the server stop between the two, an ambulance is
  // on its way and the helpline's record is missing, never the other way round.
  const ambulance = placed ? await passToDispatch(db, actor, id, phone.number, input, placed) : null;
  await db.transaction().execute(async (trx) => {
    await repo.insertCall(trx, {
      id, state_path: statePath, agent_id: actor.userId, caller_mobile: phone.number, caller_name: input.callerName?.trim() || null,
      patient_id: patientId, caller_known: callers.length > 0, language: input.language, category: input.category,
      protocol: assessed?.protocol.id ?? null, answers: assessed ? JSON.stringify(assessed.answers) : null, red_flags: assessed?.redFlags ?? [],
      disposition: assessed?.disposition ?? null, advice: input.advice?.trim() || null, notes: input.notes?.trim() || null, outcome: input.outcome,
      latitude: placed?.ok ? placed.latitude : null, longitude: placed?.ok ? placed.longitude : null, village_id: input.villageId ?? null,
      complaint: input.complaint?.trim() || null, ambulance_status: (ambulance?.status as 'dispatched' | 'awaiting_place' | undefined) ?? null,
      ambulance_problem: ambulance?.problem ?? null, dispatch_call_id: ambulance?.dispatchCallId ?? null, duration_seconds: input.durationSeconds ?? null,
    });
    if (transferId) {
      await repo.insertTransfer(trx, { id: transferId, call_id: id, state_path: statePath, queue: input.transferTo!, reason: input.transferReason?.trim() || null, claimed_by: null });
    }
    await recordAudit(trx, actor, {
      action: 'create', entity: 'helpline_call', entityId: id, orgPath: statePath,
      after: { category: input.category, disposition: assessed?.disposition ?? null, outcome: input.outcome, patientId, transferTo: input.transferTo ?? null, dispatchCallId: ambulance?.dispatchCallId ?? null },
    });
  });
  return {
    id, callerKnown: callers.length > 0, patientId, category: input.category, disposition: assessed?.disposition ?? null, redFlags: assessed?.redFlags ?? [],
    outcome: input.outcome, transfer: transferId ? { id: transferId, queue: input.transferTo!, status: 'waiting' } : null, ambulance,
  };
}

/**
 * Hands an ambulance call to dispatch (its service takes the call into the district's control room).
 * A place outside the agent's area is refused (403, as dispatch refuses it: that state's 108 takes
 * it); a place dispatch cannot use otherwise (none given, a village without an outline, no district
 * found for the point) leaves the call waiting for a place, with the reason.
 */
async function passToDispatch(db: Db, actor: Actor, callId: string, phone: string, input: Pick<CallInput, 'callerName' | 'complaint' | 'service'>, placed: Placed) {
  const waiting = (problem: string) => ({ status: 'awaiting_place' as const, dispatchCallId: null, problem });
  if (!placed.ok) return waiting(placed.problem);
  try {
    const d = await createDispatchCall(db, actor, {
      callerPhone: phone, ...(input.callerName?.trim() ? { callerName: input.callerName.trim() } : {}), latitude: placed.latitude, longitude: placed.longitude,
      ...(placed.villageId ? { villageId: placed.villageId } : {}), complaint: input.complaint!.trim(), service: input.service ?? '108',
    }, { helplineCallId: callId });
    return { status: 'dispatched' as const, dispatchCallId: d.id as string | null, problem: null as string | null };
  } catch (e) {
    if (e instanceof AppError && e.status < 500 && e.status !== 403) return waiting(e.msg.en);
    throw e;
  }
}

/** Adds the place to an ambulance call still waiting for one, and passes it to dispatch. */
export async function addPlace(db: Db, actor: Actor, id: string, input: PlaceInput) {
  requirePermission(actor, 'can_log_helpline_calls');
  const call = await callInState(db, actor, id);
  if (call.category !== 'ambulance') throw conflict('Only an ambulance call has a place to send a vehicle to', 'केवल एम्बुलेंस कॉल में वाहन भेजने का स्थान होता है', { field: 'category' });
  if (call.ambulance_status === 'dispatched') {
    throw conflict(`This call was already passed to the ambulance control room (call ${call.dispatch_call_id})`, `यह कॉल पहले ही एम्बुलेंस नियंत्रण कक्ष को दी जा चुकी है (कॉल ${call.dispatch_call_id})`, { dispatchCallId: call.dispatch_call_id });
  }
  const placed = await placeHelplineCall(db, input);
  if (!placed.ok) throw badRequest(placed.problem, placed.problemHi, { field: input.villageId ? 'villageId' : 'latitude' });
  // Taken by this request only while still waiting: two agents adding a place at once send one ambulance call.
  if (!(await repo.takeForDispatch(db, id))) {
    throw conflict('Someone is passing this call to the ambulance control room right now; refresh in a moment', 'कोई अभी यह कॉल एम्बुलेंस नियंत्रण कक्ष को दे रहा है; थोड़ी देर में ताज़ा करें');
  }
  await repo.setAmbulance(db, id, { status: 'pending', place: { latitude: placed.latitude, longitude: placed.longitude, villageId: placed.villageId } });
  let ambulance: Awaited<ReturnType<typeof passToDispatch>>;
  try {
    ambulance = await passToDispatch(db, actor, id, call.caller_mobile, { callerName: call.caller_name ?? undefined, complaint: call.complaint ?? 'ambulance call from the helpline', service: undefined }, placed);
  } catch (e) {
    await repo.setAmbulance(db, id, { status: 'awaiting_place', problem: call.ambulance_problem });
    throw e;
  }
  await repo.setAmbulance(db, id, { status: ambulance.status, dispatchCallId: ambulance.dispatchCallId, problem: ambulance.problem });
  await recordAudit(db, actor, { action: 'update', entity: 'helpline_call', entityId: id, orgPath: call.state_path, before: { ambulance: call.ambulance_status }, after: { ambulance: ambulance.status } });
  return { id, ambulance };
}

/** A call of the caller's state, else 404 (another state's call is as if there were none). */
export async function callInState(db: Db, actor: Actor, id: string) {
  const call = await repo.loadCall(db, id);
  if (!call || call.state_path !== stateOf(actor)) throw notFound(`No helpline call has id ${id}`, `आईडी ${id} वाली कोई हेल्पलाइन कॉल नहीं है`);
  return call;
}

function summary(c: repo.CallRow) {
  return {
    id: c.id, createdAt: iso(c.created_at)!, agent: c.agent_name ?? c.agent_username, callerMobileMasked: maskPhone(c.caller_mobile), callerName: c.caller_name,
    callerKnown: c.caller_known, language: c.language, category: c.category, protocol: c.protocol, disposition: c.disposition, redFlags: c.red_flags ?? [],
    outcome: c.outcome,
    ambulance: c.ambulance_status ? { status: c.ambulance_status, dispatchCallId: c.dispatch_call_id, problem: c.ambulance_problem } : null,
    transfer: c.transfer_id ? { id: c.transfer_id, queue: c.transfer_queue!, status: c.transfer_status! } : null,
  };
}

export function callDetail(c: repo.CallRow) {
  const answers = typeof c.answers === 'string' ? JSON.parse(c.answers) : c.answers;
  return {
    ...summary(c), callerMobile: c.caller_mobile, patientId: c.patient_id, answers: (answers ?? null) as Record<string, boolean> | null, advice: c.advice, notes: c.notes,
    complaint: c.complaint, latitude: c.latitude, longitude: c.longitude, villageId: c.village_id, durationSeconds: c.duration_seconds,
  };
}

/** Calls of the agent's state (or their own), newest first; callers' numbers masked. */
export async function listCalls(db: Db, actor: Actor, q: CallListQuery) {
  requirePermission(actor, 'can_log_helpline_calls');
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  const { rows, total } = await repo.listCalls(db, stateOf(actor), { agentId: q.mine ? actor.userId : undefined, waiting: q.waiting, limit, offset });
  return { items: rows.map(summary), total, limit, offset };
}

/** One call with the caller's number and the answers: an audited read. */
export async function getCall(db: Db, actor: Actor, id: string) {
  requirePermission(actor, 'can_log_helpline_calls');
  const call = await callInState(db, actor, id);
  await recordAudit(db, actor, { action: 'read', entity: 'helpline_call', entityId: id, orgPath: call.state_path, purpose: 'helpline call record' });
  return callDetail(call);
}
