// Documents on a patient's record (reports, prescriptions, scans): PDFs and images, their type read
// from their first bytes (never from the name or the declared type alone), size-limited, kept in a
// document store (files under the data directory or an S3-compatible bucket: platform/objectstore.ts).
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, forbidden, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import type { DocumentStore, S3WithEarlierFiles } from '../../platform/objectstore.js';
import { requirePresence } from './patients.presence.js';
import { canRead, facilityFor, loadPatient } from './patients.service.js';

type Db = Kysely<Database>;

export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024;
export const DOCUMENT_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp'] as const;

/** The media type the bytes really are, from their signature, or null. */
export function sniff(bytes: Buffer): (typeof DOCUMENT_TYPES)[number] | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'image/webp';
  return null;
}

/**
 * The checks every uploaded document passes (patients' documents, grievance attachments): a file body,
 * not empty, at most 10 MB, a PDF or image by its first bytes, and the type it was declared as. Returns that type.
 */
export function checkUpload(upload: { bytes: unknown; declaredType: string }): (typeof DOCUMENT_TYPES)[number] {
  if (!Buffer.isBuffer(upload.bytes)) {
    // No body, or a JSON one parsed by the default parser: the document is the file itself.
    throw new AppError('unsupported_media_type', { en: 'Send the file itself as the body, with Content-Type application/pdf, image/jpeg, image/png or image/webp', hi: 'फ़ाइल को ही बॉडी के रूप में भेजें, Content-Type application/pdf, image/jpeg, image/png या image/webp के साथ' });
  }
  if (!(upload.bytes as Buffer).length) throw badRequest('The file is empty', 'फ़ाइल खाली है');
  if ((upload.bytes as Buffer).length > MAX_DOCUMENT_BYTES) {
    throw new AppError('payload_too_large', { en: `The file is ${((upload.bytes as Buffer).length / 1048576).toFixed(1)} MB; the limit is 10 MB`, hi: 'फ़ाइल 10 MB से बड़ी है' });
  }
  const actual = sniff(upload.bytes);
  if (!actual) {
    throw new AppError('unsupported_media_type', { en: 'The file is not a PDF, JPEG, PNG or WebP image (its content says otherwise)', hi: 'फ़ाइल PDF, JPEG, PNG या WebP नहीं है' });
  }
  if (actual !== upload.declaredType) {
    throw new AppError('unsupported_media_type', { en: `The file was sent as ${upload.declaredType} but its content is ${actual}`, hi: `फ़ाइल ${upload.declaredType} बताकर भेजी गई पर वह ${actual} है` });
  }
  return actual;
}

export const DOCUMENT_EXT: Record<string, string> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };

