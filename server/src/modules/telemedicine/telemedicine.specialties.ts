// Specialties a hub offers over telemedicine, with the names the screens show. Codes are stable
// identifiers; the list follows the specialty OPDs e-Sanjeevani runs.
export const SPECIALTIES = {
  general_medicine: { en: 'General medicine', hi: 'सामान्य चिकित्सा' },
  paediatrics: { en: 'Paediatrics', hi: 'बाल रोग' },
  obgyn: { en: 'Obstetrics and gynaecology', hi: 'प्रसूति एवं स्त्री रोग' },
  dermatology: { en: 'Dermatology', hi: 'त्वचा रोग' },
  psychiatry: { en: 'Psychiatry', hi: 'मनोरोग' },
  ent: { en: 'ENT', hi: 'नाक, कान, गला' },
  ophthalmology: { en: 'Ophthalmology', hi: 'नेत्र रोग' },
  orthopaedics: { en: 'Orthopaedics', hi: 'हड्डी रोग' },
  cardiology: { en: 'Cardiology', hi: 'हृदय रोग' },
  ncd: { en: 'Non-communicable diseases', hi: 'गैर-संचारी रोग' },
  dental: { en: 'Dental', hi: 'दंत रोग' },
  ayush: { en: 'AYUSH', hi: 'आयुष' },
} as const;

export type Specialty = keyof typeof SPECIALTIES;
export const SPECIALTY_CODES = Object.keys(SPECIALTIES) as Specialty[];

export function isSpecialty(s: string): s is Specialty {
  return Object.hasOwn(SPECIALTIES, s);
}

export function specialtyName(code: string, lang: 'en' | 'hi' = 'en'): string {
  return isSpecialty(code) ? SPECIALTIES[code][lang] : code;
}

/** Priority of a request in its queue: lower is served first. */
export const PRIORITIES = { emergency: 0, follow_up: 1, elderly_pregnant: 2, normal: 3 } as const;
export type PriorityName = keyof typeof PRIORITIES;
export const PRIORITY_NAMES = Object.keys(PRIORITIES) as PriorityName[];
export const priorityName = (p: number): PriorityName => PRIORITY_NAMES[p] ?? 'normal';
