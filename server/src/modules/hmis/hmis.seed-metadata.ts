/**
 * India's monthly HMIS facility return (MoHFW, revised format 2017-18) as one DHIS2 metadata
 * object, in the same JSON shape and field names DHIS2 exports, so the importer that reads DHIS2
 * metadata reads this too. Every id is stableUid('hmis:<type>:<code>'), the same on every
 * database; DHIS2's four built-in defaults keep their fixed ids. Items, rules and indicators are
 * tables in hmis.seed-items.ts; this file turns them into DHIS2 objects.
 */
import { stableUid } from '../../platform/ids.js';
import { HMIS_SECTIONS, type ComboKey, type HmisItem } from './hmis.seed-items.js';
import { HMIS_INDICATORS, HMIS_RULES } from './hmis.seed-rules.js';

// ---------------------------------------------------------------- DHIS2 shapes (loose)

export interface Dhis2Ref { id: string }
export interface Dhis2Translation { property: string; locale: string; value: string }

/** Fields every identifiable DHIS2 object may carry; other DHIS2 fields pass through. */
export interface Dhis2Identifiable {
  id: string;
  name: string;
  code?: string;
  shortName?: string;
  description?: string;
  translations?: Dhis2Translation[];
  [field: string]: unknown;
}
export interface Dhis2Category extends Dhis2Identifiable { dataDimensionType?: string; categoryOptions: Dhis2Ref[] }
export interface Dhis2CategoryCombo extends Dhis2Identifiable { dataDimensionType?: string; categories: Dhis2Ref[] }
export interface Dhis2CategoryOptionCombo extends Dhis2Identifiable { categoryCombo: Dhis2Ref; categoryOptions: Dhis2Ref[] }
export interface Dhis2DataElement extends Dhis2Identifiable {
  formName?: string;
  valueType: string;
  domainType: string;
  aggregationType: string;
  zeroIsSignificant?: boolean;
  categoryCombo: Dhis2Ref;
}
export interface Dhis2DataSetElement { dataElement: Dhis2Ref; dataSet?: Dhis2Ref; categoryCombo?: Dhis2Ref }
export interface Dhis2DataSet extends Dhis2Identifiable {
  periodType: string;
  timelyDays?: number;
  expiryDays?: number;
  openFuturePeriods?: number;
  formType?: string;
  categoryCombo?: Dhis2Ref;
  dataSetElements: Dhis2DataSetElement[];
  sections?: Dhis2Ref[];
  organisationUnits?: Dhis2Ref[];
}
export interface Dhis2Section extends Dhis2Identifiable { sortOrder: number; dataSet: Dhis2Ref; dataElements: Dhis2Ref[] }
export interface Dhis2ExpressionSide {
  expression: string;
  description?: string;
  missingValueStrategy: 'SKIP_IF_ANY_VALUE_MISSING' | 'SKIP_IF_ALL_VALUES_MISSING' | 'NEVER_SKIP';
  slidingWindow?: boolean;
}
export interface Dhis2ValidationRule extends Dhis2Identifiable {
  operator: string;
  importance?: string;
  periodType: string;
  instruction?: string;
  leftSide: Dhis2ExpressionSide;
  rightSide: Dhis2ExpressionSide;
}
export interface Dhis2ValidationRuleGroup extends Dhis2Identifiable { validationRules: Dhis2Ref[] }
export interface Dhis2IndicatorType extends Dhis2Identifiable { factor: number; number?: boolean }
export interface Dhis2Indicator extends Dhis2Identifiable {
  numerator: string;
  denominator: string;
  numeratorDescription?: string;
  denominatorDescription?: string;
  annualized?: boolean;
  indicatorType: Dhis2Ref;
}

/** A DHIS2 metadata export (/api/metadata): arrays of objects by type; absent types are absent. */
export interface Dhis2Metadata {
  categoryOptions?: Dhis2Identifiable[];
  categories?: Dhis2Category[];
  categoryCombos?: Dhis2CategoryCombo[];
  categoryOptionCombos?: Dhis2CategoryOptionCombo[];
  dataElements?: Dhis2DataElement[];
  dataSets?: Dhis2DataSet[];
  sections?: Dhis2Section[];
  validationRules?: Dhis2ValidationRule[];
  validationRuleGroups?: Dhis2ValidationRuleGroup[];
  indicatorTypes?: Dhis2IndicatorType[];
  indicators?: Dhis2Indicator[];
  [type: string]: unknown;
}

