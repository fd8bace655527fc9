// The formulary doctors prescribe from: generic medicines of India's National List of Essential
// Medicines that Health and Wellness Centres (Ayushman Arogya Mandir) hand out free, with Hindi
// names. Seeded on every start (idempotent); a spoke keeps its stock of them in `facility_stock`.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { badRequest } from '../../platform/errors.js';

type Db = Kysely<Database>;

/** A dosage form, with the word the Hindi screens and the printed prescription use. */
export const FORMS = {
  tablet: { en: 'tablet', hi: 'गोली', countable: true },
  dispersible_tablet: { en: 'dispersible tablet', hi: 'घुलने वाली गोली', countable: true },
  capsule: { en: 'capsule', hi: 'कैप्सूल', countable: true },
  sachet: { en: 'sachet', hi: 'पाउच', countable: true },
  syrup: { en: 'syrup', hi: 'सिरप', countable: false },
  suspension: { en: 'oral suspension', hi: 'घोल (सिरप)', countable: false },
  drops: { en: 'oral drops', hi: 'पीने की बूँदें', countable: false },
  cream: { en: 'cream', hi: 'क्रीम', countable: false },
  ointment: { en: 'ointment', hi: 'मलहम', countable: false },
  lotion: { en: 'lotion', hi: 'लोशन', countable: false },
  eye_drops: { en: 'eye drops', hi: 'आँख की बूँदें', countable: false },
  ear_drops: { en: 'ear drops', hi: 'कान की बूँदें', countable: false },
  nasal_drops: { en: 'nasal drops', hi: 'नाक की बूँदें', countable: false },
  inhaler: { en: 'inhaler', hi: 'इनहेलर', countable: false },
} as const;
export type Form = keyof typeof FORMS;

