// The helpline's symptom protocols: for each complaint, the red-flag questions an agent asks and the
// disposition each "yes" leads to. The disposition of a call is worked out here, on the server, from
// the answers; a client cannot send one. Built in and small on purpose (after the 104 centres'
// symptom protocols and IMNCI danger signs); a state wanting its own would keep them in a table.
import { badRequest } from '../../platform/errors.js';
import type { HelplineDisposition } from '../../db/types.helpline.js';

export const DISPOSITIONS: readonly HelplineDisposition[] = ['self_care', 'visit_phc', 'doctor_today', 'emergency'];
const rank = (d: HelplineDisposition) => DISPOSITIONS.indexOf(d);

export interface RedFlag { id: string; en: string; hi: string; leadsTo: HelplineDisposition }
export interface Protocol { id: string; en: string; hi: string; baseline: HelplineDisposition; flags: RedFlag[] }

const f = (id: string, leadsTo: HelplineDisposition, en: string, hi: string): RedFlag => ({ id, leadsTo, en, hi });

export const PROTOCOLS: readonly Protocol[] = [
  {
    id: 'fever', en: 'Fever', hi: 'बुख़ार', baseline: 'self_care', flags: [
      f('confusion_or_fits', 'emergency', 'Confused, very drowsy, or has had fits', 'भ्रम, बहुत सुस्ती, या दौरे पड़े हैं'),
      f('stiff_neck_or_rash', 'emergency', 'Stiff neck, or a rash that does not fade when pressed', 'गर्दन में अकड़न, या दबाने पर न मिटने वाले दाने'),
      f('bleeding', 'emergency', 'Bleeding from gums or nose, or blood in vomit, urine or stool', 'मसूड़ों या नाक से ख़ून, या उल्टी, पेशाब या मल में ख़ून'),
      f('young_infant', 'emergency', 'A baby under 2 months old', '2 महीने से छोटा शिशु'),
      f('breathing_fast', 'emergency', 'Breathing fast or with difficulty', 'तेज़ साँस या साँस लेने में कठिनाई'),
      f('over_three_days', 'doctor_today', 'Fever for more than 3 days', '3 दिन से अधिक से बुख़ार'),
      f('chills', 'visit_phc', 'Fever with shivering (test for malaria)', 'कँपकँपी के साथ बुख़ार (मलेरिया की जाँच)'),
    ],
  },
  {
    id: 'chest_pain', en: 'Chest pain', hi: 'सीने में दर्द', baseline: 'doctor_today', flags: [
      f('spreading', 'emergency', 'Pain spreading to the arm, jaw or back', 'दर्द बाँह, जबड़े या पीठ तक फैलता है'),
      f('sweating_or_fainting', 'emergency', 'Sweating, breathless or fainting with the pain', 'दर्द के साथ पसीना, साँस फूलना या बेहोशी'),
      f('over_fifteen_minutes', 'emergency', 'Pain lasting more than 15 minutes', '15 मिनट से अधिक समय से दर्द'),
      f('heart_risk', 'doctor_today', 'Known heart disease, diabetes or high blood pressure, or over 40', 'पहले से दिल की बीमारी, मधुमेह या उच्च रक्तचाप, या 40 से अधिक उम्र'),
    ],
  },
  {
    id: 'breathing_difficulty', en: 'Breathing difficulty', hi: 'साँस लेने में कठिनाई', baseline: 'visit_phc', flags: [
      f('cannot_speak', 'emergency', 'Cannot speak a full sentence', 'पूरा वाक्य नहीं बोल पा रहे'),
      f('blue_lips', 'emergency', 'Lips or face turning blue', 'होंठ या चेहरा नीला पड़ रहा है'),
      f('chest_indrawing', 'emergency', 'A child with chest indrawing or very fast breathing', 'बच्चे की छाती धँसती है या साँस बहुत तेज़ है'),
      f('inhaler_not_helping', 'doctor_today', 'Known asthma and the inhaler is not helping', 'पहले से दमा है और इनहेलर से आराम नहीं'),
      f('fever_cough', 'doctor_today', 'With fever and cough for more than 2 days', '2 दिन से अधिक से बुख़ार और खाँसी के साथ'),
    ],
  },
  {
    id: 'pregnancy_bleeding', en: 'Bleeding in pregnancy', hi: 'गर्भावस्था में रक्तस्राव', baseline: 'doctor_today', flags: [
      f('heavy', 'emergency', 'Soaking a pad within an hour, or passing clots', 'एक घंटे में पैड भीग जाता है, या थक्के निकल रहे हैं'),
      f('severe_pain', 'emergency', 'Severe pain in the abdomen', 'पेट में तेज़ दर्द'),
      f('fits_or_headache', 'emergency', 'Fits, severe headache or blurred vision', 'दौरे, तेज़ सिरदर्द या धुँधला दिखना'),
      f('fainting', 'emergency', 'Fainting or feeling faint', 'बेहोशी या चक्कर'),
      f('baby_moving_less', 'emergency', 'The baby is moving less (after 5 months)', 'शिशु कम हिल रहा है (5 महीने के बाद)'),
    ],
  },
  {
    id: 'child_diarrhoea', en: 'Diarrhoea in a child', hi: 'बच्चे को दस्त', baseline: 'self_care', flags: [
      f('lethargic', 'emergency', 'Lethargic or unconscious, or cannot drink', 'सुस्त या बेहोश, या पी नहीं पा रहा'),
      f('vomits_everything', 'emergency', 'Vomits everything', 'सब कुछ उल्टी कर देता है'),
      f('sunken_eyes', 'doctor_today', 'Sunken eyes, or pinched skin goes back slowly', 'धँसी आँखें, या चुटकी से उठाई त्वचा धीरे लौटती है'),
      f('blood_in_stool', 'doctor_today', 'Blood in the stool', 'मल में ख़ून'),
      f('under_six_months', 'doctor_today', 'A baby under 6 months old', '6 महीने से छोटा शिशु'),
      f('fourteen_days', 'visit_phc', 'Diarrhoea for 14 days or more', '14 दिन या अधिक से दस्त'),
    ],
  },
  {
    // Every snake bite goes to a hospital with anti-snake venom, signs or not: the flags say how fast.
    id: 'snake_bite', en: 'Snake bite', hi: 'साँप का काटना', baseline: 'emergency', flags: [
      f('swelling_spreading', 'emergency', 'Swelling spreading from the bite', 'काटे स्थान से सूजन फैल रही है'),
      f('bleeding', 'emergency', 'Bleeding from the bite, gums or nose', 'काटे स्थान, मसूड़ों या नाक से ख़ून'),
      f('drooping_eyelids', 'emergency', 'Drooping eyelids, double vision or difficulty swallowing', 'पलकें झुकना, दोहरा दिखना या निगलने में कठिनाई'),
      f('breathing', 'emergency', 'Difficulty breathing', 'साँस लेने में कठिनाई'),
    ],
  },
  {
    id: 'other_symptoms', en: 'Other symptoms', hi: 'अन्य लक्षण', baseline: 'visit_phc', flags: [
      f('unconscious', 'emergency', 'Unconscious or not responding', 'बेहोश या कोई प्रतिक्रिया नहीं'),
      f('severe_bleeding', 'emergency', 'Severe bleeding', 'तेज़ रक्तस्राव'),
      f('fits', 'emergency', 'Fits now or in the last hour', 'अभी या पिछले एक घंटे में दौरे'),
      f('poisoning', 'emergency', 'Swallowed poison or too many tablets', 'ज़हर या बहुत सारी गोलियाँ निगल ली हैं'),
      f('getting_worse', 'doctor_today', 'Getting worse over the last day', 'पिछले एक दिन में हालत बिगड़ रही है'),
    ],
  },
];

