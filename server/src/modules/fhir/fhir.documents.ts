/**
 * A document Bundle is kept once. Its key is `Bundle.identifier` (system and value) with a digest of its
 * content: the first post claims the key in fhir_document_receipts (a primary key, so a parallel post of
 * the same document waits for the first and then finds it), and every later post of the same document
 * is answered with the first answer (each `201 Created` said as `200 OK`) and stores nothing.
 *
 * The digest is part of the key because published documents reuse identifiers (two of ABDM's own
 * examples, an OPConsultNote and an ImmunizationRecord, carry the same Bundle.identifier): a different
 * document under a used identifier is kept as what it is, not taken for the first one and lost.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { canRead } from '../patients/patients.service.js';
import { FhirError } from './fhir.outcome.js';
import * as repo from './fhir.repository.js';
import { PRIVACY, PRIVACY_HI } from './fhir.store.js';
import { isObject, type FhirResource } from './fhir.types.js';

type Db = Kysely<Database>;

/** JSON with object keys in order, so the same content always gives the same digest. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (isObject(v)) return `{${Object.keys(v).sort().filter((k) => v[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(',')}}`;
  return JSON.stringify(v);
}

/** The key of a document Bundle, or null for a transaction or a document without identifier system and value. */
export function documentKeyOf(bundle: FhirResource): repo.DocumentKey | null {
  if (bundle.type !== 'document' || !isObject(bundle.identifier)) return null;
  const { system, value } = bundle.identifier;
  if (typeof system !== 'string' || typeof value !== 'string' || !system.trim() || !value.trim()) return null;
  return { system: system.trim(), value: value.trim(), digest: createHash('sha256').update(canonical(bundle)).digest('hex') };
}

/**
 * Claims a document for this transaction. Null when this is its first post (go on and keep it), else
 * the answer of the first post, for a caller who may read its patient (403 otherwise, as a read is).
 */
export async function receivedBefore(db: Db, actor: Actor, key: repo.DocumentKey): Promise<FhirResource | null> {
  if (await repo.claimDocument(db, key, actor.username)) return null;
  const prior = await repo.documentReceipt(db, key);
  if (!prior?.response) throw new FhirError(409, 'conflict', { en: 'This document is being kept by another request at this moment; try again', hi: 'यह दस्तावेज़ अभी दूसरे अनुरोध से रखा जा रहा है; फिर प्रयास करें' });
  if (prior.patientId && !(await canRead(db, actor, prior.patientId))) throw forbidden(PRIVACY, PRIVACY_HI);
  await recordAudit(db, actor, { action: 'read', entity: 'fhir_bundle', orgPath: actor.orgPath, purpose: 'care', after: { type: 'document', identifier: `${key.system}|${key.value}`, received: 'before', patient: prior.patientId } });
  const first = prior.response as FhirResource & { entry?: { response?: { status?: string } }[] };
  return {
    ...first,
    id: uid(),
    meta: { lastUpdated: new Date().toISOString() },
    entry: (first.entry ?? []).map((e) => ({ ...e, response: { ...e.response, status: e.response?.status?.startsWith('201') ? '200 OK' : e.response?.status } })),
  };
}

/** Keeps the answer of a document's first post, for the posts of it that follow. */
export async function rememberAnswer(db: Db, key: repo.DocumentKey, patientId: string | null, response: FhirResource) {
  await repo.recordDocumentResponse(db, key, patientId, response);
}
