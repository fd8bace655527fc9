/** DHIS2 keeps INTEGER values in a 32-bit signed integer (Java's int), and so do its other integer types. */
export const INT_MIN = -2147483648;
export const INT_MAX = 2147483647;

/**
 * DHIS2's value-type rules for a data value, with the message a person can act on. Integers must fit
 * DHIS2's 32-bit range and numbers must be finite doubles, so that every stored value is also a
 * number analytics can add up.
 */
export function valueProblem(valueType: string, value: string): string | null {
  const num = Number(value);
  // Up to nine digits (most figures) are a number and an integer in range without the patterns.
  const digits = shortDigits(value);
  const isNum = digits || (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(value) && Number.isFinite(num));
  const isInt = digits || (/^[-+]?\d+$/.test(value) && num >= INT_MIN && num <= INT_MAX);
  const range = `from ${INT_MIN} to ${INT_MAX}`;
  switch (valueType) {
    case 'NUMBER': return isNum ? null : 'Value must be a number (finite, as DHIS2 keeps it)';
    case 'INTEGER': return isInt ? null : `Value must be a whole number ${range}`;
    case 'INTEGER_POSITIVE': return isInt && num > 0 ? null : `Value must be a whole number from 1 to ${INT_MAX}`;
    case 'INTEGER_NEGATIVE': return isInt && num < 0 ? null : `Value must be a whole number from ${INT_MIN} to -1`;
    case 'INTEGER_ZERO_OR_POSITIVE': return isInt && num >= 0 ? null : `Value must be a whole number from 0 to ${INT_MAX}`;
    case 'UNIT_INTERVAL': return isNum && num >= 0 && num <= 1 ? null : 'Value must be a number from 0 to 1';
    case 'PERCENTAGE': return isNum && num >= 0 && num <= 100 ? null : 'Value must be a percentage from 0 to 100';
    case 'BOOLEAN': return value === 'true' || value === 'false' ? null : 'Value must be true or false (also accepted: t/f, 1/0, yes/no, y/n)';
    case 'TRUE_ONLY': return value === 'true' ? null : 'Value must be true (also accepted: t, 1, yes, y); leave it out for not true';
    case 'DATE': return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value) ? null : 'Value must be a date as YYYY-MM-DD';
    case 'DATETIME': return Number.isNaN(Date.parse(value)) ? 'Value must be a date and time' : null;
    case 'LETTER': return value.length === 1 ? null : 'Value must be a single letter';
    case 'EMAIL': return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : 'Value must be an e-mail address';
    case 'PHONE_NUMBER': return /^\+?[\d\s-]{6,20}$/.test(value) ? null : 'Value must be a phone number';
    case 'TEXT': return value.length <= 50_000 ? null : 'Text must be at most 50,000 characters';
    default: return value.length <= 50_000 ? null : 'Value is too long';
  }
}

/**
 * DHIS2's spellings of a yes/no value, as its data entry normalises them before checking: for BOOLEAN
 * and TRUE_ONLY, `t`, `y`, `1`, `yes`, `true` (any case) are stored as `true` and `f`, `n`, `0`, `no`,
 * `false` as `false`; anything else is left as sent (and refused by valueProblem). TRUE_ONLY then
 * accepts only `true`.
 */
export function normalizeValue(valueType: string, value: string): string {
  if (valueType !== 'BOOLEAN' && valueType !== 'TRUE_ONLY') return value;
  const lower = value.toLowerCase();
  if (['t', 'y', '1', 'yes', 'true'].includes(lower)) return 'true';
  if (['f', 'n', '0', 'no', 'false'].includes(lower)) return 'false';
  return value;
}

/** One to nine ASCII digits. */
function shortDigits(value: string): boolean {
  if (value.length === 0 || value.length > 9) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

const numericTypes = new Map<string, boolean>();
/** DHIS2's numeric value types: their values are numbers in ADX's value attribute, the others travel in the annotation. */
export function isNumericType(valueType: string): boolean {
  let numeric = numericTypes.get(valueType);
  if (numeric === undefined) numericTypes.set(valueType, numeric = /^(NUMBER|INTEGER.*|UNIT_INTERVAL|PERCENTAGE)$/.test(valueType));
  return numeric;
}

/** The number analytics sum for a value, or null when it is not numeric. */
export function numericValue(valueType: string, value: string): number | null {
  if (valueType === 'BOOLEAN' || valueType === 'TRUE_ONLY') return value === 'true' ? 1 : 0;
  const n = Number(value);
  return isNumericType(valueType) && Number.isFinite(n) ? n : null;
}

export function isZero(valueType: string, value: string): boolean {
  return isNumericType(valueType) && Number(value) === 0;
}
