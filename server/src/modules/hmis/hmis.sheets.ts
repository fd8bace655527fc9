// ExcelJS is loaded when a sheet is made or read (it is a large part of the server's start otherwise).
const excel = () => import('exceljs').then((m) => m.default);
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, requireScope, type Actor } from '../../platform/actor.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { parsePeriod } from '../../platform/periods.js';
import { repackStored, unpackZip, XLSX_LIMITS } from '../../platform/archive.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { fromCsv, type RawSet } from './hmis.datavalues.parse.js';
import { dataSetForm } from './hmis.metadata.service.js';

type Db = Kysely<Database>;
export const MAX_SHEET_BYTES = 10 * 1024 * 1024;
const XLSX_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

interface Line { code: string | null; name: string; nameHi: string | null; section: string; combo: string; comboHi: string | null; de: string; coc: string; value: string }

/** The form as rows to fill offline: one per item and option combo, with today's values filled in. */
async function lines(db: Db, actor: Actor, dataSet: string, orgUnit: string, period: string) {
  requirePermission(actor, 'can_submit_data');
  const form = await dataSetForm(db, actor, dataSet);
  const unit = await resolveOrgUnit(db, orgUnit);
  requireScope(actor, unit.path, unit.name);
  const pe = parsePeriod(period);
  if (pe.type !== form.dataSet.periodType) throw badRequest(`Period ${pe.id} is not ${form.dataSet.periodType}`, 'अवधि का प्रकार मेल नहीं खाता', { field: 'period' });
  const existing = await db.selectFrom('hmis_data_values').select(['data_element_id', 'coc_id', 'value']).where('org_unit_id', '=', unit.id).where('period', '=', pe.id).execute();
  const have = new Map(existing.map((v) => [`${v.data_element_id}|${v.coc_id}`, v.value]));
  const out: Line[] = [];
  for (const s of form.sections) for (const e of s.elements) for (const c of e.categoryCombo.categoryOptionCombos) {
    out.push({ code: e.code, name: e.formName, nameHi: e.formNameHi, section: s.name, combo: c.name === 'default' ? '' : c.name, comboHi: c.name === 'default' ? '' : c.nameHi, de: e.id, coc: c.id, value: have.get(`${e.id}|${c.id}`) ?? '' });
  }
  return { form, unit, period: pe, lines: out };
}

/** CSV template in DHIS2's CSV layout, with the item's code and names in extra columns to read by. */
export async function csvTemplate(db: Db, actor: Actor, q: { dataSet: string; orgUnit: string; period: string }): Promise<string> {
  const t = await lines(db, actor, q.dataSet, q.orgUnit, q.period);
  const cell = (v: string | null) => (v && /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v ?? '');
  const rows = t.lines.map((l) => [l.de, t.period.id, t.unit.id, l.coc, '', l.value, '', '', '', '', l.code, l.name, l.nameHi, l.combo].map(cell).join(','));
  return ['dataelement,period,orgunit,categoryoptioncombo,attributeoptioncombo,value,storedby,lastupdated,comment,followup,code,item,item_hi,disaggregation', ...rows].join('\n') + '\n';
}

