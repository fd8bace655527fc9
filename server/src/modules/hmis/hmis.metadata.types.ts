/** DHIS2 metadata JSON as it arrives (loosely typed: DHIS2 objects carry many fields we ignore). */
export type Ref = { id?: string } | null | undefined;
export type Obj = Record<string, any> & { id?: string; code?: string; name?: string };
export type Dhis2Metadata = Record<string, Obj[] | unknown>;

export interface ErrorReport { errorCode: string; message: string; mainKlass: string; errorProperty?: string; value?: string }
export interface ObjectReport { klass: string; uid: string | null; index: number; errorReports: ErrorReport[] }
export interface Stats { created: number; updated: number; deleted: number; ignored: number; total: number }
export interface TypeReport { klass: string; stats: Stats; objectReports: ObjectReport[] }
export interface MetadataImportReport {
  status: 'OK' | 'WARNING' | 'ERROR';
  importParams: { dryRun: boolean; importStrategy: string; atomicMode: string };
  stats: Stats;
  typeReports: TypeReport[];
  warnings: string[];
}

/** The object types Swasthya stores, in the order they must be written (references first). */
export const SUPPORTED = [
  'organisationUnits', 'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'dataElements',
  'dataSets', 'sections', 'validationRules', 'indicatorTypes', 'indicators', 'dataElementGroups', 'indicatorGroups', 'validationRuleGroups',
] as const;
export type Klass = (typeof SUPPORTED)[number];

/** Keys of a DHIS2 metadata export that are not objects to import. */
export const NOT_OBJECTS = new Set(['system', 'date', 'version']);

export const VALUE_TYPES = [
  'TEXT', 'LONG_TEXT', 'LETTER', 'PHONE_NUMBER', 'EMAIL', 'BOOLEAN', 'TRUE_ONLY', 'DATE', 'DATETIME', 'TIME', 'NUMBER',
  'UNIT_INTERVAL', 'PERCENTAGE', 'INTEGER', 'INTEGER_POSITIVE', 'INTEGER_NEGATIVE', 'INTEGER_ZERO_OR_POSITIVE', 'USERNAME',
  'COORDINATE', 'ORGANISATION_UNIT', 'AGE', 'URL', 'FILE_RESOURCE', 'IMAGE',
];
export const OPERATORS = ['equal_to', 'not_equal_to', 'greater_than', 'greater_than_or_equal_to', 'less_than', 'less_than_or_equal_to', 'compulsory_pair', 'exclusive_pair'];
export const MISSING_VALUE_STRATEGIES = ['SKIP_IF_ANY_VALUE_MISSING', 'SKIP_IF_ALL_VALUES_MISSING', 'NEVER_SKIP'];

/** DHIS2's built-in "default" category model, under DHIS2's own ids, so payloads import unchanged. */
export const DEFAULTS = {
  categoryOption: 'xYerKDKCefk',
  category: 'GLevLNI9wkl',
  categoryCombo: 'bjDvmb4bfuf',
  categoryOptionCombo: 'HllvX50cXC0',
} as const;
