/**
 * Indian health identifiers, checked before anything is stored: the ABHA number and ABHA address of the
 * Ayushman Bharat Digital Mission (ABDM), the Aadhaar number (only its last four digits are ever kept),
 * the RCH-style pregnancy registration number and Indian mobile numbers.
 *
 * Pure functions, no I/O. Parsers never throw on bad input: they return `{ ok: false, message, messageHi }`
 * with a message in English and in Hindi that tells the person what to type instead (`requireMobile`,
 * for request handlers, turns that into a 400). Devanagari digits
 * (०–९) are read as ASCII digits, because Hindi keyboards type them.
 */
import { fieldErrors } from '../../platform/errors.js';

/** A refusal a person can act on, in English and Hindi. */
export interface IdentityProblem { ok: false; message: string; messageHi: string }

/** A parsed ABHA number; `luhnValid: false` is a warning for the caller, not a refusal. */
export type AbhaNumberResult = { ok: true; digits: string; formatted: string; luhnValid: boolean } | IdentityProblem;
/** A parsed ABHA address, lower-cased, always ending in `@abdm` (or the sandbox `@sbx`). */
export type AbhaAddressResult = { ok: true; address: string } | IdentityProblem;
/** A checked Aadhaar number: only the last four digits come back. */
export type AadhaarResult = { ok: true; last4: string } | IdentityProblem;
/** A normalised Indian mobile number: ten digits, no prefix. */
export type MobileResult = { ok: true; mobile: string } | IdentityProblem;

const ABHA_NUMBER_EXAMPLE = '91-1234-5678-9012';
const ABHA_ADDRESS_EXAMPLE = 'ramesh.kumar@abdm';
const ABHA_DOMAINS = ['abdm', 'sbx'];
const ABHA_USER_MIN = 8;
const ABHA_USER_MAX = 18;

const refuse = (message: string, messageHi: string): IdentityProblem => ({ ok: false, message, messageHi });

// ---------------------------------------------------------------- small text helpers
const DEVANAGARI_DIGIT = /[\u0966-\u096F]/g;
/** Replaces Devanagari digits (०–९) with ASCII ones. */
const asciiDigits = (s: string) => s.replace(DEVANAGARI_DIGIT, (d) => String(d.charCodeAt(0) - 0x0966));
const onlyDigits = (s: string) => s.replace(/\D/g, '');
const isDigits = (s: string) => /^\d+$/.test(s);
/** The distinct characters of `s` that are not allowed, quoted for a message: `"a", "/"`. */
function quoteBad(s: string, allowed: RegExp): string {
  const bad = [...new Set([...s].filter((ch) => !allowed.test(ch)))];
  return bad.map((ch) => `"${ch}"`).join(', ');
}
const digitWord = (n: number) => (n === 1 ? 'digit' : 'digits');

// ---------------------------------------------------------------- Luhn (mod 10)
/** Luhn sum of `digits`: every second digit from the right is doubled, starting with the rightmost when `doubleRightmost`. */
function luhnSum(digits: string, doubleRightmost: boolean): number {
  let sum = 0;
  for (let i = digits.length - 1, double = doubleRightmost; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum;
}

/** True when `digits` (check digit last) passes the Luhn mod-10 check; false for empty or non-digit input. */
export function luhnValid(digits: string): boolean {
  return digits.length > 1 && isDigits(digits) && luhnSum(digits, false) % 10 === 0;
}

/** The Luhn check digit to append to `digits`; throws on empty or non-digit input, which is a programming error. */
export function luhnCheckDigit(digits: string): number {
  if (!digits || !isDigits(digits)) throw new RangeError(`luhnCheckDigit needs digits, got ${JSON.stringify(digits)}`);
  return (10 - (luhnSum(digits, true) % 10)) % 10;
}

// ---------------------------------------------------------------- Verhoeff (dihedral group D5)
const VERHOEFF_D = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

/** Runs the Verhoeff checksum over `digits`, with positions shifted by `offset` (1 when a check digit is still to come). */
function verhoeffState(digits: string, offset: number): number {
  let c = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = digits.charCodeAt(digits.length - 1 - i) - 48;
    c = VERHOEFF_D[c][VERHOEFF_P[(i + offset) % 8][d]];
  }
  return c;
}