/** The ids DHIS2 ships for its default category model; data values without disaggregation refer to them. */
export const DHIS2_DEFAULT_IDS = {
  categoryOption: 'xYerKDKCefk',
  category: 'GLevLNI9wkl',
  categoryCombo: 'bjDvmb4bfuf',
  categoryOptionCombo: 'HllvX50cXC0',
} as const;

export const HMIS_DATA_SET_CODE = 'HMIS_MONTHLY';

// ---------------------------------------------------------------- category model

const OPTIONS = [
  { code: 'MALE', name: 'Male', hi: 'पुरुष' },
  { code: 'FEMALE', name: 'Female', hi: 'महिला' },
  { code: 'IN_FACILITY', name: 'In facility', hi: 'संस्थान में' },
  { code: 'OUTREACH', name: 'Outreach', hi: 'आउटरीच (क्षेत्र में)' },
  { code: 'CHILD', name: 'Children (<18 years)', hi: 'बच्चे (18 वर्ष से कम)' },
  { code: 'ADULT', name: 'Adults (18+ years)', hi: 'वयस्क (18 वर्ष या अधिक)' },
];
const CATEGORIES = [
  { code: 'SEX', name: 'Sex', hi: 'लिंग', options: ['MALE', 'FEMALE'] },
  { code: 'PLACE_OF_SERVICE', name: 'Place of service', hi: 'सेवा का स्थान', options: ['IN_FACILITY', 'OUTREACH'] },
  { code: 'AGE_GROUP', name: 'Age group (child/adult)', hi: 'आयु वर्ग (बच्चे/वयस्क)', options: ['CHILD', 'ADULT'] },
];
const COMBOS: Record<Exclude<ComboKey, 'default'>, { code: string; name: string; hi: string; categories: string[] }> = {
  sex: { code: 'SEX', name: 'Sex', hi: 'लिंग', categories: ['SEX'] },
  place: { code: 'PLACE_OF_SERVICE', name: 'Place of service', hi: 'सेवा का स्थान', categories: ['PLACE_OF_SERVICE'] },
  sexAge: { code: 'SEX_AGE_GROUP', name: 'Sex and age group', hi: 'लिंग एवं आयु वर्ग', categories: ['SEX', 'AGE_GROUP'] },
};

/** Every combination of one option per category, in category order, as DHIS2 generates them. */
function product(lists: string[][]): string[][] {
  return lists.reduce<string[][]>((acc, list) => acc.flatMap((prefix) => list.map((x) => [...prefix, x])), [[]]);
}

const OPTION = new Map(OPTIONS.map((o) => [o.code, o]));

/** Category option combos by code ('SEX_MALE', 'SEX_AGE_GROUP_FEMALE_ADULT'), with their combo and options. */
const COCS = new Map(
  Object.values(COMBOS).flatMap((combo) =>
    product(combo.categories.map((c) => CATEGORIES.find((x) => x.code === c)!.options)).map((options) => {
      const code = [combo.code, ...options].join('_');
      return [code, {
        code, combo, options,
        name: options.map((o) => OPTION.get(o)!.name).join(', '),
        hi: options.map((o) => OPTION.get(o)!.hi).join(', '),
      }] as const;
    }),
  ),
);

function coc(code: string) {
  const c = COCS.get(code);
  if (!c) throw new Error(`unknown category option combo ${code}`);
  return c;
}

const uidOf = (type: string, code: string) => stableUid(`hmis:${type}:${code}`);
const ref = (id: string): Dhis2Ref => ({ id });

function hindi(name: string, shortName?: string, formName?: string, extra: Record<string, string | undefined> = {}): Dhis2Translation[] {
  const t: Dhis2Translation[] = [{ property: 'NAME', locale: 'hi', value: name }];
  if (shortName) t.push({ property: 'SHORT_NAME', locale: 'hi', value: shortName });
  if (formName) t.push({ property: 'FORM_NAME', locale: 'hi', value: formName });
  for (const [property, value] of Object.entries(extra)) if (value) t.push({ property, locale: 'hi', value });
  return t;
}

