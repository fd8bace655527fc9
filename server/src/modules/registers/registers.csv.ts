// The family register extract's CSV layout (docs/registers.md): one row per member, header names as
// below in any order and case. Each row is checked on its own here; rules across rows (one head per
// family, a member once) and the places (villages by LGD code) are checked by the import.
import { parse } from 'csv-parse/sync';
import { parseAbhaNumber, normaliseMobile } from '../patients/patients.identity.js';
import { RELATIONS } from '../patients/patients.families.js';

export const COLUMNS = ['family_id', 'member_id', 'name', 'name_hi', 'relation', 'sex', 'birth_year', 'birth_date', 'village_lgd', 'village_id', 'category', 'abha_number', 'mobile'] as const;
type Column = (typeof COLUMNS)[number];

export interface Refusal { line: number; field: string; reason: string; reasonHi: string }

export interface RegisterRow {
  line: number;
  familyId: string;
  memberId: string;
  name: string;
  nameHi: string | null;
  relation: string;
  sex: 'male' | 'female' | 'other';
  birthYear: number;
  birthDate: string | null;
  villageLgd: number | null;
  villageId: string | null;
  category: string | null;
  abhaNumber: string | null;
  mobile: string | null;
}

const SEX: Record<string, 'male' | 'female' | 'other'> = {
  m: 'male', male: 'male', f: 'female', female: 'female', o: 'other', other: 'other', t: 'other',
  'पुरुष': 'male', 'पु': 'male', 'महिला': 'female', 'स्त्री': 'female', 'म': 'female', 'अन्य': 'other',
};
/** Words registers use for the relation to the head, beside Swasthya's own list. */
const RELATION_WORDS: Record<string, string> = {
  self: 'head', wife: 'spouse', husband: 'spouse', son: 'son', daughter: 'daughter', 'daughter-in-law': 'daughter_in_law', 'son-in-law': 'son_in_law',
  'स्वयं': 'head', 'मुखिया': 'head', 'पत्नी': 'spouse', 'पति': 'spouse', 'पुत्र': 'son', 'बेटा': 'son', 'पुत्री': 'daughter', 'बेटी': 'daughter',
  'पिता': 'father', 'माता': 'mother', 'भाई': 'brother', 'बहन': 'sister', 'बहू': 'daughter_in_law', 'दामाद': 'son_in_law', 'पोता': 'grandson', 'पोती': 'granddaughter',
};
const ID = /^[A-Za-z0-9][A-Za-z0-9/_-]{0,39}$/;

export class CsvFileError extends Error {}

