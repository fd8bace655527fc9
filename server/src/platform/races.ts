// What PostgreSQL answers when a parallel request got there first. Services turn these into a 409
// that names what happened (preferred); the error handler turns any that is left into a plain 409.
import { AppError } from './errors.js';

/** Unique and exclusion violations, serialization failures and deadlocks: a lost race, not a fault. */
export const RACE_CODES: ReadonlySet<string> = new Set(['23505', '23P01', '40001', '40P01']);

export function isRaceError(e: unknown): boolean {
  return RACE_CODES.has(String((e as { code?: unknown } | null)?.code ?? ''));
}

/** A unique violation, of the named constraint or index when one is given. */
export function isUniqueViolation(e: unknown, constraint?: string): boolean {
  const x = e as { code?: string; constraint?: string } | null;
  return x?.code === '23505' && (!constraint || x.constraint === constraint);
}

/** The 409 for a lost race no service described better. */
export function raceConflict(): AppError {
  return new AppError('conflict', {
    en: 'Someone else changed the same record at the same moment, so this change was not made. Reload it, check, and try again.',
    hi: 'उसी समय किसी और ने यही रिकॉर्ड बदला, इसलिए यह बदलाव नहीं हुआ। इसे फिर से खोलें, जाँचें और दोबारा प्रयास करें।',
  });
}