/** The Verhoeff check digit to append to `digits`; throws on empty or non-digit input, which is a programming error. */
export function verhoeffCheckDigit(digits: string): number {
  if (!digits || !isDigits(digits)) throw new RangeError(`verhoeffCheckDigit needs digits, got ${JSON.stringify(digits)}`);
  return VERHOEFF_INV[verhoeffState(digits, 1)];
}

/** True when `digits` (check digit last) passes the Verhoeff check; false for empty or non-digit input. */
export function verhoeffValid(digits: string): boolean {
  return digits.length > 1 && isDigits(digits) && verhoeffState(digits, 0) === 0;
}

// ---------------------------------------------------------------- ABHA number
/** Parses a 14-digit ABHA number typed with or without hyphens/spaces in 2-4-4-4 groups. */
export function parseAbhaNumber(input: string): AbhaNumberResult {
  const text = asciiDigits(String(input ?? '')).trim().replace(/\s*-\s*/g, '-').replace(/\s+/g, ' ');
  if (!text) {
    return refuse(`Enter the 14-digit ABHA number, like ${ABHA_NUMBER_EXAMPLE}`,
      `14 अंकों का आभा नंबर लिखें, जैसे ${ABHA_NUMBER_EXAMPLE}`);
  }
  if (text.includes('@')) {
    return refuse(`This looks like an ABHA address (${ABHA_ADDRESS_EXAMPLE}); enter it as the ABHA address, or enter the 14-digit ABHA number here, like ${ABHA_NUMBER_EXAMPLE}`,
      `यह आभा एड्रेस (${ABHA_ADDRESS_EXAMPLE}) लगता है; इसे आभा एड्रेस वाली जगह पर लिखें, या यहाँ 14 अंकों का आभा नंबर लिखें, जैसे ${ABHA_NUMBER_EXAMPLE}`);
  }
  if (!/^[\d -]+$/.test(text)) {
    const bad = quoteBad(text, /[\d -]/);
    return refuse(`ABHA number has only digits, with hyphens or spaces between the groups, like ${ABHA_NUMBER_EXAMPLE}; remove ${bad}`,
      `आभा नंबर में केवल अंक होते हैं (समूहों के बीच - या खाली जगह), जैसे ${ABHA_NUMBER_EXAMPLE}; ${bad} हटाएँ`);
  }
  const digits = onlyDigits(text);
  if (digits.length !== 14) {
    return refuse(`ABHA number has 14 digits, like ${ABHA_NUMBER_EXAMPLE}; this has ${digits.length}`,
      `आभा नंबर में 14 अंक होते हैं, जैसे ${ABHA_NUMBER_EXAMPLE}; इसमें ${digits.length} हैं`);
  }
  if (text !== digits && !/^\d{2}[- ]\d{4}[- ]\d{4}[- ]\d{4}$/.test(text)) {
    return refuse(`ABHA number is grouped 2-4-4-4, like ${ABHA_NUMBER_EXAMPLE}; type it that way, or as 14 digits without hyphens or spaces`,
      `आभा नंबर 2-4-4-4 अंकों के समूहों में लिखा जाता है, जैसे ${ABHA_NUMBER_EXAMPLE}; ऐसे ही लिखें, या बिना - और खाली जगह के 14 अंक लिखें`);
  }
  const formatted = `${digits.slice(0, 2)}-${digits.slice(2, 6)}-${digits.slice(6, 10)}-${digits.slice(10)}`;
  return { ok: true, digits, formatted, luhnValid: luhnValid(digits) };
}

