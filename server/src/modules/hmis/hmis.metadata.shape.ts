/**
 * The JSON shape of a DHIS2 metadata payload, checked before anything is looked up or written:
 * every entry of a type's list is an object, and each property Swasthya reads has the JSON type,
 * length and numeric range DHIS2 gives it. DHIS2 refuses a payload it cannot read as a whole, so a
 * payload with any such problem is refused whole (409, status ERROR) with one error report per
 * problem, in DHIS2's words: E4000 (missing or not of the right type), E4001 (too long), E4008
 * (number out of range).
 */
import { SUPPORTED, type ErrorReport, type Klass, type ObjectReport, type TypeReport } from './hmis.metadata.types.js';

const INT_MAX = 2147483647;
type Rule =
  | { kind: 'string'; max?: number }
  | { kind: 'int'; min: number; max: number }
  | { kind: 'boolean' }
  | { kind: 'ref' }
  | { kind: 'refs' }
  | { kind: 'strings' }
  | { kind: 'objects'; item: Record<string, Rule> }
  | { kind: 'object'; item: Record<string, Rule> };

const str = (max?: number): Rule => ({ kind: 'string', max });
const int = (min = 0, max = INT_MAX): Rule => ({ kind: 'int', min, max });
const bool: Rule = { kind: 'boolean' };
const ref: Rule = { kind: 'ref' };
const refs: Rule = { kind: 'refs' };
const side: Rule = { kind: 'object', item: { expression: str(), missingValueStrategy: str(), description: str() } };

/** DHIS2's limits (IdentifiableObject: code 50, name 230, shortName 50) and the types Swasthya reads. */
const RULES: Record<string, Rule> = {
  id: str(), code: str(50), name: str(230), shortName: str(50), formName: str(230), description: str(), instruction: str(),
  valueType: str(), aggregationType: str(), domainType: str(), dataDimensionType: str(), periodType: str(), formType: str(),
  importance: str(), operator: str(), numerator: str(), denominator: str(), openingDate: str(), closedDate: str(), startDate: str(), endDate: str(),
  timelyDays: int(), expiryDays: int(), openFuturePeriods: int(), version: int(), sortOrder: int(-INT_MAX - 1), decimals: int(0, 10),
  factor: int(-INT_MAX - 1),
  zeroIsSignificant: bool, skipTotal: bool, validCompleteOnly: bool, allowCompleteWithComments: bool, ignoreApproval: bool, number: bool, annualized: bool,
  parent: ref, categoryCombo: ref, dataSet: ref, indicatorType: ref,
  categoryOptions: refs, categories: refs, organisationUnits: refs, dataElements: refs, indicators: refs, validationRules: refs,
  facilityTypes: { kind: 'strings' },
  translations: { kind: 'objects', item: { locale: str(), property: str(), value: str() } },
  dataSetElements: { kind: 'objects', item: { dataElement: ref, categoryCombo: ref } },
  leftSide: side, rightSide: side,
};

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'object' ? 'an object' : `${typeof v} ${JSON.stringify(v)}`.slice(0, 60));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function check(value: unknown, rule: Rule, property: string, klass: string, out: ErrorReport[]) {
  if (value === undefined || value === null) return;
  const e = (errorCode: string, message: string) => out.push({ errorCode, message, mainKlass: klass, errorProperty: property, value: typeof value === 'object' ? undefined : String(value).slice(0, 100) });
  switch (rule.kind) {
    case 'string':
      if (typeof value !== 'string') return e('E4000', `Property \`${property}\` must be text, not ${jsonType(value)}`);
      if (rule.max && value.length > rule.max) return e('E4001', `Maximum length of property \`${property}\` is ${rule.max}, but given length was ${value.length}`);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) return e('E4000', `Property \`${property}\` must be a whole number, not ${jsonType(value)}`);
      if (value < rule.min || value > rule.max) return e('E4008', `Allowed range for numeric property \`${property}\` is [${rule.min} to ${rule.max}], but number given was ${value}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') e('E4000', `Property \`${property}\` must be true or false, not ${jsonType(value)}`);
      return;
    case 'ref':
      if (!isObject(value) || (value.id !== undefined && value.id !== null && typeof value.id !== 'string')) e('E4000', `Property \`${property}\` must be a reference like {"id": "…"}, not ${jsonType(value)}`);
      return;
    case 'refs':
    case 'strings':
    case 'objects':
      if (!Array.isArray(value)) return e('E4000', `Property \`${property}\` must be a list, not ${jsonType(value)}`);
      value.forEach((item, i) => {
        if (rule.kind === 'refs') check(item, ref, `${property}[${i}]`, klass, out);
        else if (rule.kind === 'strings') check(item, str(), `${property}[${i}]`, klass, out);
        else if (!isObject(item)) out.push({ errorCode: 'E4000', message: `Property \`${property}[${i}]\` must be an object, not ${jsonType(item)}`, mainKlass: klass, errorProperty: `${property}[${i}]` });
        else for (const [k, r] of Object.entries(rule.item)) check(item[k], r, `${property}[${i}].${k}`, klass, out);
      });
      return;
    case 'object':
      if (!isObject(value)) return e('E4000', `Property \`${property}\` must be an object, not ${jsonType(value)}`);
      for (const [k, r] of Object.entries(rule.item)) check(value[k], r, `${property}.${k}`, klass, out);
  }
}

/** Type reports for every shape problem in the payload; empty when its shape is right. */
export function shapeProblems(payload: Record<string, unknown>): TypeReport[] {
  const reports: TypeReport[] = [];
  for (const klass of SUPPORTED) {
    const list = payload[klass];
    if (list === undefined) continue;
    const objectReports: ObjectReport[] = [];
    if (!Array.isArray(list)) {
      objectReports.push({ klass, uid: null, index: 0, errorReports: [{ errorCode: 'E4000', message: `\`${klass}\` must be a list of objects, not ${jsonType(list)}`, mainKlass: klass, errorProperty: klass }] });
    } else {
      list.forEach((o: unknown, index) => {
        const errorReports: ErrorReport[] = [];
        if (!isObject(o)) errorReports.push({ errorCode: 'E4000', message: `Entry ${index} of \`${klass}\` must be an object, not ${jsonType(o)}`, mainKlass: klass });
        else for (const [property, rule] of Object.entries(RULES)) check(o[property], rule, property, klass, errorReports);
        if (errorReports.length) objectReports.push({ klass, uid: isObject(o) && typeof o.id === 'string' ? o.id : null, index, errorReports });
      });
    }
    if (objectReports.length) {
      const total = Array.isArray(list) ? list.length : 0;
      reports.push({ klass: klass as Klass, stats: { created: 0, updated: 0, deleted: 0, ignored: total, total }, objectReports });
    }
  }
  return reports;
}
