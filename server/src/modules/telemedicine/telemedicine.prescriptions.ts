// E-prescriptions from the formulary, what the spoke has in stock for each line, dispensing at the
// spoke (stock goes down in the same transaction), and the spoke's stock itself. The printable PDF is
// in telemedicine.prescription.pdf.ts.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { badRequest, conflict, fieldErrors, forbidden, notFound, type FieldProblem } from '../../platform/errors.js';
import { uid } from '../../platform/ids.js';
import { facilityFor, linkFacility } from '../patients/patients.service.js';
import { FREQUENCIES, type DispenseInput, type Frequency, type PrescriptionInput, type StockInput } from './telemedicine.clinical.schema.js';
import { formName, isCountable, medicineLabel, medicinesByCode, stockOf } from './telemedicine.formulary.js';
import { canReadClinical, loadRequest, requireConsultingDoctor } from './telemedicine.queue.js';

export { prescriptionPdf, prescriptionPdfForRequest } from './telemedicine.prescription.pdf.js';

type Db = Kysely<Database>;

const FRACTIONS: Record<string, number> = { '½': 0.5, '¼': 0.25, '¾': 0.75 };
/** The number of units in a dose as written ("1 tablet", "½ tablet", "1/2", "2 sachets"), or null. */
export function doseUnits(dose: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?(?:\s*\/\s*\d+)?|[½¼¾])/.exec(dose);
  if (!m) return null;
  const t = m[1].replace(/\s+/g, '');
  if (FRACTIONS[t]) return FRACTIONS[t];
  const [a, b] = t.split('/').map(Number);
  return b ? a / b : a;
}

/**
 * Units to hand over for a line of a countable form (tablets, capsules, sachets): dose × times a day ×
 * days, rounded up; a single STAT dose is the dose. Null for liquids, creams and doses taken when needed.
 */
export function suggestedQuantity(form: string | null, dose: string, frequency: string, days: number): number | null {
  if (!form || !isCountable(form)) return null;
  const units = doseUnits(dose);
  if (units === null) return null;
  if (frequency === 'STAT') return Math.ceil(units);
  const perDay = (FREQUENCIES as Record<string, { perDay: number | null }>)[frequency]?.perDay;
  return perDay ? Math.ceil(units * perDay * days - 1e-9) : null;
}

type ItemRow = {
  id: string; prescription_id: string; line: number; formulary_code: string | null; medicine: string; strength: string | null; form: string | null;
  dose: string; frequency: string; days: number; instructions: string | null; dispensed_quantity: number | null; dispensed_at: Date | null; dispensed_by: string | null;
  name_hi?: string | null;
};

function itemDto(r: ItemRow, stock?: Map<string, number> | null) {
  const f = (FREQUENCIES as Record<string, { en: string; hi: string }>)[r.frequency];
  const quantity = stock && r.formulary_code ? stock.get(r.formulary_code) ?? 0 : null;
  return {
    id: r.id, line: r.line, code: r.formulary_code, medicine: r.medicine, nameHi: r.name_hi ?? null, strength: r.strength, form: r.form,
    formHi: r.form ? formName(r.form, 'hi') : null, label: medicineLabel({ generic_name: r.medicine, strength: r.strength, form: r.form }),
    dose: r.dose, frequency: r.frequency, frequencyText: f?.en ?? r.frequency, frequencyTextHi: f?.hi ?? r.frequency, days: r.days, instructions: r.instructions,
    suggestedQuantity: suggestedQuantity(r.form, r.dose, r.frequency, r.days),
    dispensedQuantity: r.dispensed_quantity, dispensedAt: r.dispensed_at?.toISOString() ?? null, dispensedBy: r.dispensed_by,
    ...(stock ? { inStock: (quantity ?? 0) > 0, stockQuantity: quantity } : {}),
  };
}
export type PrescriptionItem = ReturnType<typeof itemDto>;

async function itemsOf(db: Db, prescriptionIds: string[]): Promise<ItemRow[]> {
  if (!prescriptionIds.length) return [];
  return db.selectFrom('tele_prescription_items as i').leftJoin('tele_formulary as f', 'f.code', 'i.formulary_code')
    .selectAll('i').select('f.name_hi').where('i.prescription_id', 'in', prescriptionIds).orderBy('i.prescription_id').orderBy('i.line').execute();
}

