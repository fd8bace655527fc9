import type { FastifyPluginAsync } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { ErrorBody } from '../../platform/http.js';
import type { SmsSender } from '../../platform/sms.js';
import { requireMobile } from './patients.identity.js';
import { checkOtp, consumeOtp, sendOtp } from './patients.otp.js';
import { NewPatientBody, type NewPatientInput } from './patients.schema.js';
import { registerPatient } from './patients.service.js';

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
    schema: { tags: ['patients'], summary: 'Register from home with the code sent to the mobile; returns the state patient number', body: HomeRegistrationBody, response: { 201: Type.Any(), ...errors } },
  }, async (request, reply) => {
    const { challengeId, code, ...input } = request.body as NewPatientInput & { challengeId: string; code: string; mobile: string };
    const mobile = requireMobile(input.mobile);
    await checkOtp(k, challengeId, code, mobile, 'registration');
    const created = await k.transaction().execute(async (trx) => {
      await consumeOtp(trx, challengeId);
      return registerPatient(trx, null, { ...input, mobile }, 'online', true);
    });
    // The citizen gets their number and what they typed back, nothing more.
    return reply.status(201).send({
      id: created.id, stateNumber: created.stateNumber, name: created.name, nameHi: created.nameHi, nameLatin: created.nameLatin,
      sex: created.sex, birthDate: created.birthDate, mobile: created.mobile, abha: created.abha, ...(created.warnings ? { warnings: created.warnings } : {}),
    });
  });
};