/** The seed: code, generic name, Hindi name, strength, form. Codes are stable identifiers. */
const SEED: [string, string, string, string, Form][] = [
  ['paracetamol-500-tab', 'Paracetamol', 'पैरासिटामोल', '500 mg', 'tablet'],
  ['paracetamol-125-syr', 'Paracetamol', 'पैरासिटामोल', '125 mg/5 ml', 'syrup'],
  ['ibuprofen-400-tab', 'Ibuprofen', 'आइबुप्रोफेन', '400 mg', 'tablet'],
  ['diclofenac-50-tab', 'Diclofenac sodium', 'डाइक्लोफेनाक', '50 mg', 'tablet'],
  ['aspirin-75-tab', 'Acetylsalicylic acid (aspirin)', 'एस्पिरिन', '75 mg', 'tablet'],
  ['amoxicillin-500-cap', 'Amoxicillin', 'एमोक्सिसिलिन', '500 mg', 'capsule'],
  ['amoxicillin-250-dt', 'Amoxicillin', 'एमोक्सिसिलिन', '250 mg', 'dispersible_tablet'],
  ['amoxicillin-125-susp', 'Amoxicillin', 'एमोक्सिसिलिन', '125 mg/5 ml', 'suspension'],
  ['amoxiclav-625-tab', 'Amoxicillin + clavulanic acid', 'एमोक्सिसिलिन + क्लैवुलैनिक एसिड', '500 mg + 125 mg', 'tablet'],
  ['azithromycin-500-tab', 'Azithromycin', 'एज़िथ्रोमाइसिन', '500 mg', 'tablet'],
  ['ciprofloxacin-500-tab', 'Ciprofloxacin', 'सिप्रोफ्लोक्सासिन', '500 mg', 'tablet'],
  ['cotrimoxazole-480-tab', 'Sulfamethoxazole + trimethoprim', 'कोट्राइमोक्साज़ोल', '400 mg + 80 mg', 'tablet'],
  ['doxycycline-100-cap', 'Doxycycline', 'डॉक्सीसाइक्लिन', '100 mg', 'capsule'],
  ['cefixime-200-tab', 'Cefixime', 'सेफिक्साइम', '200 mg', 'tablet'],
  ['metronidazole-400-tab', 'Metronidazole', 'मेट्रोनिडाज़ोल', '400 mg', 'tablet'],
  ['nitrofurantoin-100-cap', 'Nitrofurantoin', 'नाइट्रोफ्यूरेंटोइन', '100 mg', 'capsule'],
  ['fluconazole-150-tab', 'Fluconazole', 'फ्लुकोनाज़ोल', '150 mg', 'tablet'],
  ['acyclovir-400-tab', 'Acyclovir', 'एसाइक्लोविर', '400 mg', 'tablet'],
  ['albendazole-400-tab', 'Albendazole', 'एल्बेंडाज़ोल', '400 mg', 'tablet'],
  ['chloroquine-250-tab', 'Chloroquine phosphate', 'क्लोरोक्वीन', '250 mg (150 mg base)', 'tablet'],
  ['primaquine-7.5-tab', 'Primaquine', 'प्राइमाक्वीन', '7.5 mg', 'tablet'],
  ['ors-sachet', 'Oral rehydration salts (ORS)', 'ओआरएस घोल', '20.5 g/l', 'sachet'],
  ['zinc-20-dt', 'Zinc sulphate', 'ज़िंक', '20 mg', 'dispersible_tablet'],
  ['ifa-adult-tab', 'Ferrous salt + folic acid (IFA)', 'आयरन-फोलिक एसिड (लाल गोली)', '60 mg iron + 500 mcg', 'tablet'],
  ['ifa-syr', 'Ferrous salt + folic acid (IFA)', 'आयरन-फोलिक एसिड सिरप', '20 mg iron + 100 mcg/ml', 'syrup'],
  ['folic-acid-5-tab', 'Folic acid', 'फोलिक एसिड', '5 mg', 'tablet'],
  ['calcium-vitd-tab', 'Calcium carbonate + vitamin D3', 'कैल्शियम + विटामिन डी3', '500 mg + 250 IU', 'tablet'],
  ['vitamin-d3-60k-sachet', 'Cholecalciferol (vitamin D3)', 'विटामिन डी3', '60,000 IU', 'sachet'],
  ['vitamin-a-100k-drops', 'Vitamin A (retinol)', 'विटामिन ए', '100,000 IU/ml', 'drops'],
  ['metformin-500-tab', 'Metformin', 'मेटफॉर्मिन', '500 mg', 'tablet'],
  ['glimepiride-1-tab', 'Glimepiride', 'ग्लिमेपिराइड', '1 mg', 'tablet'],
  ['amlodipine-5-tab', 'Amlodipine', 'एम्लोडिपिन', '5 mg', 'tablet'],
  ['telmisartan-40-tab', 'Telmisartan', 'टेल्मिसार्टन', '40 mg', 'tablet'],
  ['losartan-50-tab', 'Losartan potassium', 'लोसार्टन', '50 mg', 'tablet'],
  ['enalapril-5-tab', 'Enalapril', 'एनालाप्रिल', '5 mg', 'tablet'],
  ['atenolol-50-tab', 'Atenolol', 'एटेनोलोल', '50 mg', 'tablet'],
  ['hydrochlorothiazide-12.5-tab', 'Hydrochlorothiazide', 'हाइड्रोक्लोरोथियाज़ाइड', '12.5 mg', 'tablet'],
  ['atorvastatin-10-tab', 'Atorvastatin', 'एटोरवास्टेटिन', '10 mg', 'tablet'],
  ['isosorbide-dinitrate-5-tab', 'Isosorbide dinitrate (sublingual)', 'आइसोसॉर्बाइड डाइनाइट्रेट', '5 mg', 'tablet'],
  ['levothyroxine-50-tab', 'Levothyroxine', 'लेवोथायरोक्सिन', '50 mcg', 'tablet'],
  ['prednisolone-5-tab', 'Prednisolone', 'प्रेडनिसोलोन', '5 mg', 'tablet'],
  ['salbutamol-4-tab', 'Salbutamol', 'सालब्यूटामोल', '4 mg', 'tablet'],
  ['salbutamol-100-inh', 'Salbutamol', 'सालब्यूटामोल', '100 mcg/dose', 'inhaler'],
  ['cetirizine-10-tab', 'Cetirizine', 'सेटिरिज़िन', '10 mg', 'tablet'],
  ['chlorpheniramine-4-tab', 'Chlorpheniramine maleate', 'क्लोरफेनिरामिन', '4 mg', 'tablet'],
  ['pantoprazole-40-tab', 'Pantoprazole', 'पैंटोप्राज़ोल', '40 mg', 'tablet'],
  ['omeprazole-20-cap', 'Omeprazole', 'ओमेप्राज़ोल', '20 mg', 'capsule'],
  ['antacid-tab', 'Aluminium hydroxide + magnesium hydroxide', 'एंटासिड', '250 mg + 250 mg', 'tablet'],
  ['domperidone-10-tab', 'Domperidone', 'डोमपेरिडोन', '10 mg', 'tablet'],
  ['ondansetron-4-tab', 'Ondansetron', 'ओन्डेनसेट्रॉन', '4 mg', 'tablet'],
  ['dicyclomine-10-tab', 'Dicyclomine', 'डाइसाइक्लोमिन', '10 mg', 'tablet'],
  ['fluoxetine-20-cap', 'Fluoxetine', 'फ्लुओक्सेटीन', '20 mg', 'capsule'],
  ['amitriptyline-10-tab', 'Amitriptyline', 'एमिट्रिप्टिलाइन', '10 mg', 'tablet'],
  ['phenytoin-100-tab', 'Phenytoin', 'फेनिटोइन', '100 mg', 'tablet'],
  ['carbamazepine-200-tab', 'Carbamazepine', 'कार्बामाज़ेपिन', '200 mg', 'tablet'],
  ['ocp-tab', 'Levonorgestrel + ethinylestradiol (oral contraceptive)', 'गर्भनिरोधक गोली (माला-एन)', '0.15 mg + 0.03 mg', 'tablet'],
  ['levonorgestrel-1.5-tab', 'Levonorgestrel (emergency contraceptive)', 'आपातकालीन गर्भनिरोधक गोली', '1.5 mg', 'tablet'],
  ['clotrimazole-1-cream', 'Clotrimazole', 'क्लोट्रिमाज़ोल', '1%', 'cream'],
  ['permethrin-5-cream', 'Permethrin', 'परमेथ्रिन', '5%', 'cream'],
  ['betamethasone-0.05-cream', 'Betamethasone', 'बीटामेथासोन', '0.05%', 'cream'],
  ['mupirocin-2-oint', 'Mupirocin', 'म्यूपिरोसिन', '2%', 'ointment'],
  ['povidone-iodine-5-oint', 'Povidone iodine', 'पोविडोन आयोडीन', '5%', 'ointment'],
  ['silver-sulfadiazine-1-cream', 'Silver sulfadiazine', 'सिल्वर सल्फाडायज़िन', '1%', 'cream'],
  ['calamine-lotion', 'Calamine', 'कैलामाइन', '8%', 'lotion'],
  ['ciprofloxacin-0.3-eye', 'Ciprofloxacin', 'सिप्रोफ्लोक्सासिन', '0.3%', 'eye_drops'],
  ['ciprofloxacin-0.3-ear', 'Ciprofloxacin', 'सिप्रोफ्लोक्सासिन', '0.3%', 'ear_drops'],
  ['xylometazoline-0.05-nasal', 'Xylometazoline', 'ज़ाइलोमेटाज़ोलिन', '0.05%', 'nasal_drops'],
  ['saline-0.65-nasal', 'Sodium chloride (saline)', 'नमक का घोल (सलाइन)', '0.65%', 'nasal_drops'],
];

