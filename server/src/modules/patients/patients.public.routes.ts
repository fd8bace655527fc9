import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { AppDeps } from '../../app.js';
import type { Database } from '../../db/types.js';
import { AppError } from '../../platform/errors.js';
import { ErrorBody } from '../../platform/http.js';
import type { SmsSender } from '../../platform/sms.js';
import { outboxOf, type QueuedMessage } from '../../platform/outbox/index.js';
import { requireMobile } from './patients.identity.js';
import { checkOtp, consumeOtp, sendOtp } from './patients.otp.js';
import { NewPatientBody, type NewPatientInput } from './patients.schema.js';
import { checkIdentity, homeOf, registerPatient, type Warning } from './patients.service.js';

const { facilityId: _facility, ...fromHome } = NewPatientBody.properties;
const OtpBody = Type.Object({ mobile: Type.String({ minLength: 10, maxLength: 20 }) }, { additionalProperties: false });
const HomeRegistrationBody = Type.Object({
  ...fromHome,
  mobile: Type.String({ minLength: 10, maxLength: 20 }),
  challengeId: Type.String({ minLength: 1, maxLength: 20, description: 'from POST /api/public/otp' }),
  code: Type.String({ minLength: 4, maxLength: 8, description: 'the six digits sent by SMS' }),
}, { additionalProperties: false });
const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody, 429: ErrorBody };

/** Registration from home: confirm the mobile with a one-time code, then register without signing in. */
export const publicRegistrationRoutes = ({ db, sms }: AppDeps & { sms: SmsSender }): FastifyPluginAsync => async (app) => {
  const k = db.kysely;

  app.post('/api/public/otp', {
    config: { public: true },
    schema: { tags: ['patients'], summary: 'Send a one-time code to a mobile number (3 per number per 15 minutes)', body: OtpBody, response: { 202: Type.Any(), ...errors } },
  }, async (request, reply) => {
    const mobile = requireMobile((request.body as { mobile: string }).mobile);
    return reply.status(202).send({ ...(await sendOtp(k, sms, mobile, 'registration', request.ip)), channel: sms.kind });
  });

  app.post('/api/public/patients', {
    config: { public: true },
    schema: {
      tags: ['patients'],
      summary: 'Register from home with the code sent to the mobile: 201 with the state patient number, or, when an ABHA number or address is given, 202 and the outcome by SMS',
      body: HomeRegistrationBody, response: { 201: Type.Any(), 202: Type.Any(), ...errors },
    },
  }, async (request, reply) => {
    const { challengeId, code, ...input } = request.body as NewPatientInput & { challengeId: string; code: string; mobile: string };
    const mobile = requireMobile(input.mobile);
    // What can be checked without looking anyone up is checked first: a typing mistake costs no code.
    const warnings: Warning[] = [];
    checkIdentity({ ...input, mobile }, warnings);
    const home = await homeOf(k, input.address);
    // From here the code is used up, whatever happens next.
    await checkOtp(k, challengeId, code, mobile, 'registration');
    const outbox = outboxOf(sms);
    const about = (id: string | null) => ({ about: { kind: 'registration', id }, orgPath: home.path, to: mobile });
    // With an ABHA number or address, the outcome goes by SMS, written in the registration's own transaction (the outbox).
    const tell = !!(input.abha || input.abhaAddress);
    const register = () => k.transaction().execute(async (trx) => {
      await consumeOtp(trx, challengeId);
      const created = await registerPatient(trx, null, { ...input, mobile }, 'online', true);
      const message: QueuedMessage | null = tell ? (await outbox.queue(trx, { ...about(created.id), template: 'patient.registered', params: { stateNumber: created.stateNumber } }, { deliverAfterCommit: true }))[0] : null;
      return { created, message };
    });
    if (!tell) {
      const { created } = await register();
      // The citizen gets their number and what they typed back, nothing more.
      return reply.status(201).send({
        id: created.id, stateNumber: created.stateNumber, name: created.name, nameHi: created.nameHi, nameLatin: created.nameLatin,
        sex: created.sex, birthDate: created.birthDate, mobile: created.mobile, abha: created.abha, ...(created.warnings ? { warnings: created.warnings } : {}),
      });
    }
    // With an ABHA number or address, the answer is the same whether or not it is registered already:
    // the outcome goes by SMS to the mobile just confirmed, never to the caller's screen.
    await register().then(
      async ({ message }) => { await outbox.deliver([message!.id]); },
      async (e: unknown) => {
        if (!(e instanceof AppError) || e.code !== 'conflict' || !['abha', 'abhaAddress'].includes(String(e.details?.field))) throw e;
        const [en, hi] = takenText(await holderOf(k, checkIdentity(input, []), mobile)).split(' / ');
        await outbox.send({ ...about(null), template: 'text', params: { en, hi } });
      },
    );
    return reply.status(202).send({ status: 'sent', sentTo: `${'X'.repeat(6)}${mobile.slice(-4)}`, channel: sms.kind, ...(warnings.length ? { warnings } : {}) });
  });
};

/** The state number of the record holding this ABHA number or address, when its mobile is `mobile`. */
async function holderOf(db: Kysely<Database>, id: { abhaNumber: string | null; abhaAddress: string | null }, mobile: string): Promise<string | null> {
  const row = await db.selectFrom('patients').select(['state_number', 'mobile'])
    .where((eb) => eb.or([
      ...(id.abhaNumber ? [eb('abha_number', '=', id.abhaNumber)] : []),
      ...(id.abhaAddress ? [eb('abha_address', '=', id.abhaAddress)] : []),
    ]))
    .orderBy('created_at').executeTakeFirst();
  return row && row.mobile === mobile ? row.state_number : null;
}

/** Only the owner of the mobile on the existing record learns its number; anyone else learns nothing of where it is. */
const takenText = (ownNumber: string | null) => ownNumber
  ? `Swasthya: you are already registered with this ABHA number. Your patient number is ${ownNumber}. / स्वास्थ्य: आप इस ABHA नंबर से पहले से पंजीकृत हैं। आपका मरीज़ नंबर ${ownNumber} है।`
  : 'Swasthya: you were not registered: the ABHA number or address you gave is already on a record. Show your ABHA card at a government health facility to have it checked. / स्वास्थ्य: आपका पंजीकरण नहीं हुआ: दिया गया ABHA नंबर या पता पहले से एक रिकॉर्ड पर है। जाँच के लिए ABHA कार्ड किसी सरकारी स्वास्थ्य संस्थान में दिखाएँ।';
