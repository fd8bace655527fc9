import argon2 from 'argon2';

/** argon2id with OWASP's minimum settings (19 MiB, 2 passes). */
const OPTIONS = { type: argon2.argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (plain: string) => argon2.hash(plain, OPTIONS);

export async function verifyPassword(hash: string, plain: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, plain);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;
/** Spends the same time as a real check when the user does not exist. */
export async function verifyDummy(plain: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password');
  await verifyPassword(await dummy, plain);
}

/** Rules a person can follow; returns the problem in English and Hindi. */
export function passwordProblems(p: string, username?: string): { en: string; hi: string } | null {
  if (p.length < 8) return { en: 'password must have at least 8 characters', hi: 'पासवर्ड में कम से कम 8 अक्षर होने चाहिए' };
  if (p.length > 200) return { en: 'password must have at most 200 characters', hi: 'पासवर्ड में अधिकतम 200 अक्षर हो सकते हैं' };
  if (username && p.toLowerCase() === username.toLowerCase()) {
    return { en: 'password must not be the user name', hi: 'पासवर्ड उपयोगकर्ता नाम नहीं हो सकता' };
  }
  return null;
}
