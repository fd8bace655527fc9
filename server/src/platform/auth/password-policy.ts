import { dictionary } from '@zxcvbn-ts/language-common';

/** Fewest characters a password may have (NIST SP 800-63B asks for 8; a state's officers get 10). */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 200;

let common: Set<string> | null = null;
/**
 * About 49,000 passwords most often found in breaches (zxcvbn's list, kept up to date in
 * @zxcvbn-ts/language-common), lower-cased; built once, on first use.
 */
function commonPasswords(): Set<string> {
  common ??= new Set(dictionary['passwords-common'].map((p) => p.toLowerCase()));
  return common;
}

export function isCommonPassword(p: string): boolean {
  return commonPasswords().has(p.toLowerCase());
}

/**
 * Rules a person can follow, checked wherever a password is set (new users, the CLI, the admin
 * password at first start); returns the problem in English and Hindi (to follow the field's name), or null.
 */
export function passwordProblems(p: string, username?: string): { en: string; hi: string } | null {
  const length = [...p].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return {
      en: `must have at least ${MIN_PASSWORD_LENGTH} characters (it has ${length}); a few unrelated words make a long password that is easy to remember`,
      hi: `पासवर्ड में कम से कम ${MIN_PASSWORD_LENGTH} अक्षर होने चाहिए (अभी ${length} हैं); कुछ असंबंधित शब्द मिलाकर लंबा पासवर्ड बनाएँ जो याद रखना आसान हो`,
    };
  }
  if (length > MAX_PASSWORD_LENGTH) {
    return { en: `must have at most ${MAX_PASSWORD_LENGTH} characters`, hi: `पासवर्ड में अधिकतम ${MAX_PASSWORD_LENGTH} अक्षर हो सकते हैं` };
  }
  if (username && p.toLowerCase() === username.toLowerCase()) {
    return { en: 'must not be the user name; choose another', hi: 'पासवर्ड उपयोगकर्ता नाम नहीं हो सकता; कोई दूसरा चुनें' };
  }
  if (isCommonPassword(p)) {
    return {
      en: 'is one of the most common passwords; choose another (a few unrelated words work well)',
      hi: 'यह पासवर्ड सबसे आम पासवर्डों में से एक है; कोई दूसरा चुनें (कुछ असंबंधित शब्द अच्छे रहते हैं)',
    };
  }
  return null;
}
