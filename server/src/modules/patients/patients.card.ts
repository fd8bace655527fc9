// The printable health card (PDF, A6 or ID-1) and the QR code on it that staff scan.
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, notFound } from '../../platform/errors.js';
import { scriptOf } from './patients.names.js';
import { ageOn, canRead, readPatient } from './patients.service.js';

type Db = Kysely<Database>;

const require = createRequire(import.meta.url);
/** Noto Sans Devanagari from the fontsource package: the card prints Hindi on any machine. */
const FONT_DIR = path.join(path.dirname(require.resolve('@fontsource/noto-sans-devanagari')), 'files');
export const HINDI = path.join(FONT_DIR, 'noto-sans-devanagari-devanagari-400-normal.woff');
export const HINDI_BOLD = path.join(FONT_DIR, 'noto-sans-devanagari-devanagari-700-normal.woff');

/** What the QR code on a card says: a prefix and the patient's card token (random, not the id). */
export const QR_PREFIX = 'SWASTHYA-CARD:';

const MM = 72 / 25.4;
export const CARD_SIZES = { a6: [105 * MM, 148 * MM], id1: [85.6 * MM, 53.98 * MM] } as const;
export type CardSize = keyof typeof CARD_SIZES;

/** The card's contents, for the PDF and for screens that show the card. */
export async function cardData(db: Db, actor: Actor, id: string) {
  const p = await readPatient(db, actor, id, 'card');
  const token = await db.selectFrom('patients').select('card_token').where('id', '=', p.id).executeTakeFirstOrThrow();
  return { ...p, qr: `${QR_PREFIX}${token.card_token}` };
}

/** Renders the card: Hindi and English labels, photo placeholder, numbers, blood group and the QR code. */
export async function cardPdf(db: Db, actor: Actor, id: string, size: CardSize = 'a6'): Promise<Buffer> {
  const c = await cardData(db, actor, id);
  await db.updateTable('patients').set({ card_issued_at: new Date() }).where('id', '=', c.id).where('card_issued_at', 'is', null).execute();
  const [w, h] = CARD_SIZES[size];
  // The PDF and QR libraries are loaded for a card only (they are a large part of the server's start otherwise).
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const doc = new PDFDocument({ size: [w, h], margin: 0, info: { Title: `Health card ${c.stateNumber}`, Author: 'Swasthya' } });
  doc.registerFont('hi', HINDI);
  doc.registerFont('hi-bold', HINDI_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));

  const small = size === 'id1';
  const pad = (small ? 4 : 8) * MM / 2;
  const fs = small ? 6 : 9;
  /** Writes text, each run in the font its script needs (Noto Devanagari or Helvetica), returning the next y. */
  const write = (text: string, x: number, y: number, opts: { size?: number; bold?: boolean; width?: number; color?: string } = {}) => {
    const runs = text.match(/[\u0900-\u097F\u200C\u200D]+(?:\s+[\u0900-\u097F\u200C\u200D]+)*|[^\u0900-\u097F\u200C\u200D]+/g) ?? [''];
    doc.fontSize(opts.size ?? fs).fillColor(opts.color ?? '#111');
    runs.forEach((run, i) => {
      const hindi = scriptOf(run) !== 'latin';
      doc.font(hindi ? (opts.bold ? 'hi-bold' : 'hi') : opts.bold ? 'Helvetica-Bold' : 'Helvetica');
      const more = { width: opts.width ?? w - x - pad, lineBreak: true, continued: i < runs.length - 1 };
      if (i === 0) doc.text(run, x, y, more); else doc.text(run, more);
    });
    return doc.y;
  };

  // Header band.
  const band = small ? 14 : 26;
  doc.rect(0, 0, w, band).fill('#0b5d3b');
  write('स्वास्थ्य कार्ड', pad, small ? 1 : 3, { size: small ? 7 : 11, bold: true, color: '#fff' });
  write('Swasthya Health Card', w / 2, small ? 3 : 7, { size: small ? 6 : 9, bold: true, color: '#fff' });

  // Photo placeholder and QR code.
  const photoW = small ? 18 * MM : 28 * MM;
  const top = band + pad;
  doc.rect(pad, top, photoW, photoW * 1.25).lineWidth(0.5).strokeColor('#888').stroke();
  write('फ़ोटो / Photo', pad + 2, top + photoW * 0.55, { size: small ? 4 : 6, width: photoW - 4, color: '#888' });
  const qrSize = small ? 18 * MM : 30 * MM;
  const qr = await QRCode.toBuffer(c.qr, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  const qrX = small ? w - pad - qrSize : pad;
  const qrY = small ? top : h - pad - qrSize;
  doc.image(qr, qrX, qrY, { width: qrSize, height: qrSize });

  // Text beside (ID-1) or below the photo (A6).
  const x = small ? pad + photoW + pad : pad;
  const width = small ? w - x - qrSize - 2 * pad : w - 2 * pad;
  let y = small ? top : top + photoW * 1.25 + pad;
  if (c.nameHi) y = write(c.nameHi, x, y, { size: fs + 3, bold: true, width });
  y = write(c.nameLatin, x, y, { size: fs + 2, bold: true, width });
  const sex = { male: ['पुरुष', 'Male'], female: ['महिला', 'Female'], other: ['अन्य', 'Other'] }[c.sex];
  const lines: [string, string][] = [
    ['राज्य संख्या / State no.', c.stateNumber],
    ['ABHA', c.abha ?? '—'],
    [`${sex[0]} / ${sex[1]}`, `${c.birthDateEstimated ? 'आयु / Age' : 'जन्म / Born'} ${c.birthDateEstimated ? ageOn(c.birthDate) : c.birthDate}`],
    ['रक्त समूह / Blood group', c.bloodGroup ?? '—'],
  ];
  for (const [label, value] of lines) {
    write(label, x, y + 1, { size: fs - 2, width, color: '#555' });
    y = write(value, x, doc.y, { size: fs, bold: true, width });
  }
  if (c.address.place) write(`${c.address.placeHi ?? ''}${c.address.placeHi ? ' / ' : ''}${c.address.place}`, x, y + 1, { size: fs - 1, width });
  doc.end();
  return done;
}

/**
 * What a staff member's scanner gets for a card's QR code: who it is (enough to confirm and to
 * register a visit) and whether they may open the record. Every scan is audited.
 */
export async function resolveCard(db: Db, actor: Actor, code: string) {
  requirePermission(actor, 'can_search_patient');
  const text = code.trim();
  if (!text.startsWith(QR_PREFIX)) throw badRequest('This is not a Swasthya health card code', 'यह स्वास्थ्य कार्ड का कोड नहीं है', { field: 'code' });
  const p = await db.selectFrom('patients').selectAll().where('card_token', '=', text.slice(QR_PREFIX.length)).executeTakeFirst();
  if (!p) throw notFound('No patient has this card; it may have been replaced', 'इस कार्ड वाला कोई मरीज़ नहीं मिला; कार्ड बदला गया हो सकता है');
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: p.id, orgPath: actor.orgPath, purpose: 'card_scan' });
  return {
    id: p.id, stateNumber: p.state_number, name: p.name, nameHi: p.name_hi, nameLatin: p.name_latin, sex: p.sex,
    age: ageOn(p.birth_date), birthYear: Number(p.birth_date.slice(0, 4)), canRead: await canRead(db, actor, p.id),
  };
}
