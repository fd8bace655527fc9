import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../app.js';
import { actorOf, ErrorBody } from '../../platform/http.js';
import { listAdmissions } from './patients.admissions.js';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const AdmissionList = Type.Object({
  items: Type.Array(Type.Object({
    id: Str,
    facility: Type.Object({ id: Str, name: Str, nameHi: Nullable(Str) }),
    admittedOn: Str, dischargedOn: Nullable(Str),
    diagnoses: Type.Array(Type.Object({ code: Str, title: Nullable(Str), titleHi: Nullable(Str) })),
    procedure: Nullable(Str), treatment: Nullable(Str),
    source: Type.String({ description: 'what wrote the episode: himcare (a claim)' }), sourceId: Str,
  })),
});

/** A patient's in-patient episodes (written by the modules that admit: HIMCARE's claims). */
export const admissionRoutes = ({ db }: AppDeps): FastifyPluginAsync => async (plain) => {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/patients/:id/admissions', {
    schema: {
      tags: ['patients'], summary: 'A patient\'s in-patient episodes (admission, discharge, ICD-10 diagnoses, procedure, treatment), newest first, for those who may read the record; an audited read',
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 40 }) }),
      response: { 200: AdmissionList, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody },
    },
  }, async (request) => listAdmissions(db.kysely, actorOf(request), request.params.id));
};
