// Photos and PDFs with a grievance: the same checks as a patient's documents (modules/patients
// checkUpload: type read from the bytes, 10 MB) and the same document store. Added by the citizen
// (with the access token from a code) or by staff who may see the ticket; read by officers (audited).
import { createHash } from 'node:crypto';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { conflict, notFound } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import type { DocumentStore } from '../../platform/objectstore.js';
import { checkUpload, DOCUMENT_EXT } from '../patients/patients.documents.js';
import { citizenAccess } from './grievances.citizen.js';
import * as repo from './grievances.repository.js';
import { canSee, iso, requireSeen, type Db } from './grievances.service.js';

export const MAX_ATTACHMENTS = 10;

interface Upload { bytes: unknown; declaredType: string; title?: string }

async function store(db: Db, files: DocumentStore, row: repo.TicketRow, upload: Upload, by: Actor | null) {
  const actual = checkUpload(upload);
  const bytes = upload.bytes as Buffer;
  const existing = await repo.attachmentsOf(db, row.id);
  if (existing.length >= MAX_ATTACHMENTS) throw conflict(`A grievance holds at most ${MAX_ATTACHMENTS} files`, `एक शिकायत में अधिकतम ${MAX_ATTACHMENTS} फ़ाइलें हो सकती हैं`);
  const id = uid();
  const now = new Date();
  const key = `grievances/${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${id}.${DOCUMENT_EXT[actual]}`;
  await files.put(key, bytes);
  const sha = createHash('sha256').update(bytes).digest('hex');
  await repo.insertAttachment(db, {
    id, grievance_id: row.id, media_type: actual, bytes: bytes.length, sha256: sha, storage_key: key, title: upload.title?.trim() || null,
    by_citizen: !by, created_by: by?.userId ?? null,
  });
  await repo.insertEvent(db, { grievanceId: row.id, kind: 'attachment', text: upload.title?.trim() || null, visible: true, byUser: by?.userId ?? null, byRole: by?.role ?? null, byCitizen: !by });
  await recordAudit(db, by, { action: 'create', entity: 'grievance_attachment', entityId: id, orgPath: row.org_path, after: { grievance: row.id, mediaType: actual, bytes: bytes.length, sha256: sha } });
  return { id, mediaType: actual, bytes: bytes.length, title: upload.title?.trim() || null, byCitizen: !by, createdAt: now.toISOString() };
}

/** Staff: those who see the ticket, or who filed it (a help desk's complaint sent on to the district). */
export async function addAttachment(db: Db, files: DocumentStore, actor: Actor, ticketNumber: string, upload: Upload) {
  const row = await repo.loadTicket(db, ticketNumber);
  const filedByMe = !!row && row.created_by === actor.userId && actor.permissions.has('can_file_grievance');
  if (!filedByMe) {
    requirePermission(actor, 'can_handle_grievances');
    requireSeen(actor, row, ticketNumber);
  }
  return store(db, files, row!, upload, actor);
}

export async function addCitizenAttachment(db: Db, files: DocumentStore, ticketNumber: string, accessToken: string | undefined, upload: Upload) {
  await citizenAccess(db, ticketNumber, { accessToken: accessToken ?? '' });
  const row = (await repo.loadTicket(db, ticketNumber))!;
  if (row.status === 'closed') throw conflict(`Grievance ${ticketNumber} is closed`, `शिकायत ${ticketNumber} बंद है`);
  return store(db, files, row, upload, null);
}

/** An attachment's file for an officer who may see the ticket; the read is audited. */
export async function readAttachment(db: Db, files: DocumentStore, actor: Actor, ticketNumber: string, id: string) {
  requirePermission(actor, 'can_read_grievances');
  const row = await repo.loadTicket(db, ticketNumber);
  if (!row || !canSee(actor, row)) throw notFound(`No grievance ${ticketNumber} in your area`, `आपके क्षेत्र में शिकायत ${ticketNumber} नहीं है`);
  const a = await repo.attachment(db, row.id, id);
  if (!a) throw notFound(`Grievance ${ticketNumber} has no file ${id}`, `शिकायत ${ticketNumber} में फ़ाइल ${id} नहीं है`);
  await recordAudit(db, actor, { action: 'read', entity: 'grievance_attachment', entityId: a.id, orgPath: row.org_path, purpose: 'attachment' });
  return { mediaType: a.media_type, bytes: await files.get(a.storage_key), name: `${a.id}.${DOCUMENT_EXT[a.media_type]}`, createdAt: iso(a.created_at) };
}
