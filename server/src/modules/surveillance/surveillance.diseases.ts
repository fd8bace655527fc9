/**
 * The built-in IDSP disease and syndrome list, by reporting form:
 * S = syndromic (health workers), P = presumptive (doctors), L = laboratory confirmed.
 *
 * `alertAt` is IDSP's absolute weekly alert threshold per district where it has one: for diseases
 * targeted for elimination or eradication, or with epidemic potential, a single case is an alert.
 * Every other disease alerts statistically (mean + 2 SD of the same weeks in past years).
 */
export type Form = 'S' | 'P' | 'L';
export const FORMS: readonly Form[] = ['S', 'P', 'L'];

export const FORM_NAMES: Record<Form, { name: string; nameHi: string }> = {
  S: { name: 'Syndromic (health worker)', nameHi: 'लक्षण आधारित (स्वास्थ्य कार्यकर्ता)' },
  P: { name: 'Presumptive (doctor)', nameHi: 'संभावित निदान (डॉक्टर)' },
  L: { name: 'Laboratory confirmed', nameHi: 'प्रयोगशाला पुष्ट' },
};

export interface Disease {
  code: string;
  form: Form;
  name: string;
  nameHi: string;
  /** Cases in a district in one week that make an alert by themselves; null = statistical. */
  alertAt: number | null;
}

const d = (code: string, form: Form, name: string, nameHi: string, alertAt: number | null = null): Disease =>
  ({ code, form, name, nameHi, alertAt });

export const DISEASES: readonly Disease[] = [
  d('S_FEVER', 'S', 'Fever (less than 7 days)', 'बुखार (7 दिन से कम)'),
  d('S_FEVER_RASH', 'S', 'Fever with rash', 'बुखार के साथ चकत्ते'),
  d('S_FEVER_BLEEDING', 'S', 'Fever with bleeding', 'बुखार के साथ रक्तस्राव'),
  d('S_FEVER_ALTERED', 'S', 'Fever with altered sensorium', 'बुखार के साथ बेहोशी / भ्रम'),
  d('S_COUGH_2W', 'S', 'Cough more than 2 weeks', 'दो सप्ताह से अधिक खाँसी'),
  d('S_LOOSE_STOOLS', 'S', 'Loose watery stools', 'पतले पानी जैसे दस्त'),
  d('S_JAUNDICE', 'S', 'Jaundice (less than 4 weeks)', 'पीलिया (4 सप्ताह से कम)'),
  d('S_AFP', 'S', 'Acute flaccid paralysis (under 15 years)', 'तीव्र शिथिल पक्षाघात (15 वर्ष से कम)', 1),
  d('S_DOG_BITE', 'S', 'Dog bite', 'कुत्ते का काटना'),
  d('S_UNUSUAL', 'S', 'Unusual symptoms (death or hospitalisation)', 'असामान्य लक्षण (मृत्यु या भर्ती)', 1),

  d('P_MALARIA', 'P', 'Malaria', 'मलेरिया'),
  d('P_DENGUE', 'P', 'Dengue', 'डेंगू'),
  d('P_CHIKUNGUNYA', 'P', 'Chikungunya', 'चिकनगुनिया'),
  d('P_TYPHOID', 'P', 'Typhoid (enteric fever)', 'टाइफाइड (आंत्र ज्वर)'),
  d('P_CHOLERA', 'P', 'Cholera', 'हैजा', 1),
  d('P_ADD', 'P', 'Acute diarrhoeal disease', 'तीव्र दस्त रोग'),
  d('P_BACILLARY_DYSENTERY', 'P', 'Bacillary dysentery', 'बैसिलरी पेचिश'),
  d('P_HEPATITIS', 'P', 'Viral hepatitis (A/E)', 'वायरल हेपेटाइटिस (ए/ई)'),
  d('P_MEASLES', 'P', 'Measles', 'खसरा', 1),
  d('P_DIPHTHERIA', 'P', 'Diphtheria', 'डिप्थीरिया (गलघोंटू)', 1),
  d('P_PERTUSSIS', 'P', 'Pertussis (whooping cough)', 'काली खाँसी'),
  d('P_AES_JE', 'P', 'Acute encephalitis syndrome / Japanese encephalitis', 'एक्यूट इंसेफेलाइटिस सिंड्रोम / जापानी इंसेफेलाइटिस'),
  d('P_LEPTOSPIROSIS', 'P', 'Leptospirosis', 'लेप्टोस्पायरोसिस'),
  d('P_PNEUMONIA', 'P', 'Pneumonia', 'निमोनिया'),
  d('P_ILI', 'P', 'Influenza-like illness', 'इन्फ्लुएंजा जैसी बीमारी'),
  d('P_SARI', 'P', 'Severe acute respiratory illness', 'गंभीर तीव्र श्वसन रोग'),
  d('P_SCRUB_TYPHUS', 'P', 'Scrub typhus', 'स्क्रब टाइफस'),
  d('P_COVID19', 'P', 'COVID-19', 'कोविड-19'),
  d('P_ANIMAL_BITE', 'P', 'Animal bite (suspected rabies)', 'पशु का काटना (संभावित रेबीज़)'),

  d('L_MALARIA_PV', 'L', 'Malaria, P. vivax', 'मलेरिया, पी. वाइवैक्स'),
  d('L_MALARIA_PF', 'L', 'Malaria, P. falciparum', 'मलेरिया, पी. फाल्सीपेरम'),
  d('L_DENGUE', 'L', 'Dengue (NS1 / IgM)', 'डेंगू (NS1 / IgM)'),
  d('L_CHIKUNGUNYA', 'L', 'Chikungunya (IgM)', 'चिकनगुनिया (IgM)'),
  d('L_TYPHOID', 'L', 'Typhoid (blood culture / Widal)', 'टाइफाइड (रक्त कल्चर / विडाल)'),
  d('L_CHOLERA', 'L', 'Cholera (stool culture)', 'हैजा (मल कल्चर)', 1),
  d('L_HEPATITIS_A', 'L', 'Hepatitis A (IgM)', 'हेपेटाइटिस ए (IgM)'),
  d('L_HEPATITIS_E', 'L', 'Hepatitis E (IgM)', 'हेपेटाइटिस ई (IgM)'),
  d('L_MEASLES', 'L', 'Measles (IgM)', 'खसरा (IgM)', 1),
  d('L_DIPHTHERIA', 'L', 'Diphtheria (culture)', 'डिप्थीरिया (कल्चर)', 1),
  d('L_JE', 'L', 'Japanese encephalitis (IgM)', 'जापानी इंसेफेलाइटिस (IgM)'),
  d('L_LEPTOSPIROSIS', 'L', 'Leptospirosis (IgM)', 'लेप्टोस्पायरोसिस (IgM)'),
  d('L_SCRUB_TYPHUS', 'L', 'Scrub typhus (IgM)', 'स्क्रब टाइफस (IgM)'),
  d('L_COVID19', 'L', 'COVID-19 (RT-PCR / antigen)', 'कोविड-19 (RT-PCR / एंटीजन)'),
];

const BY_CODE = new Map(DISEASES.map((x) => [x.code, x]));

export function diseaseByCode(code: string): Disease | undefined {
  return BY_CODE.get(code.trim().toUpperCase());
}
