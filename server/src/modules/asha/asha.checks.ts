// Checks of a claim against the records Swasthya holds, through the patients module's service (never
// its tables): the beneficiary exists and lives in the ASHA's area, a mother has a pregnancy on record
// (and the number named is hers), a TB patient was seen in an OPD, and against earlier claims: the same
// delivery claimed twice, by her or by another ASHA, limits per beneficiary and per month, a late
// entry. A check that finds something adds a flag; the claim is kept, and a flagged claim is paid only
// after an approver says, in a note, why it is right.
import type { Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { listPregnancies } from '../patients/patients.maternal.js';
import { loadPatient } from '../patients/patients.service.js';
import { listVisits } from '../patients/patients.visits.js';
import type { activityDto } from './asha.catalogue.js';
import * as repo from './asha.repository.js';
import { claimMonth, entryDeadline, statePath, withPermissions, type Db, type Window } from './asha.service.js';

export interface Flag { code: string; message: string; messageHi: string }
type Activity = ReturnType<typeof activityDto>;
type Worker = NonNullable<Awaited<ReturnType<typeof repo.workerById>>>;

export interface CheckInput { activity: Activity; beneficiaryPatientId?: string | null; pregnancyNumber?: string | null; doneOn: string; hasPhoto: boolean; exceptId?: string }

/**
 * Runs every check for a claim by `worker` (signed in as `actor`). The reads of a woman's pregnancies and
 * a patient's visits go through the patients service as this ASHA, with the right to read records
 * anywhere in her state for this one purpose, and are audited there under her name.
 */
export async function checkClaim(db: Db, actor: Actor, worker: Worker, w: Window, c: CheckInput, now = new Date()) {
  const flags: Flag[] = [];
  const flag = (code: string, message: string, messageHi: string) => flags.push({ code, message, messageHi });
  const a = c.activity;
  const month = claimMonth(c.doneOn, w);
  if (c.doneOn > todayIst(now)) throw badRequest(`doneOn ${c.doneOn} is in the future; claim work already done`, `तिथि ${c.doneOn} भविष्य की है; किया हुआ काम ही दर्ज करें`, { field: 'doneOn' });
  if (c.doneOn < worker.active_from) flag('before_active', `The work (${c.doneOn}) is before she became an ASHA (${worker.active_from})`, `काम (${c.doneOn}) आशा बनने (${worker.active_from}) से पहले का है`);
  if (todayIst(now) > entryDeadline(month, w)) {
    flag('late', `Entered after the window for ${month} closed (${entryDeadline(month, w)})`, `${month} की अंतिम तिथि (${entryDeadline(month, w)}) के बाद दर्ज`);
  }
  if (a.evidence.includes('photo') && !c.hasPhoto) flag('no_photo', 'The catalogue asks for a photo and none was sent', 'इस गतिविधि के लिए फ़ोटो चाहिए, फ़ोटो नहीं भेजी गई');
  if (a.componentOf) throw badRequest(`${a.code} is a part of ${a.componentOf}; claim ${a.componentOf} once a month`, `${a.code}, ${a.componentOf} का हिस्सा है; ${a.componentOf} महीने में एक बार दर्ज करें`, { field: 'activityCode' });
  if (a.perMonthLimit != null && (await repo.countInMonth(db, worker.id, a.code, month, c.exceptId)) >= a.perMonthLimit) {
    flag('month_limit', `${a.nameEn}: at most ${a.perMonthLimit} a month; this one is over the limit`, `${a.nameHi}: महीने में अधिकतम ${a.perMonthLimit}; यह सीमा से अधिक है`);
  }
  let pregnancy: string | null = c.pregnancyNumber?.replace(/[\s-]/g, '') || null;
  if (a.beneficiaryKind === 'none') return { flags, month, pregnancyNumber: null, beneficiaryId: null };
  if (!c.beneficiaryPatientId) throw badRequest(`${a.nameEn} is claimed for a beneficiary: give beneficiaryPatientId`, `${a.nameHi} किसी लाभार्थी के लिए होता है: लाभार्थी चुनें`, { field: 'beneficiaryPatientId' });
  // A beneficiary id that names no one answers exactly as one of a person outside her area: the claim
  // is kept and flagged `outside_area`, with the same words, so the answer never tells an ASHA which ids
  // exist. (A claim synced from a phone days later is not lost over a mistyped id either: the verifier
  // sees the id as she gave it, finds no one, and rejects it with the reason; she corrects and resubmits.)
  const patient = await loadPatient(db, c.beneficiaryPatientId).catch(() => null);
  const villages = await repo.villagesOf(db, [worker.id]);
  const areas = villages.length ? villages.map((v) => v.village_path) : [worker.block_path];
  // A claim is a write, and a write never grants a read: the answer (which the ASHA sees) names no
  // one and says nothing of the records of a beneficiary outside her area; such a claim is flagged
  // for the verifier, who reads the records with their own rights.
  const inArea = !!patient && areas.some((p) => patient.home_path.startsWith(p));
  const beneficiaryId = patient?.id ?? c.beneficiaryPatientId.trim();
  if (!inArea) {
    flag('outside_area', `The beneficiary is not on record in the ASHA's ${villages.length ? 'villages' : 'block'}: the verifier checks the records`, `लाभार्थी आशा के ${villages.length ? 'गाँवों' : 'ब्लॉक'} में दर्ज नहीं है: सत्यापनकर्ता रिकॉर्ड जाँचेंगे`);
  }
  const reader = withPermissions(actor, ['can_read_patient'], statePath(worker.block_path));
  if (patient && inArea && a.linkedRecord === 'delivery') {
    if (patient.sex !== 'female') flag('not_a_woman', `The beneficiary is registered as ${patient.sex}`, `लाभार्थी का लिंग ${patient.sex} दर्ज है`);
    const list = await listPregnancies(db, reader, patient.id).catch(() => ({ items: [] as { registrationNumber: string; status: string; closedReason: string | null }[] }));
    if (!list.items.length) {
      flag('no_pregnancy', 'No pregnancy of the beneficiary is on record', 'लाभार्थी की कोई गर्भावस्था दर्ज नहीं है');
    } else if (pregnancy && !list.items.some((p) => p.registrationNumber === pregnancy)) {
      flag('pregnancy_not_hers', `Pregnancy ${pregnancy} is not the beneficiary's`, `गर्भावस्था ${pregnancy} लाभार्थी की नहीं है`);
    } else if (!pregnancy) {
      pregnancy = list.items[0].registrationNumber;
    }
  }
  if (patient && inArea && a.linkedRecord === 'opd_visit') {
    const visits = await listVisits(db, reader, patient.id).catch(() => ({ items: [] as { at: string }[] }));
    if (!visits.items.some((v) => v.at.slice(0, 10) <= c.doneOn)) {
      flag('no_visit', `No OPD visit of the beneficiary is on record by ${c.doneOn}`, `${c.doneOn} तक लाभार्थी की कोई ओपीडी विज़िट दर्ज नहीं है`);
    }
  }
  // Earlier claims for the same beneficiary: for one in her area, hers and other ASHAs'; for one outside
  // it (or an id that names no one), only her own, so that another ASHA's claim cannot tell her that a
  // person exists (the verifier of an `outside_area` claim looks for the rest).
  const all = await repo.claimsForBeneficiary(db, a.code, beneficiaryId, a.linkedRecord === 'delivery' ? pregnancy : null, c.exceptId);
  const earlier = inArea ? all : all.filter((e) => e.asha_id === worker.id);
  const limit = a.perBeneficiaryLimit ?? Infinity;
  if (earlier.length >= limit) {
    const others = earlier.filter((e) => e.asha_id !== worker.id);
    if (others.length) flag('claimed_by_other', `${a.nameEn} for this beneficiary is already claimed by another ASHA`, `इस लाभार्थी के लिए ${a.nameHi} किसी दूसरी आशा ने पहले ही दर्ज किया है`);
    if (earlier.length > others.length) {
      flag(limit === 1 ? 'duplicate' : 'beneficiary_limit', limit === 1 ? `${a.nameEn} for this beneficiary is already claimed` : `${a.nameEn}: at most ${limit} for one beneficiary`,
        limit === 1 ? `इस लाभार्थी के लिए ${a.nameHi} पहले ही दर्ज है` : `${a.nameHi}: एक लाभार्थी के लिए अधिकतम ${limit}`);
    }
  }
  return { flags, month, pregnancyNumber: pregnancy, beneficiaryId };
}