/** Stores a document on a patient's record at the staff member's facility. */
export async function addDocument(db: Db, store: DocumentStore, actor: Actor, patientId: string,
  upload: { bytes: Buffer; declaredType: string; title?: string; visitId?: string }) {
  requirePermission(actor, 'can_update_patient');
  const patient = await loadPatient(db, patientId);
  await requirePresence(db, actor, patient.id);
  const facility = await facilityFor(db, actor, undefined);
  if (!facility) throw badRequest('Documents are added by staff of a facility', 'दस्तावेज़ संस्थान के कर्मचारी जोड़ते हैं');
  const actual = checkUpload(upload);
  if (upload.visitId) {
    const visit = await db.selectFrom('opd_visits').select('patient_id').where('id', '=', upload.visitId).executeTakeFirst();
    if (!visit || visit.patient_id !== patient.id) throw badRequest(`Visit ${upload.visitId} is not one of this patient's`, 'यह विज़िट इस मरीज़ की नहीं है', { field: 'visitId' });
  }
  const id = uid();
  const now = new Date();
  const key = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}.${DOCUMENT_EXT[actual]}`;
  await store.put(key, upload.bytes);
  const row = {
    id, patient_id: patient.id, visit_id: upload.visitId ?? null, facility_id: facility.id, facility_path: facility.path, media_type: actual,
    bytes: upload.bytes.length, sha256: createHash('sha256').update(upload.bytes).digest('hex'), storage_key: key, title: upload.title?.trim() || null, created_by: actor.username,
  };
  await db.insertInto('patient_documents').values(row).execute();
  await recordAudit(db, actor, { action: 'create', entity: 'patient_document', entityId: id, orgPath: facility.path, after: { patient: patient.id, mediaType: actual, bytes: row.bytes, sha256: row.sha256 } });
  return { id, patientId: patient.id, mediaType: actual, bytes: row.bytes, sha256: row.sha256, title: row.title, createdAt: now.toISOString() };
}

/** The documents on a record, newest first. */
export async function listDocuments(db: Db, actor: Actor, patientId: string) {
  requirePermission(actor, 'can_read_patient');
  const patient = await loadPatient(db, patientId);
  if (!(await canRead(db, actor, patient.id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  const rows = await db.selectFrom('patient_documents').selectAll().where('patient_id', '=', patient.id).orderBy('created_at', 'desc').execute();
  return { items: rows.map((r) => ({ id: r.id, mediaType: r.media_type, bytes: r.bytes, title: r.title, visitId: r.visit_id, by: r.created_by, createdAt: r.created_at.toISOString() })) };
}

/** One document's bytes, for those who may read the record; the read is audited. */
export async function readDocument(db: Db, store: DocumentStore, actor: Actor, id: string) {
  requirePermission(actor, 'can_read_patient');
  const doc = await db.selectFrom('patient_documents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!doc) throw notFound(`No document has id ${id}`, `आईडी ${id} का कोई दस्तावेज़ नहीं मिला`);
  if (!(await canRead(db, actor, doc.patient_id))) throw forbidden('You may not read this patient\'s record', 'आप इस मरीज़ का रिकॉर्ड नहीं देख सकते');
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: doc.patient_id, orgPath: actor.orgPath, purpose: 'document' });
  return { mediaType: doc.media_type, bytes: await store.get(doc.storage_key), name: `${doc.id}.${DOCUMENT_EXT[doc.media_type]}` };
}

export interface CopyResult {
  copied: number;
  alreadyThere: number;
  /** Documents whose file is not under the data directory, or whose bytes no longer match their checksum: not copied. */
  problems: { id: string; key: string; reason: string }[];
}

/**
 * Copies the documents kept under the data directory into the S3 bucket (after a switch to S3),
 * each checked against the SHA-256 recorded at upload; those already in the bucket are left alone.
 * Can be run again at any time: it goes on where it stopped.
 */
export async function copyDocumentsToS3(db: Db, store: S3WithEarlierFiles, onProgress: (done: number, total: number) => void = () => {}): Promise<CopyResult> {
  const out: CopyResult = { copied: 0, alreadyThere: 0, problems: [] };
  const { n: total } = await db.selectFrom('patient_documents').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let done = 0;
  let after = '';
  onProgress(0, Number(total));
  for (;;) {
    const page = await db.selectFrom('patient_documents').select(['id', 'storage_key', 'sha256']).where('id', '>', after).orderBy('id').limit(200).execute();
    if (!page.length) break;
    for (const doc of page) {
      if (await store.s3.has(doc.storage_key)) out.alreadyThere++;
      else {
        const bytes = await store.files.get(doc.storage_key).catch(() => null);
        if (!bytes) out.problems.push({ id: doc.id, key: doc.storage_key, reason: 'no file under the data directory' });
        else if (createHash('sha256').update(bytes).digest('hex') !== doc.sha256) out.problems.push({ id: doc.id, key: doc.storage_key, reason: 'the file no longer matches the checksum taken at upload' });
        else {
          await store.s3.put(doc.storage_key, bytes);
          out.copied++;
        }
      }
      if (++done % 50 === 0) onProgress(done, Number(total));
    }
    after = page[page.length - 1]!.id;
  }
  onProgress(done, Number(total));
  return out;
}