/** The header row read, or a file-level error naming what is missing. */
export function readRegisterCsv(text: string, thisYear = new Date().getUTCFullYear()): { rows: RegisterRow[]; refused: Refusal[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    throw new CsvFileError(`the file is not CSV: ${(e as Error).message}`);
  }
  if (!records.length) throw new CsvFileError('the file is empty; the first row names the columns (docs/registers.md)');
  const header = records[0].map((h) => h.toLowerCase().replace(/[\s-]+/g, '_'));
  const at = new Map<Column, number>();
  header.forEach((h, i) => { if ((COLUMNS as readonly string[]).includes(h)) at.set(h as Column, i); });
  const missing = ['family_id', 'member_id', 'relation', 'sex'].filter((c) => !at.has(c as Column));
  if (!at.has('name') && !at.has('name_hi')) missing.push('name or name_hi');
  if (!at.has('birth_year') && !at.has('birth_date')) missing.push('birth_year or birth_date');
  if (!at.has('village_lgd') && !at.has('village_id')) missing.push('village_lgd or village_id');
  if (missing.length) throw new CsvFileError(`the header row lacks ${missing.join(', ')}; the columns are ${COLUMNS.join(', ')} (docs/registers.md)`);
  const rows: RegisterRow[] = [];
  const refused: Refusal[] = [];
  records.slice(1).forEach((rec, i) => {
    const line = i + 2;
    const get = (c: Column) => (at.has(c) ? (rec[at.get(c)!] ?? '').trim() : '');
    const before = refused.length;
    const no = (field: string, reason: string, reasonHi: string) => refused.push({ line, field, reason, reasonHi });
    const familyId = get('family_id').toUpperCase();
    const memberId = get('member_id').toUpperCase();
    if (!ID.test(familyId)) no('family_id', `family_id "${familyId}" must be 1 to 40 letters, digits, / _ or -`, `family_id "${familyId}" में 1 से 40 अक्षर, अंक, / _ या - हों`);
    if (!ID.test(memberId)) no('member_id', `member_id "${memberId}" must be 1 to 40 letters, digits, / _ or -`, `member_id "${memberId}" में 1 से 40 अक्षर, अंक, / _ या - हों`);
    const name = get('name');
    const nameHi = get('name_hi');
    if (!name && !nameHi) no('name', 'the member has no name: fill name (English) or name_hi (Devanagari)', 'सदस्य का नाम नहीं है: name (अंग्रेज़ी) या name_hi (देवनागरी) भरें');
    if (name.length > 200 || nameHi.length > 200) no('name', 'a name is at most 200 characters', 'नाम अधिकतम 200 अक्षर का हो');
    const relWord = get('relation').toLowerCase().replace(/\s+/g, '_');
    const relation = (RELATIONS as readonly string[]).includes(relWord) ? relWord : RELATION_WORDS[relWord.replace(/_/g, '-')] ?? RELATION_WORDS[relWord];
    if (!relation) no('relation', `relation "${get('relation')}" is not known; use one of ${RELATIONS.join(', ')}`, `संबंध "${get('relation')}" पहचाना नहीं गया; इनमें से लिखें: ${RELATIONS.join(', ')}`);
    const sex = SEX[get('sex').toLowerCase()];
    if (!sex) no('sex', `sex "${get('sex')}" must be M, F or O (male, female, other)`, `लिंग "${get('sex')}" M, F या O (पुरुष, महिला, अन्य) हो`);
    let birthDate: string | null = null;
    let birthYear = NaN;
    const bd = get('birth_date');
    if (bd) {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(bd);
      const dmy = /^(\d{2})[/.-](\d{2})[/.-](\d{4})$/.exec(bd);
      const iso = m ? bd : dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}` : null;
      const d = iso ? new Date(`${iso}T00:00:00Z`) : null;
      if (!iso || !d || Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== iso) no('birth_date', `birth_date "${bd}" is not a date; write YYYY-MM-DD or DD/MM/YYYY`, `birth_date "${bd}" तारीख नहीं है; YYYY-MM-DD या DD/MM/YYYY लिखें`);
      else { birthDate = iso; birthYear = d.getUTCFullYear(); }
    }
    const by = get('birth_year');
    if (by) {
      if (!/^\d{4}$/.test(by)) no('birth_year', `birth_year "${by}" must be a year of four digits, like 1984`, `birth_year "${by}" चार अंकों का वर्ष हो, जैसे 1984`);
      else if (birthDate && Number(by) !== birthYear) no('birth_year', `birth_year ${by} and birth_date ${birthDate} disagree; keep one`, `birth_year ${by} और birth_date ${birthDate} मेल नहीं खाते; एक रखें`);
      else birthYear = Number(by);
    }
    if (!by && !bd) no('birth_year', 'the member has no birth_year or birth_date; fill one', 'सदस्य का birth_year या birth_date नहीं है; एक भरें');
    else if (Number.isFinite(birthYear) && (birthYear < thisYear - 120 || birthYear > thisYear)) no('birth_year', `birth year ${birthYear} is not between ${thisYear - 120} and ${thisYear}`, `जन्म वर्ष ${birthYear}, ${thisYear - 120} और ${thisYear} के बीच नहीं है`);
    const vl = get('village_lgd');
    const vi = get('village_id');
    if (vl && !/^\d{1,8}$/.test(vl)) no('village_lgd', `village_lgd "${vl}" must be the village's (or ward's) LGD code, digits only`, `village_lgd "${vl}" गाँव (या वार्ड) का LGD कोड हो, केवल अंक`);
    if (!vl && !vi) no('village_lgd', 'the member has no village: fill village_lgd (the LGD code)', 'सदस्य का गाँव नहीं है: village_lgd (LGD कोड) भरें');
    let abha: string | null = null;
    if (get('abha_number')) {
      const a = parseAbhaNumber(get('abha_number'));
      if (!a.ok) no('abha_number', a.message, a.messageHi);
      else abha = a.digits;
    }
    let mobile: string | null = null;
    if (get('mobile')) {
      const m = normaliseMobile(get('mobile'));
      if (!m.ok) no('mobile', m.message, m.messageHi);
      else mobile = m.mobile;
    }
    const category = get('category').toLowerCase() || null;
    if (category && category.length > 40) no('category', 'category is at most 40 characters', 'category अधिकतम 40 अक्षर की हो');
    if (refused.length > before) return;
    rows.push({
      line, familyId, memberId, name: name || nameHi, nameHi: nameHi || null, relation: relation!, sex: sex!, birthYear, birthDate,
      villageLgd: vl ? Number(vl) : null, villageId: vi || null, category, abhaNumber: abha, mobile,
    });
  });
  return { rows, refused };
}