const BY_ID = new Map(PROTOCOLS.map((p) => [p.id, p]));

export interface Assessed { protocol: Protocol; redFlags: string[]; disposition: HelplineDisposition; answers: Record<string, boolean> }

/**
 * The disposition of a call from the protocol's answers: the most urgent of the protocol's baseline
 * and every red flag answered yes. Every question must be answered (yes or no), and only the
 * protocol's own questions: an unknown or missing one is a 400 naming them.
 */
export function assess(protocolId: string | undefined, answers: Record<string, boolean> | undefined): Assessed {
  const protocol = protocolId ? BY_ID.get(protocolId) : undefined;
  if (!protocol) {
    throw badRequest(
      protocolId ? `No symptom protocol is called ${protocolId}; use one of ${PROTOCOLS.map((p) => p.id).join(', ')}` : `A medical advice call follows a symptom protocol: give protocol (one of ${PROTOCOLS.map((p) => p.id).join(', ')})`,
      protocolId ? `${protocolId} नाम का कोई लक्षण प्रोटोकॉल नहीं है; इनमें से चुनें: ${PROTOCOLS.map((p) => p.id).join(', ')}` : `चिकित्सा सलाह की कॉल लक्षण प्रोटोकॉल से चलती है: protocol दें (${PROTOCOLS.map((p) => p.id).join(', ')})`,
      { field: 'protocol' },
    );
  }
  const given = answers ?? {};
  const known = new Set(protocol.flags.map((x) => x.id));
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  if (unknown.length) {
    throw badRequest(`${unknown.join(', ')} ${unknown.length === 1 ? 'is not a question' : 'are not questions'} of the ${protocol.en.toLowerCase()} protocol; its questions are ${[...known].join(', ')}`,
      `${unknown.join(', ')} ${protocol.hi} प्रोटोकॉल के प्रश्न नहीं हैं; इसके प्रश्न: ${[...known].join(', ')}`, { field: 'answers', unknown });
  }
  const missing = protocol.flags.filter((x) => typeof given[x.id] !== 'boolean').map((x) => x.id);
  if (missing.length) {
    throw badRequest(`Ask every red-flag question of the ${protocol.en.toLowerCase()} protocol and record yes or no; not answered: ${missing.join(', ')}`,
      `${protocol.hi} प्रोटोकॉल का हर ख़तरे का प्रश्न पूछें और हाँ या नहीं दर्ज करें; उत्तर नहीं दिया: ${missing.join(', ')}`, { field: 'answers', missing });
  }
  const redFlags = protocol.flags.filter((x) => given[x.id]).map((x) => x.id);
  let disposition = protocol.baseline;
  for (const x of protocol.flags) if (given[x.id] && rank(x.leadsTo) > rank(disposition)) disposition = x.leadsTo;
  const clean = Object.fromEntries(protocol.flags.map((x) => [x.id, given[x.id]]));
  return { protocol, redFlags, disposition, answers: clean };
}