// ---------------------------------------------------------------- ABHA address
/** Parses an ABHA address (`name@abdm`): lower-cases it, adds `@abdm` when missing, keeps the sandbox `@sbx`. */
export function parseAbhaAddress(input: string): AbhaAddressResult {
  const text = String(input ?? '').trim().toLowerCase();
  if (!text) {
    return refuse(`Enter the ABHA address, like ${ABHA_ADDRESS_EXAMPLE}`, `आभा एड्रेस लिखें, जैसे ${ABHA_ADDRESS_EXAMPLE}`);
  }
  if (/\s/.test(text)) {
    return refuse(`ABHA address has no spaces, like ${ABHA_ADDRESS_EXAMPLE}; remove the spaces`,
      `आभा एड्रेस में खाली जगह नहीं होती, जैसे ${ABHA_ADDRESS_EXAMPLE}; खाली जगह हटाएँ`);
  }
  const parts = text.split('@');
  if (parts.length > 2) {
    return refuse(`ABHA address has only one @, like ${ABHA_ADDRESS_EXAMPLE}; this has ${parts.length - 1}`,
      `आभा एड्रेस में केवल एक @ होता है, जैसे ${ABHA_ADDRESS_EXAMPLE}; इसमें ${parts.length - 1} हैं`);
  }
  const [user, domain = 'abdm'] = parts;
  if (!ABHA_DOMAINS.includes(domain)) {
    return refuse(`ABHA address ends in @abdm, like ${ABHA_ADDRESS_EXAMPLE}; "@${domain}" is not an ABHA address (an e-mail address will not do)`,
      `आभा एड्रेस के अंत में @abdm होता है, जैसे ${ABHA_ADDRESS_EXAMPLE}; "@${domain}" आभा एड्रेस नहीं है (ई-मेल पता नहीं चलेगा)`);
  }
  const problem = abhaUserProblem(user, domain);
  return problem ?? { ok: true, address: `${user}@${domain}` };
}

/** Why the part of an ABHA address before the @ breaks the ABDM rules, or null when it keeps them. */
function abhaUserProblem(user: string, domain: string): IdentityProblem | null {
  const at = `@${domain}`;
  if (!user) {
    return refuse(`Write the name part before ${at}, like ${ABHA_ADDRESS_EXAMPLE}`,
      `${at} से पहले वाला नाम का हिस्सा लिखें, जैसे ${ABHA_ADDRESS_EXAMPLE}`);
  }
  if (!/^[a-z0-9._]+$/.test(user)) {
    const bad = quoteBad(user, /[a-z0-9._]/);
    return refuse(`ABHA address can have only English letters, digits, one dot (.) and one underscore (_) before ${at}; remove ${bad}`,
      `आभा एड्रेस में ${at} से पहले केवल अंग्रेज़ी अक्षर, अंक, एक बिंदु (.) और एक अंडरस्कोर (_) हो सकते हैं; ${bad} हटाएँ`);
  }
  if (user.length < ABHA_USER_MIN || user.length > ABHA_USER_MAX) {
    const fix = user.length < ABHA_USER_MIN ? 'add letters or digits' : 'shorten it';
    const fixHi = user.length < ABHA_USER_MIN ? 'अक्षर या अंक जोड़ें' : 'इसे छोटा करें';
    return refuse(`ABHA address needs ${ABHA_USER_MIN} to ${ABHA_USER_MAX} characters before ${at}; this has ${user.length}, so ${fix}`,
      `आभा एड्रेस में ${at} से पहले ${ABHA_USER_MIN} से ${ABHA_USER_MAX} अक्षर होने चाहिए; इसमें ${user.length} हैं, इसलिए ${fixHi}`);
  }
  const dots = user.split('.').length - 1;
  const underscores = user.split('_').length - 1;
  if (dots > 1 || underscores > 1) {
    return refuse(`ABHA address can have at most one dot (.) and one underscore (_); this has ${dots} dots and ${underscores} underscores, so remove the extra ones`,
      `आभा एड्रेस में ज़्यादा से ज़्यादा एक बिंदु (.) और एक अंडरस्कोर (_) हो सकता है; इसमें ${dots} बिंदु और ${underscores} अंडरस्कोर हैं, अतिरिक्त हटाएँ`);
  }
  if (/^[._]|[._]$/.test(user)) {
    return refuse(`ABHA address cannot start or end with a dot or underscore, like ${ABHA_ADDRESS_EXAMPLE}; move or remove it`,
      `आभा एड्रेस बिंदु (.) या अंडरस्कोर (_) से शुरू या ख़त्म नहीं हो सकता, जैसे ${ABHA_ADDRESS_EXAMPLE}; उसे हटाएँ या बीच में रखें`);
  }
  if (isDigits(user)) {
    return refuse(`ABHA address cannot be only digits; add letters, like ramesh1990${at} (for the 14-digit ABHA number use the ABHA number field)`,
      `आभा एड्रेस केवल अंकों का नहीं हो सकता; अक्षर जोड़ें, जैसे ramesh1990${at} (14 अंकों का आभा नंबर, आभा नंबर वाली जगह पर लिखें)`);
  }
  return null;
}