interface CategoryModel {
  categoryOptions: Dhis2Identifiable[];
  categories: Dhis2Category[];
  categoryCombos: Dhis2CategoryCombo[];
  categoryOptionCombos: Dhis2CategoryOptionCombo[];
  comboId: (key: ComboKey) => string;
}

function buildCategoryModel(): CategoryModel {
  const D = DHIS2_DEFAULT_IDS;
  const def = { code: 'default', name: 'default', shortName: 'default', translations: hindi('डिफ़ॉल्ट', 'डिफ़ॉल्ट') };

  const categoryOptions: Dhis2Identifiable[] = [
    { id: D.categoryOption, ...def },
    ...OPTIONS.map((o) => ({ id: uidOf('categoryOption', o.code), code: o.code, name: o.name, shortName: o.name, translations: hindi(o.hi, o.hi) })),
  ];
  const categories: Dhis2Category[] = [
    { id: D.category, ...def, dataDimensionType: 'DISAGGREGATION', dataDimension: false, categoryOptions: [ref(D.categoryOption)] },
    ...CATEGORIES.map((c) => ({
      id: uidOf('category', c.code), code: c.code, name: c.name, shortName: c.name, translations: hindi(c.hi, c.hi),
      dataDimensionType: 'DISAGGREGATION', dataDimension: true,
      categoryOptions: c.options.map((o) => ref(uidOf('categoryOption', o))),
    })),
  ];
  const categoryCombos: Dhis2CategoryCombo[] = [
    { id: D.categoryCombo, ...def, dataDimensionType: 'DISAGGREGATION', skipTotal: false, categories: [ref(D.category)] },
  ];
  const categoryOptionCombos: Dhis2CategoryOptionCombo[] = [
    { id: D.categoryOptionCombo, ...def, ignoreApproval: false, categoryCombo: ref(D.categoryCombo), categoryOptions: [ref(D.categoryOption)] },
  ];
  for (const combo of Object.values(COMBOS)) {
    categoryCombos.push({
      id: uidOf('categoryCombo', combo.code), code: combo.code, name: combo.name, shortName: combo.name, translations: hindi(combo.hi, combo.hi),
      dataDimensionType: 'DISAGGREGATION', skipTotal: false, categories: combo.categories.map((c) => ref(uidOf('category', c))),
    });
  }
  for (const c of COCS.values()) {
    categoryOptionCombos.push({
      id: uidOf('categoryOptionCombo', c.code), code: c.code, name: c.name, shortName: c.name, translations: hindi(c.hi, c.hi),
      ignoreApproval: false, categoryCombo: ref(uidOf('categoryCombo', c.combo.code)),
      categoryOptions: c.options.map((o) => ref(uidOf('categoryOption', o))),
    });
  }
  const comboId = (key: ComboKey) => (key === 'default' ? D.categoryCombo : uidOf('categoryCombo', COMBOS[key].code));
  return { categoryOptions, categories, categoryCombos, categoryOptionCombos, comboId };
}

// ---------------------------------------------------------------- data elements, data set, sections

const deId = (code: string) => uidOf('dataElement', code);
const ITEMS: HmisItem[] = HMIS_SECTIONS.flatMap((s) => s.items);

function buildDataElement(item: HmisItem, comboId: (k: ComboKey) => string): Dhis2DataElement {
  const rows = item.rows ? Object.entries(item.rows) : [];
  const description = rows.length
    ? `HMIS form rows: ${rows.map(([c, row]) => `${row} = ${coc(c).name}`).join('; ')}.`
    : item.combo === 'place'
      ? `HMIS item ${item.code}; the form's single figure is the sum of In facility and Outreach.`
      : undefined;
  return {
    id: deId(item.code),
    code: item.code,
    name: `HMIS ${item.code} ${item.form}`,
    shortName: `${item.code} ${item.short}`,
    formName: item.form,
    ...(description ? { description } : {}),
    valueType: 'INTEGER_ZERO_OR_POSITIVE',
    domainType: 'AGGREGATE',
    aggregationType: 'SUM',
    zeroIsSignificant: item.zero === true,
    categoryCombo: ref(comboId(item.combo ?? 'default')),
    translations: hindi(`एचएमआईएस ${item.code} ${item.hiForm}`, `${item.code} ${item.hiShort}`, item.hiForm),
  };
}

