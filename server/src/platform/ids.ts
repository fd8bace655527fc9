import { randomBytes, createHash } from 'node:crypto';

const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const ALNUM = LETTERS + '0123456789';

/** A DHIS2-style uid: 11 characters, a letter first, then letters and digits. */
export function uid(): string {
  const bytes = randomBytes(11);
  let out = LETTERS[bytes[0] % LETTERS.length];
  for (let i = 1; i < 11; i++) out += ALNUM[bytes[i] % ALNUM.length];
  return out;
}

export const UID_PATTERN = /^[A-Za-z][A-Za-z0-9]{10}$/;
export const isUid = (s: string) => UID_PATTERN.test(s);

/** A uid derived from a stable key, so reference data gets the same id on every database. */
export function stableUid(key: string): string {
  const h = createHash('sha256').update(key).digest();
  let out = LETTERS[h[0] % LETTERS.length];
  for (let i = 1; i < 11; i++) out += ALNUM[h[i] % ALNUM.length];
  return out;
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