// ---------------------------------------------------------------- Aadhaar
/** Checks an Aadhaar number (12 digits, Verhoeff) and returns only its last four digits; the full number is never kept or echoed. */
export function checkAadhaar(input: string): AadhaarResult {
  const text = asciiDigits(String(input ?? '')).trim();
  if (!text) {
    return refuse('Enter the 12-digit Aadhaar number, written like XXXX XXXX XXXX', '12 अंकों का आधार नंबर लिखें, जैसे XXXX XXXX XXXX');
  }
  if (!/^[\d\s-]+$/.test(text)) {
    const bad = quoteBad(text, /[\d\s-]/);
    return refuse(`Aadhaar number has only digits (spaces or hyphens between groups are fine); remove ${bad}`,
      `आधार नंबर में केवल अंक होते हैं (समूहों के बीच खाली जगह या - चल सकता है); ${bad} हटाएँ`);
  }
  const digits = onlyDigits(text);
  if (digits.length === 16) {
    return refuse('This has 16 digits, like a Virtual ID (VID); enter the 12-digit Aadhaar number instead',
      'इसमें 16 अंक हैं, जो वर्चुअल आईडी (VID) जैसा है; इसकी जगह 12 अंकों का आधार नंबर लिखें');
  }
  if (digits.length !== 12) {
    return refuse(`Aadhaar number has 12 digits; this has ${digits.length} ${digitWord(digits.length)}, so check for a missing or extra digit`,
      `आधार नंबर में 12 अंक होते हैं; इसमें ${digits.length} हैं, कोई अंक छूटा या ज़्यादा तो नहीं, जाँचें`);
  }
  if (digits[0] === '0' || digits[0] === '1') {
    return refuse('Aadhaar numbers never start with 0 or 1; check the first digit on the Aadhaar card',
      'आधार नंबर कभी 0 या 1 से शुरू नहीं होता; आधार कार्ड पर पहला अंक जाँचें');
  }
  if (!verhoeffValid(digits)) {
    return refuse('This is not a valid Aadhaar number: its last digit does not match the others; check the card for a mistyped or swapped digit',
      'यह सही आधार नंबर नहीं है: आख़िरी अंक बाकी अंकों से मेल नहीं खाता; कार्ड देखकर गलत या आगे-पीछे लिखा अंक जाँचें');
  }
  return { ok: true, last4: digits.slice(-4) };
}

/** Shows an Aadhaar number from its last four digits as `XXXX-XXXX-1234`; only the last four digits of the input are ever used. */
export function maskAadhaar(last4: string): string {
  const digits = onlyDigits(asciiDigits(String(last4 ?? '')));
  if (digits.length < 4) throw new RangeError('maskAadhaar needs the last four digits of the Aadhaar number');
  return `XXXX-XXXX-${digits.slice(-4)}`;
}