function buildDataSetAndSections(): { dataSet: Dhis2DataSet; sections: Dhis2Section[] } {
  const dsId = uidOf('dataSet', HMIS_DATA_SET_CODE);
  const sections: Dhis2Section[] = HMIS_SECTIONS.map((s, n) => {
    const name = `${s.code} ${s.name}`;
    const hi = `${s.code} ${s.hi}`;
    return {
      id: uidOf('section', `HMIS_${s.code}`),
      code: `HMIS_${s.code}`,
      name,
      shortName: s.short ?? name,
      sortOrder: n + 1,
      dataSet: ref(dsId),
      dataElements: s.items.map((it) => ref(deId(it.code))),
      translations: hindi(hi, s.hiShort ?? hi),
    };
  });
  const dataSet: Dhis2DataSet = {
    id: dsId,
    code: HMIS_DATA_SET_CODE,
    name: 'HMIS Monthly Facility Report',
    shortName: 'HMIS Monthly Facility Report',
    description: "India's monthly HMIS service delivery return (MoHFW revised format 2017-18), due by the 5th of the following month.",
    periodType: 'Monthly',
    timelyDays: 5,
    expiryDays: 30,
    openFuturePeriods: 0,
    formType: 'SECTION',
    categoryCombo: ref(DHIS2_DEFAULT_IDS.categoryCombo),
    // A return whose validation rules fail cannot be completed (see docs/hmis.md).
    validCompleteOnly: true,
    compulsoryFieldsCompleteOnly: false,
    dataSetElements: ITEMS.map((it) => ({ dataSet: ref(dsId), dataElement: ref(deId(it.code)) })),
    sections: sections.map((s) => ref(s.id)),
    // No organisationUnits key: each state assigns its facilities, and re-importing the seed must not clear them.
    translations: hindi('एचएमआईएस मासिक संस्थान रिपोर्ट', 'एचएमआईएस मासिक संस्थान रिपोर्ट', undefined, {
      DESCRIPTION: 'भारत की मासिक एचएमआईएस सेवा रिपोर्ट (स्वास्थ्य एवं परिवार कल्याण मंत्रालय, संशोधित प्रारूप 2017-18), अगले माह की 5 तारीख तक जमा करें।',
    }),
  };
  return { dataSet, sections };
}

// ---------------------------------------------------------------- expressions, rules, indicators

const itemByCode = new Map(ITEMS.map((it) => [it.code, it]));

function parseTerm(t: string) {
  const [code, cocCode] = t.split('@');
  const item = itemByCode.get(code);
  if (!item) throw new Error(`HMIS expression refers to unknown item ${code}`);
  const c = cocCode ? coc(cocCode) : undefined;
  if (c && (!item.combo || item.combo === 'default' || COMBOS[item.combo] !== c.combo)) {
    throw new Error(`${cocCode} is not a disaggregation of item ${code}`);
  }
  return { item, coc: c };
}
/** '1.1' -> '#{deUid}' (all disaggregations summed); '7.2@SEX_MALE' -> '#{deUid.cocUid}'. */
const expression = (terms: string[]) =>
  terms.map(parseTerm).map(({ item, coc: c }) => `#{${deId(item.code)}${c ? `.${uidOf('categoryOptionCombo', c.code)}` : ''}}`).join(' + ');
const describe = (terms: string[]) =>
  terms.map(parseTerm).map(({ item, coc: c }) => `${item.code} ${item.short}${c ? ` (${c.name})` : ''}`).join(' + ');
const shortTerms = (terms: string[]) =>
  terms.map(parseTerm).map(({ item, coc: c }) => `${item.code}${c ? ` ${c.name.toLowerCase()}` : ''}`).join(' + ');