/** Adds the seed medicines and corrects their names; medicines made inactive stay inactive. Idempotent. */
export async function ensureFormulary(db: Db): Promise<void> {
  await sql`
    insert into tele_formulary (code, generic_name, name_hi, strength, form)
    select * from unnest(${SEED.map((s) => s[0])}::text[], ${SEED.map((s) => s[1])}::text[], ${SEED.map((s) => s[2])}::text[],
                         ${SEED.map((s) => s[3])}::text[], ${SEED.map((s) => s[4])}::text[])
    on conflict (code) do update set generic_name = excluded.generic_name, name_hi = excluded.name_hi, strength = excluded.strength, form = excluded.form
    where (tele_formulary.generic_name, tele_formulary.name_hi, tele_formulary.strength, tele_formulary.form)
      is distinct from (excluded.generic_name, excluded.name_hi, excluded.strength, excluded.form)`.execute(db);
}

export interface Medicine { code: string; genericName: string; nameHi: string | null; strength: string; form: string; formHi: string }

type FormularyRow = { code: string; generic_name: string; name_hi: string | null; strength: string; form: string };
export const formName = (form: string, lang: 'en' | 'hi' = 'en') => (Object.hasOwn(FORMS, form) ? FORMS[form as Form][lang] : form);
/** Whether stock of a form is counted in single doses (tablets, capsules, sachets), so a quantity can be worked out. */
export const isCountable = (form: string) => Object.hasOwn(FORMS, form) && FORMS[form as Form].countable;

