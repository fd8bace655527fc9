// The printable HIMCARE card (PDF, A6, Hindi and English, with a QR code), laid out like the health
// card of patients.card.ts: its page size, its fonts (patients.card.ts's Noto Sans Devanagari beside Helvetica) and its
// script-by-script text runs (patients.names.ts scriptOf). patients.card.ts keeps its writer inside
// cardPdf, so the few lines that pick a font per run are repeated here rather than edited there.
import type { Actor } from '../../platform/actor.js';
import { CARD_SIZES, HINDI, HINDI_BOLD } from '../patients/patients.card.js';
import { scriptOf } from '../patients/patients.names.js';
import type { Db } from './schemes.repository.js';
import { cardFor } from './schemes.service.js';


/** What the QR code on a scheme card says: the prefix, the card number and the card's random token. */
export const SCHEME_QR_PREFIX = 'HIMCARE-CARD:';
const MM = 72 / 25.4;
const SEX: Record<string, string> = { male: 'पुरुष / M', female: 'महिला / F', other: 'अन्य / O' };
const RELATION_HI: Record<string, string> = { head: 'मुखिया', spouse: 'पति/पत्नी', son: 'पुत्र', daughter: 'पुत्री', father: 'पिता', mother: 'माता' };

export async function schemeCardPdf(db: Db, actor: Actor, scheme: string, number: string): Promise<{ pdf: Buffer; cardNumber: string }> {
  const { e, settings, category, members } = await cardFor(db, actor, scheme, number);
  const [w, h] = CARD_SIZES.a6;
  const [{ default: PDFDocument }, { default: QRCode }] = await Promise.all([import('pdfkit'), import('qrcode')]);
  const doc = new PDFDocument({ size: [w, h], margin: 0, info: { Title: `HIMCARE card ${e.card_number}`, Author: 'Swasthya' } });
  doc.registerFont('hi', HINDI);
  doc.registerFont('hi-bold', HINDI_BOLD);
  const chunks: Buffer[] = [];
  doc.on('data', (b: Buffer) => chunks.push(b));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const pad = 4 * MM;
  const write = (text: string, x: number, y: number, opts: { size?: number; bold?: boolean; width?: number; color?: string } = {}) => {
    const runs = text.match(/[\u0900-\u097F\u200C\u200D]+(?:\s+[\u0900-\u097F\u200C\u200D]+)*|[^\u0900-\u097F\u200C\u200D]+/g) ?? [''];
    doc.fontSize(opts.size ?? 8).fillColor(opts.color ?? '#111');
    runs.forEach((run, i) => {
      const hindi = scriptOf(run) !== 'latin';
      doc.font(hindi ? (opts.bold ? 'hi-bold' : 'hi') : opts.bold ? 'Helvetica-Bold' : 'Helvetica');
      const more = { width: opts.width ?? w - x - pad, lineBreak: true, continued: i < runs.length - 1 };
      if (i === 0) doc.text(run, x, y, more); else doc.text(run, more);
    });
    return doc.y;
  };

  doc.rect(0, 0, w, 26).fill('#7a1f1f');
  write('हिमकेयर कार्ड', pad, 3, { size: 11, bold: true, color: '#fff' });
  write('HIMCARE Card', w / 2 + 8, 7, { size: 9, bold: true, color: '#fff' });
  const qrSize = 26 * MM;
  const qr = await QRCode.toBuffer(`${SCHEME_QR_PREFIX}${e.card_number}:${e.card_token}`, { type: 'png', errorCorrectionLevel: 'M', margin: 1, width: 300 });
  doc.image(qr, w - pad - qrSize, 26 + pad, { width: qrSize, height: qrSize });
  const textW = w - 3 * pad - qrSize;
  let y = 26 + pad;
  const lines: [string, string][] = [
    ['कार्ड संख्या / Card no.', e.card_number],
    ['वैध / Valid', `01-01-${e.scheme_year} – 31-12-${e.scheme_year}`],
    ['परिवार / Family', `${e.family_number}${e.external_id ? ` (${e.external_id})` : ''}`],
    ['श्रेणी / Category', category ? `${category.nameHi ? `${category.nameHi.split(':')[0]} / ` : ''}${category.name.split(':')[0]}` : e.category],
    ['वार्षिक कवर / Cover a year', `₹${settings.coverAmount.toLocaleString('en-IN')}`.replace('₹', 'Rs ')],
  ];
  for (const [label, value] of lines) {
    write(label, pad, y + 1, { size: 6, width: textW, color: '#555' });
    y = write(value, pad, doc.y, { size: 8, bold: true, width: textW });
  }
  y = Math.max(y, 26 + pad + qrSize) + pad;
  write('सदस्य / Members', pad, y, { size: 8, bold: true });
  y = doc.y + 2;
  for (const m of members) {
    const rel = m.relation ? ` · ${RELATION_HI[m.relation] ? `${RELATION_HI[m.relation]} / ` : ''}${m.relation.replace(/_/g, ' ')}` : '';
    y = write(`${m.nameHi ? `${m.nameHi} / ` : ''}${m.name}`, pad, y, { size: 8, bold: true, width: w - 2 * pad });
    y = write(`${SEX[m.sex] ?? m.sex} · ${m.age} · ${m.stateNumber}${rel}`, pad, y, { size: 6.5, width: w - 2 * pad, color: '#333' }) + 2;
  }
  write('सूचीबद्ध अस्पतालों में भर्ती उपचार के लिए। Cashless treatment on admission at empanelled hospitals.', pad, h - pad - 18, { size: 6, width: w - 2 * pad, color: '#555' });
  doc.end();
  return { pdf: await done, cardNumber: e.card_number };
}
