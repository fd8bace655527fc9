// The printable e-prescription (A4 PDF, Hindi and English): the hub, the doctor's name, qualification,
// registration number and council, the patient, date, diagnoses, the medicines line by line, advice,
// follow-up date and a footer. Staff print it at the spoke; a citizen downloads it with their key.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import { bare, namesOf } from '../codes/icd10.search.js';
import { scriptOf } from '../patients/patients.names.js';
import { ageOn, loadPatient } from '../patients/patients.service.js';
import type { Diagnosis } from './telemedicine.clinical.js';
import { FREQUENCIES } from './telemedicine.clinical.schema.js';
import { formName } from './telemedicine.formulary.js';
import { doctorProfile } from './telemedicine.network.js';
import { canReadClinical, loadRequest } from './telemedicine.queue.js';
import { specialtyName } from './telemedicine.specialties.js';

type Db = Kysely<Database>;

const require = createRequire(import.meta.url);
/** Noto Sans Devanagari from the fontsource package (as the health card uses): Hindi prints on any machine. */
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/noto-sans-devanagari')), 'files');
const HINDI = path.join(FONT_DIR, 'noto-sans-devanagari-devanagari-400-normal.woff');
const HINDI_BOLD = path.join(FONT_DIR, 'noto-sans-devanagari-devanagari-700-normal.woff');

const dateIst = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', day: '2-digit', month: '2-digit', year: 'numeric' }).format(d);
const timeIst = (d: Date) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Kolkata', hour: '2-digit', minute: '2-digit', hour12: false }).format(d);
const ddmmyyyy = (iso: string) => iso.split('-').reverse().join('/');

/**
 * A doctor's name with the title once: "Dr. Asha Verma" for "Asha Verma" and for a name already written
 * "Dr. Asha Verma" (or "Dr Asha", "Dr.Asha", "DR. ASHA"); a name written with a title of its own
 * ("डॉ. आशा", "डा. आशा", "Doctor Asha") is printed as written.
 */
export function withTitle(name: string): string {
  const n = name.trim();
  if (/^(डॉ|डा|डॉक्टर|doctor)(\.|\s|$)/i.test(n)) return n;
  const m = /^dr(?:\.\s*|\s+|$)(.*)$/is.exec(n);
  return `Dr. ${m ? m[1]!.trim() : n}`;
}

/** Everything printed on one prescription. */
async function contentsOf(db: Db, prescriptionId: string) {
  const rx = await db.selectFrom('tele_prescriptions').selectAll().where('id', '=', prescriptionId).executeTakeFirst();
  if (!rx) throw notFound(`No prescription has id ${prescriptionId}`, `आईडी ${prescriptionId} वाला कोई पर्चा नहीं मिला`);
  const request = await loadRequest(db, rx.request_id);
  const [patient, doctor, hub, spoke, record, items, user] = await Promise.all([
    loadPatient(db, rx.patient_id),
    doctorProfile(db, rx.doctor_id),
    db.selectFrom('org_units').select(['name', 'name_hi']).where('id', '=', request.hub_id).executeTakeFirstOrThrow(),
    request.spoke_id ? db.selectFrom('org_units').select(['name', 'name_hi']).where('id', '=', request.spoke_id).executeTakeFirst() : undefined,
    db.selectFrom('tele_consultations').selectAll().where('request_id', '=', request.id).executeTakeFirst(),
    db.selectFrom('tele_prescription_items as i').leftJoin('tele_formulary as f', 'f.code', 'i.formulary_code').selectAll('i').select('f.name_hi')
      .where('i.prescription_id', '=', rx.id).orderBy('i.line').execute(),
    db.selectFrom('users').select(['username', 'display_name']).where('id', '=', rx.doctor_id).executeTakeFirst(),
  ]);
  // Diagnoses by name (the ICD-10 lists' titles now, in Hindi where there is one), never as bare codes.
  const stored = (record?.diagnoses ?? []) as Diagnosis[];
  const names = await namesOf(db, stored.map((x) => bare(x.code)));
  const diagnoses = stored.map((x) => ({ code: x.code, title: names.get(bare(x.code))?.title ?? x.title, titleHi: names.get(bare(x.code))?.titleHi ?? null }));
  return { rx, request, patient, doctor, doctorName: doctor?.name ?? user?.display_name ?? user?.username ?? '', hub, spoke, record, items, diagnoses };
}
type Contents = Awaited<ReturnType<typeof contentsOf>>;

