// Client-side checks of the identifiers typed at a registration counter. They mirror the server's
// (server/src/modules/patients/patients.identity.ts) so that the operator hears about a slip while
// typing; the server stays the authority and checks everything again.
import type { MessageKey } from '../../i18n/i18n.tsx';

/** Devanagari digits (०–९), which Hindi keyboards type, read as ASCII digits. */
export const asciiDigits = (s: string) => s.replace(/[\u0966-\u096F]/g, (d) => String(d.charCodeAt(0) - 0x0966));
const onlyDigits = (s: string) => asciiDigits(s).replace(/\D/g, '');

/** True when `digits` (check digit last) passes the Luhn mod-10 check. */
export function luhnValid(digits: string): boolean {
  if (digits.length < 2 || !/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Groups up to 14 digits as the ABHA card shows them: XX-XXXX-XXXX-XXXX (partial while typing). */
export function formatAbha(input: string): string {
  const d = onlyDigits(input).slice(0, 14);
  return [d.slice(0, 2), d.slice(2, 6), d.slice(6, 10), d.slice(10, 14)].filter(Boolean).join('-');
}

export type AbhaCheck =
  | { kind: 'empty' }
  | { kind: 'invalid'; error: MessageKey; count: number }
  | { kind: 'ok'; digits: string; formatted: string; luhnValid: boolean };

/** An ABHA number: 14 digits (grouping optional); a failed Luhn check is a warning, not a refusal. */
export function checkAbha(input: string): AbhaCheck {
  const text = asciiDigits(input).trim();
  if (!text) return { kind: 'empty' };
  if (text.includes('@')) return { kind: 'invalid', error: 'patients.err.abhaIsAddress', count: 0 };
  if (!/^[\d\s-]+$/.test(text)) return { kind: 'invalid', error: 'patients.err.abhaDigits', count: 0 };
  const digits = onlyDigits(text);
  if (digits.length !== 14) return { kind: 'invalid', error: 'patients.err.abhaLength', count: digits.length };
  return { kind: 'ok', digits, formatted: formatAbha(digits), luhnValid: luhnValid(digits) };
}

export type MobileCheck = { kind: 'empty' } | { kind: 'invalid'; error: MessageKey; count: number } | { kind: 'ok'; mobile: string };

/** An Indian mobile number: 10 digits starting 6–9, optionally after +91, 0091, 91 or 0. */
export function checkMobile(input: string): MobileCheck {
  const text = asciiDigits(input).trim();
  if (!text) return { kind: 'empty' };
  if (!/^\+?[\d\s-]+$/.test(text)) return { kind: 'invalid', error: 'patients.err.mobileDigits', count: 0 };
  let digits = onlyDigits(text);
  if (text.startsWith('+')) {
    if (!digits.startsWith('91')) return { kind: 'invalid', error: 'patients.err.mobileIndian', count: 0 };
    digits = digits.slice(2);
  } else if (digits.length === 14 && digits.startsWith('0091')) digits = digits.slice(4);
  else if (digits.length === 12 && digits.startsWith('91')) digits = digits.slice(2);
  else if (digits.length === 11 && digits.startsWith('0')) digits = digits.slice(1);
  if (digits.length !== 10) return { kind: 'invalid', error: 'patients.err.mobileLength', count: digits.length };
  if (!/^[6-9]/.test(digits)) return { kind: 'invalid', error: 'patients.err.mobileStart', count: 0 };
  return { kind: 'ok', mobile: digits };
}

/** An ABHA address (name@abdm): 8–18 letters, digits, one dot, one underscore; "@abdm" added when missing. */
export function checkAbhaAddress(input: string): { kind: 'empty' } | { kind: 'invalid'; error: MessageKey } | { kind: 'ok'; address: string } {
  const text = input.trim().toLowerCase();
  if (!text) return { kind: 'empty' };
  const parts = text.split('@');
  const [user = '', domain = 'abdm'] = parts;
  if (parts.length > 2 || !['abdm', 'sbx'].includes(domain)) return { kind: 'invalid', error: 'patients.err.abhaAddressDomain' };
  const dots = user.split('.').length - 1;
  const unders = user.split('_').length - 1;
  if (!/^[a-z0-9._]{8,18}$/.test(user) || dots > 1 || unders > 1 || /^[._]|[._]$/.test(user) || /^\d+$/.test(user)) {
    return { kind: 'invalid', error: 'patients.err.abhaAddress' };
  }
  return { kind: 'ok', address: `${user}@${domain}` };
}