/** The prescriptions of some requests, each with its lines (no stock), oldest first, by request. */
export async function prescriptionsOfRequests(db: Db, requestIds: string[]) {
  const out = new Map<string, { id: string; issuedAt: string; doctorId: string; items: PrescriptionItem[] }[]>();
  if (!requestIds.length) return out;
  const rxs = await db.selectFrom('tele_prescriptions').selectAll().where('request_id', 'in', requestIds).orderBy('issued_at').execute();
  const items = await itemsOf(db, rxs.map((r) => r.id));
  for (const rx of rxs) {
    const list = out.get(rx.request_id) ?? [];
    list.push({ id: rx.id, issuedAt: rx.issued_at.toISOString(), doctorId: rx.doctor_id, items: items.filter((i) => i.prescription_id === rx.id).map((i) => itemDto(i)) });
    out.set(rx.request_id, list);
  }
  return out;
}

/** A prescription with its request, spoke and hub; 404 when there is none. */
export async function loadPrescription(db: Db, id: string) {
  const rx = await db.selectFrom('tele_prescriptions as p')
    .leftJoin('org_units as s', 's.id', 'p.spoke_id')
    .selectAll('p').select(['s.path as spoke_path', 's.name as spoke_name', 's.name_hi as spoke_name_hi'])
    .where('p.id', '=', id).executeTakeFirst();
  if (!rx) throw notFound(`No prescription has id ${id}`, `आईडी ${id} वाला कोई पर्चा नहीं मिला`);
  return rx;
}

/** A prescription's lines, with the spoke's stock of each when it has a spoke. */
async function view(db: Db, rx: Awaited<ReturnType<typeof loadPrescription>>) {
  const items = await itemsOf(db, [rx.id]);
  const stock = rx.spoke_id ? await stockOf(db, rx.spoke_id, items.flatMap((i) => (i.formulary_code ? [i.formulary_code] : []))) : null;
  return {
    id: rx.id, requestId: rx.request_id, patientId: rx.patient_id, doctorId: rx.doctor_id, issuedAt: rx.issued_at.toISOString(),
    spoke: rx.spoke_id ? { id: rx.spoke_id, name: rx.spoke_name, nameHi: rx.spoke_name_hi } : null,
    items: items.map((i) => itemDto(i, stock)),
  };
}

/** Issues a prescription on a request (the consulting doctor, once started); medicines come from the formulary. */
export async function createPrescription(db: Db, actor: Actor, requestId: string, input: PrescriptionInput) {
  const request = await requireConsultingDoctor(db, actor, requestId);
  if (request.status === 'called') throw conflict('Start the consultation before prescribing', 'पर्चा लिखने से पहले परामर्श शुरू करें', { status: request.status });
  const { found, missing } = await medicinesByCode(db, input.items.map((i) => i.code));
  const problems: FieldProblem[] = [];
  const seen = new Map<string, number>();
  input.items.forEach((item, i) => {
    if (missing.includes(item.code)) problems.push({ field: `items.${i}.code`, message: `${item.code} is not in the formulary; search with GET /api/telemedicine/formulary?q=`, messageHi: `${item.code} दवा-सूची में नहीं है; GET /api/telemedicine/formulary?q= से खोजें` });
    else if (seen.has(item.code)) problems.push({ field: `items.${i}.code`, message: `${item.code} is already on line ${seen.get(item.code)! + 1}; give one line per medicine`, messageHi: `${item.code} पहले से पंक्ति ${seen.get(item.code)! + 1} पर है; हर दवा एक बार लिखें` });
    else seen.set(item.code, i);
    if (!item.dose.trim()) problems.push({ field: `items.${i}.dose`, message: 'must not be empty (e.g. 1 tablet)', messageHi: 'खाली नहीं हो सकता (जैसे 1 गोली)' });
  });
  if (problems.length) throw fieldErrors(problems);

  const id = uid();
  await db.insertInto('tele_prescriptions').values({ id, request_id: request.id, patient_id: request.patient_id, doctor_id: actor.userId, spoke_id: request.spoke_id }).execute();
  await db.insertInto('tele_prescription_items').values(input.items.map((item, i) => {
    const m = found.get(item.code)!;
    return {
      id: uid(), prescription_id: id, line: i + 1, formulary_code: m.code, medicine: m.generic_name, strength: m.strength, form: m.form,
      dose: item.dose.trim(), frequency: item.frequency, days: item.days, instructions: item.instructions?.trim() || null,
    };
  })).execute();
  await recordAudit(db, actor, { action: 'create', entity: 'tele_prescription', entityId: id, orgPath: request.hub_path, after: { request: request.id, patient: request.patient_id, items: input.items.map((i) => i.code) } });
  return view(db, await loadPrescription(db, id));
}