/** Renders the prescription. `compress: false` leaves the page text readable in the file (tests). */
export async function renderPrescription(c: Contents, opts: { compress?: boolean } = {}): Promise<Buffer> {
  // pdfkit is loaded for a prescription only (it is a large part of the server's start otherwise).
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4', margin: 40, compress: opts.compress ?? true, bufferPages: true,
    info: { Title: `Prescription ${c.rx.id}`, Author: c.doctorName, Subject: `e-Prescription for ${c.patient.state_number}`, Creator: 'Swasthya' },
  });
  doc.registerFont('hi', HINDI);
  doc.registerFont('hi-bold', HINDI_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const W = doc.page.width;
  const H = doc.page.height;
  const M = 40;
  /** Writes text, each run in the font its script needs, and returns the y below it. */
  const write = (text: string, x: number, y: number, o: { size?: number; bold?: boolean; width?: number; color?: string; align?: 'left' | 'right' | 'center' } = {}) => {
    // Only spaces join Devanagari words into one run: the Devanagari font has no Latin punctuation.
    const runs = text.match(/[\u0900-\u097F\u200C\u200D]+(?:\s+[\u0900-\u097F\u200C\u200D]+)*|[^\u0900-\u097F\u200C\u200D]+/g) ?? [''];
    doc.fontSize(o.size ?? 10).fillColor(o.color ?? '#111');
    runs.forEach((run, i) => {
      const hindi = scriptOf(run) !== 'latin';
      doc.font(hindi ? (o.bold ? 'hi-bold' : 'hi') : o.bold ? 'Helvetica-Bold' : 'Helvetica');
      const more = { width: o.width ?? W - x - M, lineBreak: true, continued: i < runs.length - 1, align: o.align };
      if (i === 0) doc.text(run, x, y, more); else doc.text(run, more);
    });
    return doc.y;
  };
  const rule = (y: number, color = '#999') => doc.moveTo(M, y).lineTo(W - M, y).lineWidth(0.6).strokeColor(color).stroke();
  const room = (y: number, need: number) => {
    if (y + need <= H - 70) return y;
    doc.addPage();
    return M;
  };

  // Header: the hub, the document, the doctor.
  doc.rect(0, 0, W, 62).fill('#0b5d3b');
  write(c.hub.name_hi ? `${c.hub.name_hi} / ${c.hub.name}` : c.hub.name, M, 12, { size: 14, bold: true, color: '#fff' });
  write(`ई-पर्चा (टेली-परामर्श) / e-Prescription (teleconsultation) · ${specialtyName(c.request.specialty, 'hi')} / ${specialtyName(c.request.specialty)}`, M, 36, { size: 9.5, color: '#fff' });
  let y = 74;
  const d = c.doctor;
  const left = W - 2 * M - 180;
  y = write(`${withTitle(c.doctorName)}${d?.nameHi ? ` / ${d.nameHi}` : ''}`, M, y, { size: 12, bold: true, width: left });
  if (d?.qualification) y = write(d.qualification, M, y + 1, { size: 9.5, width: left });
  y = write(`पंजीकरण संख्या / Registration no.: ${d?.registrationNumber ?? '—'}${d?.council ? ` (${d.council})` : ''}`, M, y + 1, { size: 9.5, width: left });
  if (d?.hprId) y = write(`HPR ID: ${d.hprId}`, M, y + 1, { size: 9.5, width: left });
  // Date and spoke at the top right (left-aligned: mixed-script runs do not right-align).
  const rightX = W - M - 170;
  let ry = write(`दिनांक / Date: ${dateIst(c.rx.issued_at)} ${timeIst(c.rx.issued_at)}`, rightX, 74, { size: 9.5, width: 170 });
  if (c.spoke) ry = write(`केंद्र / From: ${c.spoke.name_hi ? `${c.spoke.name_hi} / ` : ''}${c.spoke.name}`, rightX, ry + 1, { size: 9, width: 170 });
  y = Math.max(y, ry);
  y += 6;
  rule(y);

  // The patient.
  const p = c.patient;
  const sex = { male: ['पुरुष', 'Male'], female: ['महिला', 'Female'], other: ['अन्य', 'Other'] }[p.sex];
  y = write(`मरीज़ / Patient: ${p.name_hi && p.name_hi !== p.name ? `${p.name_hi} / ` : ''}${scriptOf(p.name) === 'latin' ? p.name : p.name_latin}`, M, y + 6, { size: 11, bold: true });
  y = write(`आयु / Age: ${ageOn(p.birth_date)} · ${sex[0]} / ${sex[1]} · राज्य संख्या / State no.: ${p.state_number}${p.abha_number ? ` · ABHA: ${p.abha_number.replace(/^(\d{2})(\d{4})(\d{4})(\d{4})$/, '$1-$2-$3-$4')}` : ''}`, M, y + 2, { size: 9.5 });
  if (c.request.complaint) y = write(`शिकायत / Complaint: ${c.request.complaint}`, M, y + 2, { size: 9.5 });
  y += 6;
  rule(y);

  // Diagnoses.
  y = write('निदान / Diagnosis', M, y + 6, { size: 10, bold: true });
  y = write(c.diagnoses.length ? c.diagnoses.map((x) => `${x.code}${x.titleHi ? ` ${x.titleHi} /` : ''}${x.title ? ` ${x.title}` : ''}`).join('; ') : '—', M, y + 1, { size: 9.5 });

  // Medicines.
  y = write('Rx  दवाएँ / Medicines', M, y + 10, { size: 12, bold: true });
  const cols = [{ x: M, w: 16 }, { x: M + 18, w: 180 }, { x: M + 202, w: 68 }, { x: M + 274, w: 110 }, { x: M + 388, w: 42 }, { x: M + 434, w: W - 2 * M - 434 }];
  const head = ['#', 'दवा / Medicine', 'खुराक / Dose', 'कब / How often', 'दिन / Days', 'निर्देश / Instructions'];
  y += 4;
  y = Math.max(...head.map((h, i) => write(h, cols[i].x, y, { size: 8.5, bold: true, width: cols[i].w, color: '#333' }))) + 2;
  rule(y, '#ccc');
  for (const item of c.items) {
    y = room(y + 4, 40);
    const f = (FREQUENCIES as Record<string, { en: string; hi: string }>)[item.frequency];
    const cells = [
      String(item.line),
      `${item.medicine} ${item.strength ?? ''} ${item.form ? formName(item.form) : ''}${item.name_hi ? `\n${item.name_hi} (${item.form ? formName(item.form, 'hi') : ''})` : ''}`,
      item.dose,
      f ? `${item.frequency}: ${f.en}\n${f.hi}` : item.frequency,
      String(item.days),
      item.instructions ?? '',
    ];
    let bottom = y;
    cells.forEach((text, i) => {
      let yy = y;
      for (const part of text.split('\n')) yy = write(part, cols[i].x, yy, { size: 9, bold: i === 1 && part === text.split('\n')[0], width: cols[i].w });
      bottom = Math.max(bottom, yy);
    });
    y = bottom + 2;
    rule(y, '#eee');
  }

  // Advice and follow-up.
  if (c.record?.advice) {
    y = room(y + 8, 40);
    y = write('सलाह / Advice', M, y, { size: 10, bold: true });
    y = write(c.record.advice, M, y + 1, { size: 9.5 });
  }
  if (c.record?.follow_up_on) {
    y = room(y + 8, 20);
    y = write(`दोबारा दिखाएँ / Follow-up on: ${ddmmyyyy(c.record.follow_up_on)}`, M, y, { size: 10, bold: true });
  }
  y = room(y + 24, 40);
  write(withTitle(c.doctorName), W / 2, y, { size: 10, bold: true, width: W / 2 - M, align: 'right' });
  write(`Reg. no. ${d?.registrationNumber ?? '—'}${d?.council ? `, ${d.council}` : ''}`, W / 2, doc.y, { size: 8.5, width: W / 2 - M, align: 'right' });

  // Footer on every page.
  const pages = doc.bufferedPageRange();
  for (let i = 0; i < pages.count; i++) {
    doc.switchToPage(pages.start + i);
    doc.page.margins.bottom = 0; // the footer sits below the text area; no new page for it
    rule(H - 58, '#ccc');
    // The Hindi line starts where the English one ends: a long name wraps the English onto a second line.
    const below = write(`Swasthya teleconsultation · prescription ${c.rx.id} for ${scriptOf(p.name) === 'latin' ? p.name : p.name_latin} (${p.state_number}) · page ${i + 1} of ${pages.count}. Generic medicines on this prescription are free at government health facilities.`, M, H - 53, { size: 7.5, color: '#555', width: W - 2 * M });
    write('सरकारी स्वास्थ्य संस्थानों में इस पर्चे की जेनेरिक दवाएँ मुफ़्त मिलती हैं। डॉक्टर की पंजीकरण संख्या के बिना यह पर्चा मान्य नहीं है।', M, below + 1.5, { size: 7.5, color: '#555', width: W - 2 * M });
  }
  doc.end();
  return done;
}