function buildValidationRules(): Dhis2ValidationRule[] {
  return HMIS_RULES.map((rule) => ({
    id: uidOf('validationRule', rule.code),
    code: rule.code,
    name: `HMIS ${rule.name}`,
    shortName: `${shortTerms(rule.left)} <= ${shortTerms(rule.right)}`,
    description: rule.instruction,
    instruction: rule.instruction,
    importance: 'MEDIUM',
    operator: 'less_than_or_equal_to',
    periodType: 'Monthly',
    // Nothing to check when the sub-item is not reported; a reported sub-item with a missing total is an error.
    leftSide: {
      expression: expression(rule.left),
      description: describe(rule.left),
      missingValueStrategy: rule.left.length === 1 ? 'SKIP_IF_ANY_VALUE_MISSING' : 'NEVER_SKIP',
      slidingWindow: false,
    },
    rightSide: { expression: expression(rule.right), description: describe(rule.right), missingValueStrategy: 'NEVER_SKIP', slidingWindow: false },
    translations: hindi(`एचएमआईएस ${rule.hiName}`, undefined, undefined, { INSTRUCTION: rule.hiInstruction, DESCRIPTION: rule.hiInstruction }),
  }));
}

function buildIndicators(): { indicatorTypes: Dhis2IndicatorType[]; indicators: Dhis2Indicator[] } {
  const percent: Dhis2IndicatorType = {
    id: uidOf('indicatorType', 'PERCENT'), code: 'PERCENT', name: 'Percent', shortName: 'Percent',
    factor: 100, number: false, translations: hindi('प्रतिशत', 'प्रतिशत'),
  };
  const indicators = HMIS_INDICATORS.map((ind) => ({
    id: uidOf('indicator', ind.code),
    code: ind.code,
    name: `HMIS ${ind.name}`,
    shortName: ind.short,
    description: `${ind.numeratorDescription} / ${ind.denominatorDescription} x 100`,
    numerator: expression(ind.numerator),
    numeratorDescription: ind.numeratorDescription,
    denominator: expression(ind.denominator),
    denominatorDescription: ind.denominatorDescription,
    annualized: false,
    indicatorType: ref(percent.id),
    translations: hindi(`एचएमआईएस ${ind.hi}`, ind.hiShort),
  }));
  return { indicatorTypes: [percent], indicators };
}

// ---------------------------------------------------------------- public

/** The India HMIS monthly return as DHIS2 metadata; deterministic, so importing it twice changes nothing. */
export function indiaHmisMetadata(): Dhis2Metadata {
  const cats = buildCategoryModel();
  const { dataSet, sections } = buildDataSetAndSections();
  const validationRules = buildValidationRules();
  const { indicatorTypes, indicators } = buildIndicators();
  return {
    categoryOptions: cats.categoryOptions,
    categories: cats.categories,
    categoryCombos: cats.categoryCombos,
    categoryOptionCombos: cats.categoryOptionCombos,
    dataElements: ITEMS.map((it) => buildDataElement(it, cats.comboId)),
    dataSets: [dataSet],
    sections,
    validationRules,
    validationRuleGroups: [{
      id: uidOf('validationRuleGroup', HMIS_DATA_SET_CODE),
      code: HMIS_DATA_SET_CODE,
      name: 'HMIS Monthly Facility Report checks',
      shortName: 'HMIS monthly checks',
      validationRules: validationRules.map((v) => ref(v.id)),
      translations: hindi('एचएमआईएस मासिक संस्थान रिपोर्ट की जाँचें', 'एचएमआईएस मासिक जाँचें'),
    }],
    indicatorTypes,
    indicators,
  };
}

/**
 * Where each row of the paper/portal HMIS form lands: item-wise HMIS figures (e.g. 4.1.1.a) map to a
 * data element code and category option combo code ('default' for undisaggregated items); null
 * means the form row is the total over the element's disaggregations (the place-of-service split).
 */
export function hmisFormRows(): { row: string; dataElement: string; categoryOptionCombo: string | null }[] {
  return ITEMS.flatMap((it) =>
    it.rows
      ? Object.entries(it.rows).map(([c, row]) => ({ row, dataElement: it.code, categoryOptionCombo: c }))
      : [{ row: it.code, dataElement: it.code, categoryOptionCombo: !it.combo || it.combo === 'default' ? 'default' : null }],
  );
}