/** Excel template: a header naming data set, facility and period, then a row per item to fill in. */
export async function xlsxTemplate(db: Db, actor: Actor, q: { dataSet: string; orgUnit: string; period: string }): Promise<Buffer> {
  const t = await lines(db, actor, q.dataSet, q.orgUnit, q.period);
  const wb = new (await excel()).Workbook();
  wb.creator = 'Swasthya';
  const ws = wb.addWorksheet('Return');
  ws.addRow(['Data set / डेटा सेट', t.form.dataSet.code ?? t.form.dataSet.id, t.form.dataSet.name]);
  ws.addRow(['Facility / संस्थान', t.unit.id, t.unit.name]);
  ws.addRow(['Period / अवधि', t.period.id]);
  ws.addRow([]);
  const header = ws.addRow(['Code / कोड', 'Item', 'मद', 'Disaggregation / वर्गीकरण', 'Value / मान', 'dataElement', 'categoryOptionCombo', 'Section']);
  header.font = { bold: true };
  for (const l of t.lines) ws.addRow([l.code, l.name, l.nameHi, l.comboHi ? `${l.combo} / ${l.comboHi}` : l.combo, l.value === '' ? null : Number.isFinite(Number(l.value)) ? Number(l.value) : l.value, l.de, l.coc, l.section]);
  ws.columns.forEach((c, i) => { c.width = [10, 50, 40, 24, 12, 14, 14, 30][i]; });
  ws.getColumn(6).hidden = true;
  ws.getColumn(7).hidden = true;
  ws.views = [{ state: 'frozen', ySplit: 5 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads a filled template (Excel or CSV), checking what the file really is before trusting it. */
export async function readSheet(body: Buffer): Promise<RawSet[]> {
  if (!body.length) throw badRequest('The file is empty', 'फ़ाइल खाली है');
  if (body.length > MAX_SHEET_BYTES) throw new AppError('payload_too_large', { en: `The file is larger than ${MAX_SHEET_BYTES / 1024 / 1024} MB`, hi: 'फ़ाइल बहुत बड़ी है' });
  if (body.subarray(0, 4).equals(XLSX_MAGIC)) return readXlsx(body);
  if (body.includes(0)) throw new AppError('unsupported_media_type', { en: 'The file is neither an Excel workbook (.xlsx) nor a CSV text file', hi: 'फ़ाइल न तो एक्सेल (.xlsx) है और न ही CSV' });
  // In an offline sheet a blank cell means "not filled in", never "delete what was saved".
  return fromCsv(body.toString('utf8')).map((set) => ({ ...set, dataValues: set.dataValues.filter((v) => v.value !== null && v.value !== '') }));
}

async function readXlsx(body: Buffer): Promise<RawSet[]> {
  // Unpacked within limits (total size, ratio, entries) before ExcelJS sees it: a 1 MB zip bomb that
  // would expand to gigabytes is refused from its central directory, and ExcelJS gets only the
  // entries as checked, stored uncompressed.
  const checked = repackStored(await unpackZip(body, XLSX_LIMITS));
  const wb = new (await excel()).Workbook();
  try {
    await wb.xlsx.load(checked as unknown as ArrayBuffer);
  } catch {
    throw badRequest('The Excel file cannot be opened; save it again as .xlsx', 'एक्सेल फ़ाइल खुल नहीं सकी; इसे .xlsx में फिर से सहेजें');
  }
  const ws = wb.getWorksheet('Return') ?? wb.worksheets[0];
  if (!ws) throw badRequest('The workbook has no sheet', 'वर्कबुक में कोई शीट नहीं है');
  const text = (r: number, c: number) => {
    const v = ws.getRow(r).getCell(c).value as unknown;
    if (v === null || v === undefined) return '';
    if (typeof v === 'object' && v && 'result' in v) return String((v as { result: unknown }).result ?? '');
    if (typeof v === 'object' && v && 'richText' in v) return (v as { richText: { text: string }[] }).richText.map((x) => x.text).join('');
    return String(v).trim();
  };
  const dataSet = text(1, 2);
  const orgUnit = text(2, 2);
  const period = text(3, 2);
  if (!dataSet || !orgUnit || !period) throw badRequest('This is not a Swasthya template: cells B1 (data set), B2 (facility) and B3 (period) must be filled; download the template again', 'यह स्वास्थ्य टेम्पलेट नहीं है; टेम्पलेट फिर से डाउनलोड करें');
  const dataValues = [];
  for (let r = 6; r <= ws.rowCount; r++) {
    const de = text(r, 6);
    const coc = text(r, 7);
    if (!de) continue;
    const value = text(r, 5);
    if (value === '') continue;
    dataValues.push({ dataElement: de, categoryOptionCombo: coc || undefined, value });
  }
  return [{ dataSet, orgUnit, period, dataValues }];
}
