// Message templates, each in English and Hindi. A message goes in the recipient's language, or in
// both (English / Hindi) when it is not known. Parameters named in `secrets` (one-time codes) are not
// kept in the stored text: it holds ⟦name⟧ until delivery, and the outbox screen shows ••••••.
// Modules add their own templates with registerTemplates (e.g. grievances: 'grievance.escalated').
import type { MessageLanguage } from '../../db/types.outbox.js';

export type Params = Record<string, string | number>;
export interface Template {
  en(p: Params): string;
  hi(p: Params): string;
  /** E-mail subject, per language. */
  subject?: { en(p: Params): string; hi(p: Params): string };
  /** Parameters that are secrets (never stored in the text, never shown). */
  secrets?: readonly string[];
}

const templates = new Map<string, Template>();

export function registerTemplates(list: Record<string, Template>): void {
  for (const [name, t] of Object.entries(list)) templates.set(name, t);
}

export function templateOf(name: string): Template | undefined {
  return templates.get(name);
}

export const secretMark = (name: string) => `⟦${name}⟧`;
const SECRET_RE = /⟦(\w+)⟧/g;

/** The stored text with its secrets put in (for delivery). */
export const withSecrets = (text: string, secrets: Record<string, string> | null) => text.replace(SECRET_RE, (m, k: string) => secrets?.[k] ?? m);
/** The stored text with its secrets hidden (for the outbox screen). */
export const hideSecrets = (text: string) => text.replace(SECRET_RE, '••••••');

/**
 * Renders a template: the text (secrets as placeholders), the secrets apart, and the subject.
 * Unknown template names are a programming error.
 */
export function render(name: string, language: MessageLanguage, params: Params) {
  const t = templates.get(name);
  if (!t) throw new Error(`outbox: no template ${name}`);
  const secrets: Record<string, string> = {};
  const shown: Params = { ...params };
  for (const s of t.secrets ?? []) {
    if (params[s] === undefined) continue;
    secrets[s] = String(params[s]);
    shown[s] = secretMark(s);
  }
  const pick = (f: { en(p: Params): string; hi(p: Params): string }) =>
    language === 'en' ? f.en(shown) : language === 'hi' ? f.hi(shown) : `${f.en(shown)} / ${f.hi(shown)}`;
  return { text: pick(t), subject: t.subject ? pick(t.subject) : null, secrets: Object.keys(secrets).length ? secrets : null };
}

const str = (v: unknown) => String(v ?? '');

registerTemplates({
  /** Free text a module has written in both languages itself: params en, hi (and subjectEn, subjectHi for e-mail). */
  text: {
    en: (p) => str(p.en), hi: (p) => str(p.hi),
    subject: { en: (p) => str(p.subjectEn || 'Swasthya'), hi: (p) => str(p.subjectHi || 'स्वास्थ्य') },
  },
  /** A one-time code (patients.otp.ts). */
  'otp.code': {
    secrets: ['code'],
    en: (p) => `Swasthya: your code is ${p.code}. It is valid for ${p.minutes} minutes.`,
    hi: (p) => `स्वास्थ्य: आपका कोड ${p.code} है, ${p.minutes} मिनट के लिए मान्य।`,
  },
  /** Registered from home (patients.public.routes.ts). */
  'patient.registered': {
    en: (p) => `Swasthya: you are registered. Your patient number is ${p.stateNumber}; show it at any government health facility.`,
    hi: (p) => `स्वास्थ्य: आपका पंजीकरण हो गया। आपका मरीज़ नंबर ${p.stateNumber} है; इसे किसी भी सरकारी स्वास्थ्य संस्थान में दिखाएँ।`,
  },
  /** A break-glass opening of the patient's record (patients.presence.ts). */
  'presence.break_glass': {
    en: (p) => `Swasthya: your record was opened at ${p.place} by ${p.role} on ${p.when} for: ${p.reason}.`,
    hi: (p) => `स्वास्थ्य: आपका रिकॉर्ड ${p.placeHi} में ${p.roleHi} द्वारा ${p.when} को खोला गया, कारण: ${p.reason}`,
  },
  /** HMIS: a facility has not completed its monthly return (hmis.returns.ts). */
  'hmis.reminder': {
    en: (p) => `Swasthya: ${p.facility}, your HMIS return for ${p.period} is due; please complete it.`,
    hi: (p) => `स्वास्थ्य: ${p.facilityHi}, ${p.period} की HMIS मासिक रिपोर्ट बाकी है; कृपया जमा करें।`,
    subject: { en: (p) => `Monthly report ${p.period} is due`, hi: (p) => `${p.period} की मासिक रिपोर्ट बाकी है` },
  },
});