/** A prescription as a PDF, for whoever may read its request; audited as a read of the patient. */
export async function prescriptionPdf(db: Db, actor: Actor, prescriptionId: string): Promise<{ pdf: Buffer; name: string }> {
  const c = await contentsOf(db, prescriptionId);
  if (!(await canReadClinical(db, actor, c.request))) throw forbidden('You may not read this prescription', 'आप यह पर्चा नहीं देख सकते');
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: c.patient.id, orgPath: actor.orgPath, purpose: 'prescription' });
  return { pdf: await renderPrescription(c), name: `prescription-${c.rx.id}.pdf` };
}

/**
 * The latest prescription of a request as a PDF, with no caller: for the public route where a citizen
 * holds the request's access key (the caller checks the key). Audited with no actor. 404 when the
 * doctor has not prescribed.
 */
export async function prescriptionPdfForRequest(db: Db, requestId: string): Promise<{ pdf: Buffer; name: string }> {
  const latest = await db.selectFrom('tele_prescriptions').select('id').where('request_id', '=', requestId).orderBy('issued_at', 'desc').limit(1).executeTakeFirst();
  if (!latest) throw notFound('The doctor has not written a prescription for this consultation yet', 'डॉक्टर ने इस परामर्श का पर्चा अभी नहीं लिखा है');
  const c = await contentsOf(db, latest.id);
  await recordAudit(db, null, { action: 'read', entity: 'patient', entityId: c.patient.id, orgPath: c.request.hub_path, purpose: 'prescription_citizen' });
  return { pdf: await renderPrescription(c), name: `prescription-${c.rx.id}.pdf` };
}

/** The PDF of a prescription without checks, for embedding in a FHIR PrescriptionRecord the caller may read. */
export async function prescriptionPdfBytes(db: Db, prescriptionId: string): Promise<Buffer> {
  return renderPrescription(await contentsOf(db, prescriptionId));
}
