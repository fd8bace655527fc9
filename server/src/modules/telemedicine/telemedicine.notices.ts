// Text messages of the telemedicine queue, through the outbox (platform/outbox): a citizen waiting at
// home is told by SMS when a doctor calls them, so that one who put the phone down comes back.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { mobileNumber, type Outbox } from '../../platform/outbox/index.js';
import { loadPatient } from '../patients/patients.service.js';

/** Tells the citizen of a home request that the doctor is calling; a spoke's patient is with the CHO and is not texted. */
export async function tellHomePatientCalled(db: Kysely<Database>, outbox: Outbox, requestId: string): Promise<void> {
  const r = await db.selectFrom('tele_requests as r').innerJoin('org_units as h', 'h.id', 'r.hub_id')
    .select(['r.id', 'r.patient_id', 'r.channel', 'r.token', 'r.hub_path', 'h.name as hub', 'h.name_hi as hubHi'])
    .where('r.id', '=', requestId).executeTakeFirst();
  if (!r || r.channel !== 'home') return;
  const to = mobileNumber((await loadPatient(db, r.patient_id)).mobile);
  if (!to) return;
  await outbox.send({
    to, template: 'text', language: 'both', about: { kind: 'tele_request', id: r.id }, orgPath: r.hub_path, createdBy: null,
    params: {
      en: `Swasthya: the doctor at ${r.hub} is calling you now (token ${r.token}). Open your waiting room page to join the video call.`,
      hi: `स्वास्थ्य: ${r.hubHi ?? r.hub} के डॉक्टर अभी आपको बुला रहे हैं (टोकन ${r.token})। वीडियो कॉल से जुड़ने के लिए अपना प्रतीक्षा पृष्ठ खोलें।`,
    },
  });
}