export const toMedicine = (r: FormularyRow): Medicine => ({
  code: r.code, genericName: r.generic_name, nameHi: r.name_hi, strength: r.strength, form: r.form, formHi: formName(r.form, 'hi'),
});

/** "Paracetamol 500 mg tablet", as the prescription prints it. */
export const medicineLabel = (m: { generic_name: string; strength: string | null; form: string | null }) =>
  [m.generic_name, m.strength, m.form ? formName(m.form) : null].filter(Boolean).join(' ');

/** Active medicines by code; the codes not found come back apart, so the caller can name them. */
export async function medicinesByCode(db: Db, codes: string[]): Promise<{ found: Map<string, FormularyRow>; missing: string[] }> {
  const unique = [...new Set(codes)];
  const rows = unique.length
    ? await db.selectFrom('tele_formulary').select(['code', 'generic_name', 'name_hi', 'strength', 'form']).where('code', 'in', unique).where('active', '=', true).execute()
    : [];
  const found = new Map(rows.map((r) => [r.code, r]));
  return { found, missing: unique.filter((c) => !found.has(c)) };
}

/** Searches the formulary by generic name (English or Hindi) or code; with `stockAt`, each medicine's stock there. */
export async function searchFormulary(db: Db, actor: Actor, q: string | undefined, limit = 30, stockAt?: string | null) {
  requirePermission(actor, 'can_read_telemedicine');
  const text = (q ?? '').trim();
  if (text.length > 100) throw badRequest('q must have at most 100 characters', 'q अधिकतम 100 अक्षर का हो सकता है', { field: 'q' });
  const like = `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
  let query = db.selectFrom('tele_formulary as f').select(['f.code', 'f.generic_name', 'f.name_hi', 'f.strength', 'f.form'])
    .where('f.active', '=', true).limit(limit);
  if (text) {
    query = query.where((eb) => eb.or([eb('f.generic_name', 'ilike', like), eb('f.name_hi', 'like', like), eb('f.code', 'ilike', like)]))
      .orderBy(sql`f.generic_name ilike ${like.slice(1)}`, 'desc');
  }
  const rows = await query.orderBy('f.generic_name').orderBy('f.strength').execute();
  const stock = stockAt ? await stockOf(db, stockAt, rows.map((r) => r.code)) : null;
  return {
    items: rows.map((r) => ({
      ...toMedicine(r),
      ...(stock ? { quantity: stock.get(r.code) ?? 0, inStock: (stock.get(r.code) ?? 0) > 0 } : {}),
    })),
  };
}

/** Quantities in stock at a facility for the given medicines (absent: none kept). */
export async function stockOf(db: Db, facilityId: string, codes: string[]): Promise<Map<string, number>> {
  if (!codes.length) return new Map();
  const rows = await db.selectFrom('facility_stock').select(['formulary_code', 'quantity'])
    .where('facility_id', '=', facilityId).where('formulary_code', 'in', [...new Set(codes)]).execute();
  return new Map(rows.map((r) => [r.formulary_code, r.quantity]));
}