/** A prescription with the spoke's stock per line, for whoever may read its request; audited as a read of the patient. */
export async function readPrescription(db: Db, actor: Actor, id: string) {
  const rx = await loadPrescription(db, id);
  const request = await loadRequest(db, rx.request_id);
  if (!(await canReadClinical(db, actor, request))) throw forbidden('You may not read this prescription', 'आप यह पर्चा नहीं देख सकते');
  await recordAudit(db, actor, { action: 'read', entity: 'patient', entityId: rx.patient_id, orgPath: actor.orgPath, purpose: 'prescription' });
  return view(db, rx);
}

/**
 * Records what the spoke handed over (CHO or operator at the spoke). Each line's stock goes down in
 * the same transaction; more than is in stock is 409 naming the medicine, and nothing is recorded.
 * Call inside a transaction.
 */
export async function dispense(db: Db, actor: Actor, id: string, input: DispenseInput) {
  requirePermission(actor, 'can_dispense');
  const rx = await loadPrescription(db, id);
  if (!rx.spoke_id || !rx.spoke_path) {
    throw conflict('This prescription is from a consultation at home: medicines are handed over at a facility counter against the printed prescription, not recorded here',
      'यह पर्चा घर से हुए परामर्श का है: दवा किसी संस्थान के काउंटर पर छपे पर्चे से दी जाती है, यहाँ दर्ज नहीं होती');
  }
  requireScope(actor, rx.spoke_path, rx.spoke_name ?? 'The spoke of this prescription');
  const items = await db.selectFrom('tele_prescription_items').selectAll().where('prescription_id', '=', rx.id).forUpdate().execute();
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  input.items.forEach((x, i) => {
    const item = items.find((it) => it.id === x.itemId);
    if (!item) problems.push({ field: `items.${i}.itemId`, message: `${x.itemId} is not a line of this prescription`, messageHi: `${x.itemId} इस पर्चे की पंक्ति नहीं है` });
    else if (!item.formulary_code) problems.push({ field: `items.${i}.itemId`, message: `${item.medicine} is not in the formulary and so not stocked here`, messageHi: `${item.medicine} दवा-सूची में नहीं है` });
    if (seen.has(x.itemId)) problems.push({ field: `items.${i}.itemId`, message: 'appears twice; give each line once', messageHi: 'दो बार है; हर पंक्ति एक बार दें' });
    seen.add(x.itemId);
  });
  if (problems.length) throw fieldErrors(problems);

  const handed: { code: string; quantity: number; left: number }[] = [];
  for (const x of input.items) {
    const item = items.find((it) => it.id === x.itemId)!;
    const code = item.formulary_code!;
    const left = await db.updateTable('facility_stock').set({ quantity: sql`quantity - ${x.quantity}`, updated_at: new Date() })
      .where('facility_id', '=', rx.spoke_id).where('formulary_code', '=', code).where('quantity', '>=', x.quantity)
      .returning('quantity').executeTakeFirst();
    if (!left) {
      const have = (await stockOf(db, rx.spoke_id, [code])).get(code) ?? 0;
      const label = medicineLabel({ generic_name: item.medicine, strength: item.strength, form: item.form });
      throw conflict(`Not enough ${label} in stock at ${rx.spoke_name}: ${have} left, ${x.quantity} asked; hand over at most ${have}, or correct the stock first`,
        `${rx.spoke_name_hi ?? rx.spoke_name} में ${label} का स्टॉक कम है: ${have} बचे हैं, ${x.quantity} माँगे गए; अधिकतम ${have} दें या पहले स्टॉक ठीक करें`,
        { itemId: item.id, code, inStock: have, asked: x.quantity });
    }
    await db.updateTable('tele_prescription_items')
      .set({ dispensed_quantity: sql`coalesce(dispensed_quantity, 0) + ${x.quantity}`, dispensed_at: new Date(), dispensed_by: actor.username })
      .where('id', '=', item.id).execute();
    handed.push({ code, quantity: x.quantity, left: left.quantity });
  }
  await linkFacility(db, rx.patient_id, { id: rx.spoke_id, path: rx.spoke_path });
  await recordAudit(db, actor, { action: 'update', entity: 'tele_prescription', entityId: rx.id, orgPath: rx.spoke_path, purpose: 'dispense', after: { patient: rx.patient_id, dispensed: handed } });
  return view(db, rx);
}

