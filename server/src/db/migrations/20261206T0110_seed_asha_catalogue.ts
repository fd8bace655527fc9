import { sql, type Kysely } from 'kysely';

// The ASHA incentive catalogue as the National Health Mission publishes it (ASHA incentive guidelines,
// RoP FMR heads), with Haryana's state top-up. Codes are FMR-style. Amounts in rupees; each rate has
// the day it applies from. The fixed monthly routine (₹2,000 from October 2018, ₹3,500 from April
// 2025) is one claim a month; its components are listed under it (component_of) for the ASHA to see.
// Later changes are rate versions added through POST /api/asha/activities/{code}/rates.
type A = [code: string, en: string, hi: string, variant: 'rural' | 'urban' | null, fund: 'NHM' | 'STATE', evidence: string[], kind: 'mother' | 'child' | 'tb' | 'none',
  perBeneficiary: number | null, perMonth: number | null, linked: 'delivery' | 'immunisation' | 'opd_visit' | 'household' | null, componentOf: string | null, rates: [string, number][]];

const FROM = '2025-04-01';
const ACTIVITIES: A[] = [
  ['1.2.1.1.a', 'JSY: ASHA package (rural), antenatal part', 'जेएसवाई: आशा पैकेज (ग्रामीण), प्रसव-पूर्व भाग', 'rural', 'NHM', [], 'mother', 1, null, 'delivery', null, [[FROM, 300]]],
  ['1.2.1.1.b', 'JSY: ASHA package (rural), institutional delivery', 'जेएसवाई: आशा पैकेज (ग्रामीण), संस्थागत प्रसव', 'rural', 'NHM', ['photo'], 'mother', 1, null, 'delivery', null, [[FROM, 300]]],
  ['1.2.1.2.a', 'JSY: ASHA package (urban), antenatal part', 'जेएसवाई: आशा पैकेज (शहरी), प्रसव-पूर्व भाग', 'urban', 'NHM', [], 'mother', 1, null, 'delivery', null, [[FROM, 200]]],
  ['1.2.1.2.b', 'JSY: ASHA package (urban), institutional delivery', 'जेएसवाई: आशा पैकेज (शहरी), संस्थागत प्रसव', 'urban', 'NHM', ['photo'], 'mother', 1, null, 'delivery', null, [[FROM, 200]]],
  ['3.1.1.1.1', 'ANC registration in the first trimester', 'पहली तिमाही में प्रसव-पूर्व (ANC) पंजीकरण', null, 'NHM', [], 'mother', 1, null, 'delivery', null, [[FROM, 100]]],
  ['3.1.1.1.2', 'Home-based newborn care (6/7 visits)', 'गृह-आधारित नवजात देखभाल (6/7 भेंट)', null, 'NHM', [], 'child', 1, null, null, null, [[FROM, 250]]],
  ['3.1.1.1.3', 'Home-based young child care: one quarterly visit', 'गृह-आधारित छोटे बच्चे की देखभाल: एक त्रैमासिक भेंट', null, 'NHM', [], 'child', 5, null, null, null, [[FROM, 50]]],
  ['3.1.1.2.1', 'Full immunisation of a child in the first year', 'पहले वर्ष में बच्चे का पूर्ण टीकाकरण', null, 'NHM', [], 'child', 1, null, 'immunisation', null, [[FROM, 100]]],
  ['3.1.1.2.2', 'Complete immunisation by two years', 'दो वर्ष तक पूर्ण टीकाकरण', null, 'NHM', [], 'child', 1, null, 'immunisation', null, [[FROM, 75]]],
  ['3.1.1.6.1', 'TB treatment support (drug-sensitive TB, course completed)', 'टीबी उपचार सहायता (सामान्य टीबी, उपचार पूरा)', null, 'NHM', [], 'tb', 1, null, 'opd_visit', null, [[FROM, 1000]]],
  ['3.1.1.6.2', 'TB treatment support (drug-resistant TB, course completed)', 'टीबी उपचार सहायता (दवा-प्रतिरोधी टीबी, उपचार पूरा)', null, 'NHM', [], 'tb', 1, null, 'opd_visit', null, [[FROM, 5000]]],
  ['3.1.1.7.1', 'CBAC form filled (NCD screening), per person', 'सीबैक फॉर्म भरना (एनसीडी जाँच), प्रति व्यक्ति', null, 'NHM', [], 'none', null, 100, 'household', null, [[FROM, 10]]],
  ['3.1.1.3', 'Routine and recurring activities (fixed monthly)', 'नियमित और आवर्ती गतिविधियाँ (निश्चित मासिक)', null, 'NHM', [], 'none', null, 1, null, null, [['2018-10-01', 2000], [FROM, 3500]]],
  ['3.1.1.3.1', 'Village health and nutrition day: mobilising', 'ग्राम स्वास्थ्य एवं पोषण दिवस: लाभार्थियों को जुटाना', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.2', 'VHSNC meeting attended', 'ग्राम स्वास्थ्य स्वच्छता एवं पोषण समिति की बैठक', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.3', 'Line list of households kept up to date', 'परिवारों की सूची अद्यतन रखना', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.4', 'Village health register kept', 'ग्राम स्वास्थ्य रजिस्टर रखना', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.5', 'Due list of pregnant women and children prepared', 'गर्भवती महिलाओं और बच्चों की देय सूची बनाना', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.6', 'Births and deaths reported', 'जन्म और मृत्यु की सूचना देना', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['3.1.1.3.7', 'Monthly meeting at the PHC attended', 'प्राथमिक स्वास्थ्य केंद्र की मासिक बैठक में भाग', null, 'NHM', [], 'none', null, null, null, '3.1.1.3', [[FROM, 500]]],
  ['S.1.1', 'State top-up: monthly honorarium (Haryana)', 'राज्य अतिरिक्त राशि: मासिक मानदेय (हरियाणा)', null, 'STATE', [], 'none', null, 1, null, null, [[FROM, 4000]]],
];

export async function up(db: Kysely<any>): Promise<void> {
  let order = 0;
  for (const [code, en, hi, variant, fund, evidence, kind, perB, perM, linked, componentOf, rates] of ACTIVITIES) {
    await sql`insert into asha_activities (code, name_en, name_hi, variant, fund_source, evidence, beneficiary_kind, per_beneficiary_limit, per_month_limit, linked_record, component_of, sort_order)
      values (${code}, ${en}, ${hi}, ${variant}, ${fund}, ${evidence}::text[], ${kind}, ${perB}, ${perM}, ${linked}, ${componentOf}, ${order++})
      on conflict (code) do nothing`.execute(db);
    for (const [from, amount] of rates) {
      await sql`insert into asha_rates (activity_code, effective_from, amount, created_by) values (${code}, ${from}, ${amount}, 'catalogue') on conflict do nothing`.execute(db);
    }
  }
  await sql`insert into asha_settings (state_lgd) values (6) on conflict do nothing`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from asha_rates where created_by = 'catalogue'`.execute(db);
}
