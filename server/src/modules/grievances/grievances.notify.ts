// Every message grievances send goes through these two functions, so that the way they are sent can
// be changed in one place.
//  - notifyCitizen: an SMS to the citizen's mobile through the app's outbox (platform/outbox: kept, retried,
//    recorded), after the change has committed; a failure is logged and never undoes the change it reports.
//  - notifyOfficers: a notice in the inbox of the officers of a level (GET /api/grievances/notifications),
//    written in the same transaction as the change, so it exists exactly when the change does.
import type { Kysely } from 'kysely';
import type { Database, GrievanceLevelCode } from '../../db/types.js';
import { outboxOf, type Outbox } from '../../platform/outbox/index.js';
import type { SmsSender } from '../../platform/sms.js';
import * as repo from './grievances.repository.js';

export interface Notice { en: string; hi: string }

export async function notifyCitizen(sms: SmsSender | Outbox | undefined, mobile: string, notice: Notice, log?: (msg: string) => void, about?: { ticketNumber: string; orgPath?: string | null }): Promise<void> {
  if (!sms) return;
  try {
    let outbox: Outbox | null = null;
    try { outbox = outboxOf(sms); } catch { /* a bare sender (a test double): sent directly */ }
    if (outbox) {
      // The outbox keeps it, retries it while the gateway is down, and records what was sent to whom.
      await outbox.send({
        to: mobile, template: 'text', params: { en: `Swasthya: ${notice.en}`, hi: `स्वास्थ्य: ${notice.hi}` }, language: 'both',
        about: { kind: 'grievance', id: about?.ticketNumber ?? null }, orgPath: about?.orgPath ?? null,
      });
    } else {
      await (sms as SmsSender).send(mobile, `Swasthya: ${notice.en} / स्वास्थ्य: ${notice.hi}`);
    }
  } catch (e) {
    log?.(`grievances: the SMS to the citizen was not queued: ${(e as Error).message}`);
  }
}

export async function notifyOfficers(db: Kysely<Database>, n: { grievanceId: string; orgUnitId: string; orgPath: string; level: GrievanceLevelCode; kind: string; text: string; at?: Date }) {
  await repo.insertNotification(db, n);
}

const date = (d: Date) => d.toLocaleDateString('en-IN', { timeZone: 'Asia/Kolkata', day: 'numeric', month: 'short', year: 'numeric' });

export const notices = {
  filed: (t: string, due: Date): Notice => ({
    en: `your grievance is registered as ${t}. It will be resolved by ${date(due)}. Track it with this number and your mobile.`,
    hi: `आपकी शिकायत ${t} नंबर से दर्ज हुई। ${date(due)} तक निपटारा होगा। इस नंबर और अपने मोबाइल से स्थिति देखें।`,
  }),
  reply: (t: string): Notice => ({ en: `there is a reply on your grievance ${t}.`, hi: `आपकी शिकायत ${t} पर उत्तर आया है।` }),
  waiting: (t: string): Notice => ({ en: `your grievance ${t} needs information from you; please add it.`, hi: `आपकी शिकायत ${t} के लिए आपसे जानकारी चाहिए; कृपया जोड़ें।` }),
  interim: (t: string, due: Date): Notice => ({ en: `interim reply on grievance ${t}: more time is needed, until ${date(due)}.`, hi: `शिकायत ${t} पर अंतरिम उत्तर: ${date(due)} तक और समय चाहिए।` }),
  resolved: (t: string): Notice => ({ en: `your grievance ${t} is resolved. Please rate the resolution; you may reopen it within 15 days.`, hi: `आपकी शिकायत ${t} का निपटारा हुआ। कृपया मूल्यांकन करें; 15 दिन में फिर से खोल सकते हैं।` }),
  escalated: (t: string): Notice => ({ en: `your grievance ${t} has gone to a higher officer because its deadline passed.`, hi: `समय-सीमा बीतने से आपकी शिकायत ${t} उच्च अधिकारी को भेजी गई है।` }),
  appeal: (t: string, due: Date): Notice => ({ en: `your appeal on grievance ${t} is registered; it will be decided by ${date(due)}.`, hi: `शिकायत ${t} पर आपकी अपील दर्ज हुई; ${date(due)} तक निर्णय होगा।` }),
};