// ---------------------------------------------------------------- pregnancy registration number (RCH style)
/** A new 12-digit RCH-style pregnancy registration number: 11 random digits (the first not 0) and a Luhn check digit. */
export function newPregnancyRegistrationNumber(random: () => number = Math.random): string {
  const digit = (from: number) => from + Math.min(9 - from, Math.floor(random() * (10 - from)));
  let body = String(digit(1));
  while (body.length < 11) body += String(digit(0));
  return body + luhnCheckDigit(body);
}

/** True for a 12-digit pregnancy registration number whose Luhn check digit is right. */
export function validPregnancyRegistrationNumber(s: string): boolean {
  return typeof s === 'string' && /^\d{12}$/.test(s) && luhnValid(s);
}

// ---------------------------------------------------------------- mobile numbers
/** Normalises an Indian mobile number (`+91 98765-43210`, `098765 43210`, …) to its ten digits. */
export function normaliseMobile(input: string): MobileResult {
  const text = asciiDigits(String(input ?? '')).trim();
  if (!text) {
    return refuse('Enter a 10-digit mobile number, like 98765 43210', '10 अंकों का मोबाइल नंबर लिखें, जैसे 98765 43210');
  }
  if (!/^\+?[\d\s-]+$/.test(text)) {
    const bad = quoteBad(text.replace(/^\+/, ''), /[\d\s-]/);
    return refuse(`Mobile number has only digits, like 98765 43210 (a +91 in front is fine); remove ${bad}`,
      `मोबाइल नंबर में केवल अंक होते हैं, जैसे 98765 43210 (आगे +91 चल सकता है); ${bad} हटाएँ`);
  }
  const digits = onlyDigits(text);
  if (text.startsWith('+') && !digits.startsWith('91')) {
    return refuse('Only Indian mobile numbers (+91) can be used; enter a 10-digit Indian mobile number, like 98765 43210',
      'केवल भारतीय मोबाइल नंबर (+91) लिए जाते हैं; 10 अंकों का भारतीय मोबाइल नंबर लिखें, जैसे 98765 43210');
  }
  const mobile = stripIndianPrefix(digits, text.startsWith('+'));
  if (mobile.length !== 10) {
    return refuse(`Mobile number has 10 digits, like 98765 43210; this has ${mobile.length} ${digitWord(mobile.length)} without the +91 or 0 in front`,
      `मोबाइल नंबर में 10 अंक होते हैं, जैसे 98765 43210; आगे के +91 या 0 के बिना इसमें ${mobile.length} अंक हैं`);
  }
  if (!/^[6-9]/.test(mobile)) {
    return refuse(`Indian mobile numbers start with 6, 7, 8 or 9; this starts with ${mobile[0]}, so check it (a landline number will not do)`,
      `भारतीय मोबाइल नंबर 6, 7, 8 या 9 से शुरू होते हैं; यह ${mobile[0]} से शुरू होता है, इसे जाँचें (लैंडलाइन नंबर नहीं चलेगा)`);
  }
  return { ok: true, mobile };
}

/** The ten digits of a mobile number, or a 400 naming the field `mobile` with what is wrong. */
export function requireMobile(input: string): string {
  const m = normaliseMobile(input);
  if (!m.ok) throw fieldErrors([{ field: 'mobile', message: m.message, messageHi: m.messageHi }]);
  return m.mobile;
}

/** Drops a leading `+91`, `0091`, `91` or `0` from a run of digits when what is left is a ten-digit number. */
function stripIndianPrefix(digits: string, hadPlus: boolean): string {
  if (hadPlus) return digits.slice(2);
  if (digits.length === 14 && digits.startsWith('0091')) return digits.slice(4);
  if (digits.length === 12 && digits.startsWith('91')) return digits.slice(2);
  if (digits.length === 11 && digits.startsWith('0')) return digits.slice(1);
  return digits;
}