/** The facility whose stock is meant: the one named (in the caller's area) or the caller's own. */
async function stockFacility(db: Db, actor: Actor, facilityId: string | undefined) {
  const facility = await facilityFor(db, actor, facilityId);
  if (!facility) throw badRequest('Say whose stock (facilityId)', 'बताएँ किस संस्थान का स्टॉक (facilityId)', { field: 'facilityId' });
  return facility;
}

/** A facility's stock of formulary medicines (staff there and officers over it); `all` lists every medicine. */
export async function listStock(db: Db, actor: Actor, q: { facilityId?: string; all?: boolean }, codes?: string[]) {
  requirePermission(actor, 'can_read_telemedicine');
  const facility = await stockFacility(db, actor, q.facilityId);
  let query = db.selectFrom('tele_formulary as f')
    .leftJoin('facility_stock as s', (j) => j.onRef('s.formulary_code', '=', 'f.code').on('s.facility_id', '=', facility.id))
    .select(['f.code', 'f.generic_name', 'f.name_hi', 'f.strength', 'f.form', 's.quantity', 's.updated_at'])
    .orderBy('f.generic_name').orderBy('f.strength');
  if (codes) query = query.where('f.code', 'in', codes.length ? codes : ['']);
  else if (!q.all) query = query.where('s.quantity', 'is not', null);
  else query = query.where('f.active', '=', true);
  const rows = await query.execute();
  return {
    facility: { id: facility.id, name: facility.name, nameHi: facility.name_hi },
    items: rows.map((r) => ({
      code: r.code, genericName: r.generic_name, nameHi: r.name_hi, strength: r.strength, form: r.form, formHi: formName(r.form, 'hi'),
      quantity: r.quantity ?? 0, updatedAt: r.updated_at?.toISOString() ?? null,
    })),
  };
}

/** Sets what is on the shelf now (staff who dispense there), audited with the before and after. */
export async function setStock(db: Db, actor: Actor, input: StockInput) {
  requirePermission(actor, 'can_dispense');
  const facility = await stockFacility(db, actor, input.facilityId);
  const codes = input.items.map((i) => i.code);
  const known = await db.selectFrom('tele_formulary').select('code').where('code', 'in', codes).execute();
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  input.items.forEach((x, i) => {
    if (!known.some((k) => k.code === x.code)) problems.push({ field: `items.${i}.code`, message: `${x.code} is not in the formulary`, messageHi: `${x.code} दवा-सूची में नहीं है` });
    if (seen.has(x.code)) problems.push({ field: `items.${i}.code`, message: `${x.code} appears twice`, messageHi: `${x.code} दो बार है` });
    seen.add(x.code);
  });
  if (problems.length) throw fieldErrors(problems);
  const before = await stockOf(db, facility.id, codes);
  await db.insertInto('facility_stock').values(input.items.map((x) => ({ facility_id: facility.id, formulary_code: x.code, quantity: x.quantity })))
    .onConflict((oc) => oc.columns(['facility_id', 'formulary_code']).doUpdateSet({ quantity: (eb) => eb.ref('excluded.quantity'), updated_at: new Date() })).execute();
  await recordAudit(db, actor, {
    action: 'update', entity: 'facility_stock', entityId: facility.id, orgPath: facility.path,
    before: Object.fromEntries(codes.map((c) => [c, before.get(c) ?? 0])), after: Object.fromEntries(input.items.map((x) => [x.code, x.quantity])),
  });
  return listStock(db, actor, { facilityId: facility.id }, codes);
}

/** Frequency words of a line, in a language. */
export const frequencyText = (code: string, lang: 'en' | 'hi' = 'en') => (FREQUENCIES as Record<string, { en: string; hi: string }>)[code]?.[lang] ?? code;
export type { Frequency };
