/**
 * Data tables for India's monthly HMIS facility return (MoHFW, revised format 2017-18), used by
 * hmis.seed-metadata.ts to build DHIS2 metadata. Item codes and texts follow the 2017-18 format
 * as published in HMIS item-wise data (the numbering used from 2017-18 to 2022-23), not the
 * 2023 AAM/HWC formats. Obvious spacing typos of the form ("C -Section", "Plamodium") are fixed.
 *
 * Where the form splits one item into rows by sex or by sex and age (4.1.1.a/b, 7.1.1/7.1.2,
 * 9.2.4.a/b, 14.3.1.a-14.3.2.b, 14.9.1/14.9.2), the rows become one data element coded with the
 * parent number and disaggregated by a category combo; `rows` records which form row each
 * category option combo stands for.
 */

/** Which category combo a data element uses. */
export type ComboKey = 'default' | 'sex' | 'place' | 'sexAge';

export interface HmisItem {
  /** HMIS item number exactly as on the form, e.g. '1.1.1', '2.1.1.a'. */
  code: string;
  /** Item text as on the form. */
  form: string;
  /** English short label (the shortName is `${code} ${short}`, at most 50 characters). */
  short: string;
  hiForm: string;
  hiShort: string;
  combo?: ComboKey;
  /** true where a reported 0 means "none happened" and must be stored (deaths, cases, complications). */
  zero?: boolean;
  /** Form row per category option combo code, for disaggregated items. */
  rows?: Record<string, string>;
}

export interface HmisSection {
  code: string;
  name: string;
  hi: string;
  /** Given when `${code} ${name}` would exceed 50 characters. */
  short?: string;
  hiShort?: string;
  items: HmisItem[];
}

/** Terms are item codes ('1.1') or an item with one category option combo ('7.2@SEX_MALE'). */
export interface HmisRule {
  code: string;
  left: string[];
  right: string[];
  name: string;
  hiName: string;
  instruction: string;
  hiInstruction: string;
}

export interface HmisIndicator {
  code: string;
  name: string;
  short: string;
  hi: string;
  hiShort: string;
  numerator: string[];
  numeratorDescription: string;
  denominator: string[];
  denominatorDescription: string;
}

const i = (code: string, form: string, short: string, hiForm: string, hiShort: string, extra: Partial<HmisItem> = {}): HmisItem => ({
  code, form, short, hiForm, hiShort, ...extra,
});
const Z = { zero: true } as const;
const PLACE = { combo: 'place' } as const;

export const HMIS_SECTIONS: HmisSection[] = [
  {
    code: 'M1', name: 'Ante Natal Care (ANC)', hi: 'प्रसव पूर्व देखभाल (एएनसी)',
    items: [
      i('1.1', 'Total number of pregnant women registered for ANC', 'PW registered for ANC',
        'प्रसव पूर्व जाँच (एएनसी) हेतु पंजीकृत गर्भवती महिलाओं की कुल संख्या', 'एएनसी हेतु पंजीकृत गर्भवती महिलाएँ'),
      i('1.1.1', 'Out of the total ANC registered, number registered within 1st trimester (within 12 weeks)', 'ANC registered in 1st trimester',
        'कुल एएनसी पंजीकरण में से, पहली तिमाही (12 सप्ताह के भीतर) में पंजीकृत संख्या', 'पहली तिमाही में एएनसी पंजीकरण'),
      i('1.2.1', 'Number of PW given TT1/Td1', 'PW given TT1/Td1',
        'टीटी1/टीडी1 दी गई गर्भवती महिलाओं की संख्या', 'टीटी1/टीडी1 प्राप्त गर्भवती महिलाएँ'),
      i('1.2.2', 'Number of PW given TT2/Td2', 'PW given TT2/Td2',
        'टीटी2/टीडी2 दी गई गर्भवती महिलाओं की संख्या', 'टीटी2/टीडी2 प्राप्त गर्भवती महिलाएँ'),
      i('1.2.3', 'Number of PW given TT/Td Booster', 'PW given TT/Td booster',
        'टीटी/टीडी बूस्टर दी गई गर्भवती महिलाओं की संख्या', 'टीटी/टीडी बूस्टर प्राप्त गर्भवती महिलाएँ'),
      i('1.2.4', 'Number of PW given 180 Iron Folic Acid (IFA) tablets', 'PW given 180 IFA tablets',
        '180 आयरन फोलिक एसिड (आईएफए) गोलियाँ दी गई गर्भवती महिलाओं की संख्या', '180 आईएफए गोलियाँ प्राप्त गर्भवती महिलाएँ'),
      i('1.2.7', 'Number of PW received 4 or more ANC check ups', 'PW with 4+ ANC check-ups',
        '4 या अधिक प्रसव पूर्व जाँच प्राप्त गर्भवती महिलाओं की संख्या', '4+ प्रसव पूर्व जाँच प्राप्त गर्भवती महिलाएँ'),
      i('1.3.1', 'New cases of PW with hypertension detected', 'New PW hypertension cases',
        'उच्च रक्तचाप से ग्रस्त गर्भवती महिलाओं के नए पहचाने गए मामले', 'गर्भवती महिलाओं में उच्च रक्तचाप के नए मामले', Z),
      i('1.3.1.a', 'Out of the new cases of PW with hypertension detected, cases managed at institution', 'PW hypertension managed at institution',
        'उच्च रक्तचाप के नए पहचाने गए मामलों में से, संस्थान में प्रबंधित मामले', 'संस्थान में प्रबंधित उच्च रक्तचाप मामले'),
      i('1.3.2', 'Number of Eclampsia cases managed during delivery', 'Eclampsia managed during delivery',
        'प्रसव के दौरान प्रबंधित एक्लेम्पसिया के मामलों की संख्या', 'प्रसव के दौरान प्रबंधित एक्लेम्पसिया', Z),
      i('1.4.1', 'Number of PW tested for Haemoglobin (Hb) 4 or more than 4 times for respective ANCs', 'PW tested for Hb 4+ times',
        'संबंधित प्रसव पूर्व जाँचों में 4 या अधिक बार हीमोग्लोबिन (एचबी) जाँच वाली गर्भवती महिलाओं की संख्या', '4+ बार एचबी जाँच वाली गर्भवती महिलाएँ'),
      i('1.4.2', 'Number of PW having Hb level<11 (tested cases)(7.1 to 10.9)', 'PW with Hb 7.1-10.9',
        'एचबी स्तर 11 से कम (7.1 से 10.9) वाली गर्भवती महिलाओं की संख्या (जाँचे गए मामले)', 'एचबी 7.1-10.9 वाली गर्भवती महिलाएँ', Z),
      i('1.4.3', 'Number of PW having Hb level<7 (tested cases)', 'PW with Hb below 7',
        'एचबी स्तर 7 से कम वाली गर्भवती महिलाओं की संख्या (जाँचे गए मामले)', 'एचबी 7 से कम वाली गर्भवती महिलाएँ', Z),
      i('1.4.4', 'Number of PW having severe anaemia (Hb<7) treated', 'PW treated for severe anaemia',
        'गंभीर रक्ताल्पता (एचबी 7 से कम) हेतु उपचारित गर्भवती महिलाओं की संख्या', 'गंभीर एनीमिया हेतु उपचारित गर्भवती महिलाएँ'),
    ],
  },
  {
    code: 'M2', name: 'Deliveries', hi: 'प्रसव',
    items: [
      i('2.1', 'Deliveries conducted at Home', 'Home deliveries', 'घर पर हुए प्रसव', 'घर पर हुए प्रसव'),
      i('2.1.1.a', 'Number of Home Deliveries attended by Skill Birth Attendant (SBA) (Doctor/Nurse/ANM)', 'Home deliveries by SBA',
        'कुशल प्रसव सहायक (एसबीए - डॉक्टर/नर्स/एएनएम) द्वारा कराए गए घरेलू प्रसवों की संख्या', 'एसबीए द्वारा कराए गए घरेलू प्रसव'),
      i('2.1.1.b', 'Number of Home Deliveries attended by Non SBA (Trained Birth Attendant (TBA)/Relatives/etc.)', 'Home deliveries by non-SBA',
        'गैर-एसबीए (प्रशिक्षित दाई/रिश्तेदार आदि) द्वारा कराए गए घरेलू प्रसवों की संख्या', 'गैर-एसबीए द्वारा कराए गए घरेलू प्रसव'),
      i('2.1.2', 'Number of PW given Tablet Misoprostol during home delivery', 'Misoprostol given at home delivery',
        'घरेलू प्रसव के दौरान मिसोप्रोस्टोल गोली दी गई गर्भवती महिलाओं की संख्या', 'घरेलू प्रसव में मिसोप्रोस्टोल दी गई'),
      i('2.2', 'Number of Institutional Deliveries conducted (Including C-Sections)', 'Institutional deliveries',
        'संस्थागत प्रसवों की संख्या (सी-सेक्शन सहित)', 'संस्थागत प्रसव (सी-सेक्शन सहित)'),
      i('2.2.1', 'Out of total institutional deliveries number of women discharged within 48 hours of delivery', 'Discharged within 48 hrs of delivery',
        'कुल संस्थागत प्रसवों में से, प्रसव के 48 घंटे के भीतर छुट्टी पाने वाली महिलाओं की संख्या', 'प्रसव के 48 घंटे के भीतर छुट्टी'),
    ],
  },
  {
    code: 'M3', name: 'Number of Caesarean (C-Section) deliveries', hi: 'सिजेरियन (सी-सेक्शन) प्रसवों की संख्या',
    items: [
      i('3.1', 'Total C-Section deliveries performed', 'C-section deliveries', 'कुल सिजेरियन (सी-सेक्शन) प्रसव', 'सी-सेक्शन प्रसव'),
      i('3.1.1', 'C-sections, performed at night (8 PM- 8 AM)', 'C-sections at night (8 PM-8 AM)',
        'रात में (रात 8 बजे से सुबह 8 बजे तक) किए गए सी-सेक्शन', 'रात में किए गए सी-सेक्शन'),
    ],
  },
  {
    code: 'M4', name: 'Pregnancy outcome & details of new-born', hi: 'गर्भावस्था का परिणाम एवं नवजात शिशु का विवरण',
    items: [
      i('4.1.1', 'Live Birth', 'Live births', 'जीवित जन्म', 'जीवित जन्म',
        { combo: 'sex', rows: { SEX_MALE: '4.1.1.a', SEX_FEMALE: '4.1.1.b' } }),
      i('4.1.2', 'Number of Pre term newborns (< 37 weeks of pregnancy)', 'Pre-term newborns (<37 weeks)',
        'समय से पूर्व जन्मे नवजात शिशुओं (गर्भावस्था के 37 सप्ताह से पहले) की संख्या', 'समय पूर्व जन्मे नवजात (<37 सप्ताह)'),
      i('4.1.3', 'Still Birth', 'Still births', 'मृत जन्म', 'मृत जन्म', Z),
      i('4.2', 'Abortion (spontaneous)', 'Spontaneous abortions', 'गर्भपात (स्वतः)', 'स्वतः गर्भपात', Z),
      i('4.3.1.a', 'MTP up to 12 weeks of pregnancy', 'MTP up to 12 weeks',
        'गर्भावस्था के 12 सप्ताह तक चिकित्सीय गर्भ समापन (एमटीपी)', '12 सप्ताह तक एमटीपी'),
      i('4.4.1', 'Number of newborns weighed at birth', 'Newborns weighed at birth',
        'जन्म के समय तौले गए नवजात शिशुओं की संख्या', 'जन्म के समय तौले गए नवजात'),
      i('4.4.2', 'Number of newborns having weight less than 2.5 kg', 'Newborns under 2.5 kg',
        '2.5 किलोग्राम से कम वज़न वाले नवजात शिशुओं की संख्या', '2.5 किग्रा से कम वज़न के नवजात', Z),
      i('4.4.3', 'Number of Newborns breast fed within 1 hour of birth', 'Breastfed within 1 hour of birth',
        'जन्म के 1 घंटे के भीतर स्तनपान कराए गए नवजात शिशुओं की संख्या', '1 घंटे के भीतर स्तनपान'),
    ],
  },
  {
    code: 'M5', name: 'Complicated pregnancies', hi: 'जटिल गर्भावस्थाएँ',
    items: [
      i('5.1', 'Number of cases of pregnant women with Obstetric Complications attended (Antepartum haemorrhage (APH), Post-Partum Hemorrhage (PPH), Sepsis, Eclampsia and others)',
        'Obstetric complications attended',
        'प्रसूति जटिलताओं (प्रसव पूर्व रक्तस्राव, प्रसवोत्तर रक्तस्राव, सेप्सिस, एक्लेम्पसिया एवं अन्य) वाली गर्भवती महिलाओं के देखे गए मामलों की संख्या',
        'प्रसूति जटिलताओं के देखे गए मामले', Z),
      i('5.2', 'Number of Complicated pregnancies treated with Blood Transfusion', 'Complications treated with transfusion',
        'रक्त आधान (ब्लड ट्रांसफ्यूज़न) से उपचारित जटिल गर्भावस्थाओं की संख्या', 'रक्त आधान से उपचारित जटिल गर्भावस्थाएँ', Z),
    ],
  },
  {
    code: 'M6', name: 'Post Natal Care (PNC)', hi: 'प्रसवोत्तर देखभाल (पीएनसी)',
    items: [
      i('6.1', 'Women receiving 1st post partum checkup within 48 hours of home delivery', 'PNC within 48 hrs of home delivery',
        'घरेलू प्रसव के 48 घंटे के भीतर पहली प्रसवोत्तर जाँच पाने वाली महिलाएँ', 'घरेलू प्रसव के 48 घंटे में पहली जाँच'),
      i('6.2', 'Women receiving 1st post partum checkup between 48 hours and 14 days', 'PNC between 48 hrs and 14 days',
        '48 घंटे से 14 दिन के बीच पहली प्रसवोत्तर जाँच पाने वाली महिलाएँ', '48 घंटे से 14 दिन में पहली जाँच'),
      i('6.3', 'Number of mothers provided full course of 180 IFA tablets after delivery', 'Mothers given 180 IFA after delivery',
        'प्रसव के बाद 180 आईएफए गोलियों का पूरा कोर्स दी गई माताओं की संख्या', 'प्रसव बाद 180 आईएफए प्राप्त माताएँ'),
    ],
  },
  {
    code: 'M7', name: 'Reproductive Tract Infections / Sexually Transmitted Infections (RTI/STI)',
    hi: 'प्रजनन पथ संक्रमण / यौन संचारित संक्रमण (आरटीआई/एसटीआई)', short: 'M7 RTI/STI', hiShort: 'M7 आरटीआई/एसटीआई',
    items: [
      i('7.1', 'New RTI/STI cases identified', 'New RTI/STI cases', 'आरटीआई/एसटीआई के नए पहचाने गए मामले', 'आरटीआई/एसटीआई के नए मामले',
        { combo: 'sex', zero: true, rows: { SEX_MALE: '7.1.1', SEX_FEMALE: '7.1.2' } }),
      i('7.2', 'RTI/STI for which treatment initiated', 'RTI/STI treatment initiated',
        'आरटीआई/एसटीआई जिनका उपचार शुरू किया गया', 'आरटीआई/एसटीआई उपचार शुरू',
        { combo: 'sex', rows: { SEX_MALE: '7.2.1', SEX_FEMALE: '7.2.2' } }),
    ],
  },
  {
    code: 'M8', name: 'Family Planning', hi: 'परिवार नियोजन',
    items: [
      i('8.1.1', 'Number of Non Scalpel Vasectomy (NSV) / Conventional Vasectomy conducted', 'NSV / conventional vasectomies',
        'बिना चीरा पुरुष नसबंदी (एनएसवी) / पारंपरिक पुरुष नसबंदी की संख्या', 'पुरुष नसबंदी (एनएसवी/पारंपरिक)'),
      i('8.2.1', 'Number of Laparoscopic sterilizations (excluding post abortion) conducted', 'Laparoscopic sterilisations',
        'लेप्रोस्कोपिक महिला नसबंदी की संख्या (गर्भपात पश्चात को छोड़कर)', 'लेप्रोस्कोपिक महिला नसबंदी'),
      i('8.2.3', 'Number of Postpartum sterilizations (within 7 days of delivery by minilap or concurrent with caesarean section) conducted',
        'Postpartum sterilisations',
        'प्रसवोत्तर नसबंदी की संख्या (प्रसव के 7 दिन के भीतर मिनीलैप द्वारा या सिजेरियन के साथ)', 'प्रसवोत्तर नसबंदी'),
      i('8.3', 'Number of Interval IUCD Insertions (excluding PPIUCD and PAIUCD)', 'Interval IUCD insertions',
        'अंतराल आईयूसीडी निवेशन की संख्या (पीपीआईयूसीडी एवं पीएआईयूसीडी को छोड़कर)', 'अंतराल आईयूसीडी निवेशन'),
      i('8.4', 'Number of Postpartum (within 48 hours of delivery) IUCD insertions', 'PPIUCD insertions',
        'प्रसवोत्तर (प्रसव के 48 घंटे के भीतर) आईयूसीडी निवेशन की संख्या', 'प्रसवोत्तर आईयूसीडी (पीपीआईयूसीडी)'),
      i('8.12', 'Number of Combined Oral Pill cycles distributed', 'Oral pill cycles distributed',
        'वितरित संयुक्त गर्भनिरोधक गोली चक्रों की संख्या', 'वितरित गर्भनिरोधक गोली चक्र'),
      i('8.13', 'Number of Condom pieces distributed', 'Condom pieces distributed', 'वितरित कंडोम की संख्या', 'वितरित कंडोम'),
    ],
  },
  {
    code: 'M9', name: 'Child Immunisation', hi: 'बाल टीकाकरण',
    items: [
      i('9.1.2', 'Child immunisation - BCG', 'BCG', 'बाल टीकाकरण - बीसीजी', 'बीसीजी', PLACE),
      i('9.1.6', 'Child immunisation - Pentavalent 1', 'Pentavalent 1', 'बाल टीकाकरण - पेंटावेलेंट 1', 'पेंटावेलेंट 1', PLACE),
      i('9.1.7', 'Child immunisation - Pentavalent 2', 'Pentavalent 2', 'बाल टीकाकरण - पेंटावेलेंट 2', 'पेंटावेलेंट 2', PLACE),
      i('9.1.8', 'Child immunisation - Pentavalent 3', 'Pentavalent 3', 'बाल टीकाकरण - पेंटावेलेंट 3', 'पेंटावेलेंट 3', PLACE),
      i('9.1.9', 'Child immunisation - OPV 0 (Birth Dose)', 'OPV 0 (birth dose)', 'बाल टीकाकरण - ओपीवी 0 (जन्म खुराक)', 'ओपीवी 0 (जन्म खुराक)', PLACE),
      i('9.1.10', 'Child immunisation - OPV1', 'OPV 1', 'बाल टीकाकरण - ओपीवी 1', 'ओपीवी 1', PLACE),
      i('9.1.11', 'Child immunisation - OPV2', 'OPV 2', 'बाल टीकाकरण - ओपीवी 2', 'ओपीवी 2', PLACE),
      i('9.1.12', 'Child immunisation - OPV3', 'OPV 3', 'बाल टीकाकरण - ओपीवी 3', 'ओपीवी 3', PLACE),
      i('9.1.13', 'Child immunisation - Hepatitis-B0 (Birth Dose)', 'Hepatitis B0 (birth dose)',
        'बाल टीकाकरण - हेपेटाइटिस-बी0 (जन्म खुराक)', 'हेपेटाइटिस-बी0 (जन्म खुराक)', PLACE),
      i('9.2.1', 'Child immunisation (9-11 months) - Measles & Rubella (MR) - 1st Dose', 'MR 1st dose (9-11 months)',
        'बाल टीकाकरण (9-11 माह) - खसरा एवं रूबेला (एमआर) - पहली खुराक', 'एमआर पहली खुराक (9-11 माह)', PLACE),
      i('9.2.2', 'Child immunisation (9-11 months) - Measles 1st dose', 'Measles 1st dose (9-11 months)',
        'बाल टीकाकरण (9-11 माह) - खसरा पहली खुराक', 'खसरा पहली खुराक (9-11 माह)', PLACE),
      i('9.2.4', 'Children aged between 9 and 11 months fully immunized', 'Fully immunised children (9-11 months)',
        '9 से 11 माह आयु के पूर्ण टीकाकृत बच्चे', 'पूर्ण टीकाकृत बच्चे (9-11 माह)',
        { combo: 'sex', rows: { SEX_MALE: '9.2.4.a', SEX_FEMALE: '9.2.4.b' } }),
      i('9.4.1', 'Child immunisation - Measles & Rubella (MR) - 2nd Dose (16-24 months)', 'MR 2nd dose (16-24 months)',
        'बाल टीकाकरण - खसरा एवं रूबेला (एमआर) - दूसरी खुराक (16-24 माह)', 'एमआर दूसरी खुराक (16-24 माह)', PLACE),
      i('9.7.1', 'Immunisation sessions planned', 'Immunisation sessions planned', 'नियोजित टीकाकरण सत्र', 'नियोजित टीकाकरण सत्र'),
      i('9.7.2', 'Immunisation sessions held', 'Immunisation sessions held', 'आयोजित टीकाकरण सत्र', 'आयोजित टीकाकरण सत्र'),
    ],
  },
  {
    code: 'M10', name: 'Number of cases of childhood diseases (0-5 years)', hi: 'बाल्यावस्था रोगों के मामले (0-5 वर्ष)',
    short: 'M10 Childhood diseases (0-5 years)',
    items: [
      i('10.1', 'Childhood Diseases - Pneumonia', 'Childhood pneumonia', 'बाल्यावस्था रोग - निमोनिया', 'बच्चों में निमोनिया', Z),
      i('10.7', 'Childhood Diseases - Tuberculosis (TB)', 'Childhood tuberculosis', 'बाल्यावस्था रोग - क्षय रोग (टीबी)', 'बच्चों में क्षय रोग (टीबी)', Z),
      i('10.10', 'Childhood Diseases - Malaria', 'Childhood malaria', 'बाल्यावस्था रोग - मलेरिया', 'बच्चों में मलेरिया', Z),
      i('10.11', 'Childhood Diseases - Diarrhoea', 'Childhood diarrhoea', 'बाल्यावस्था रोग - दस्त (डायरिया)', 'बच्चों में दस्त (डायरिया)', Z),
    ],
  },
  {
    code: 'M11', name: 'NVBDCP (vector borne diseases)', hi: 'राष्ट्रीय वेक्टर जनित रोग नियंत्रण कार्यक्रम (एनवीबीडीसीपी)',
    hiShort: 'M11 वेक्टर जनित रोग (एनवीबीडीसीपी)',
    items: [
      i('11.1.1.a', 'Total Blood Smears Examined for Malaria', 'Malaria blood smears examined',
        'मलेरिया हेतु जाँची गई कुल रक्त पट्टिकाएँ (ब्लड स्मीयर)', 'मलेरिया हेतु जाँचे गए ब्लड स्मीयर'),
      i('11.1.1.b', 'Malaria (Microscopy Tests) - Plasmodium Vivax test positive', 'Microscopy P. vivax positive',
        'मलेरिया (माइक्रोस्कोपी जाँच) - प्लाज़्मोडियम वाइवैक्स धनात्मक', 'माइक्रोस्कोपी वाइवैक्स धनात्मक', Z),
      i('11.1.1.c', 'Malaria (Microscopy Tests) - Plasmodium Falciparum test positive', 'Microscopy P. falciparum positive',
        'मलेरिया (माइक्रोस्कोपी जाँच) - प्लाज़्मोडियम फाल्सीपेरम धनात्मक', 'माइक्रोस्कोपी फाल्सीपेरम धनात्मक', Z),
      i('11.1.2.a', 'RDT conducted for Malaria', 'Malaria RDTs conducted',
        'मलेरिया हेतु किए गए त्वरित नैदानिक परीक्षण (आरडीटी)', 'मलेरिया हेतु आरडीटी जाँचें'),
      i('11.1.2.b', 'Malaria (RDT) - Plasmodium Vivax test positive', 'RDT P. vivax positive',
        'मलेरिया (आरडीटी) - प्लाज़्मोडियम वाइवैक्स धनात्मक', 'आरडीटी वाइवैक्स धनात्मक', Z),
      i('11.1.2.c', 'Malaria (RDT) - Plasmodium Falciparum test positive', 'RDT P. falciparum positive',
        'मलेरिया (आरडीटी) - प्लाज़्मोडियम फाल्सीपेरम धनात्मक', 'आरडीटी फाल्सीपेरम धनात्मक', Z),
      i('11.3.1', 'Dengue - RDT Test Positive', 'Dengue RDT positive', 'डेंगू - आरडीटी जाँच धनात्मक', 'डेंगू आरडीटी धनात्मक', Z),
      i('11.3.2', 'Dengue - Enzyme-Linked Immuno Sorbent Assay (ELISA) Test Positive', 'Dengue ELISA positive',
        'डेंगू - एलाइज़ा जाँच धनात्मक', 'डेंगू एलाइज़ा धनात्मक', Z),
    ],
  },
  {
    code: 'M14', name: 'Patient Services', hi: 'रोगी सेवाएँ',
    items: [
      i('14.1.1', 'Outpatient - Diabetes', 'OPD - diabetes', 'बाह्य रोगी - मधुमेह', 'बाह्य रोगी - मधुमेह', Z),
      i('14.1.2', 'Outpatient - Hypertension', 'OPD - hypertension', 'बाह्य रोगी - उच्च रक्तचाप', 'बाह्य रोगी - उच्च रक्तचाप', Z),
      i('14.2.1', 'Allopathic - Outpatient attendance', 'OPD attendance - allopathic',
        'एलोपैथिक - बाह्य रोगी उपस्थिति', 'बाह्य रोगी उपस्थिति - एलोपैथिक'),
      i('14.2.2', 'Ayush - Outpatient attendance', 'OPD attendance - AYUSH', 'आयुष - बाह्य रोगी उपस्थिति', 'बाह्य रोगी उपस्थिति - आयुष'),
      i('14.3', 'Inpatient admissions', 'IPD admissions', 'अंतः रोगी भर्ती', 'अंतः रोगी भर्ती', {
        combo: 'sexAge',
        rows: {
          SEX_AGE_GROUP_MALE_CHILD: '14.3.1.a', SEX_AGE_GROUP_MALE_ADULT: '14.3.1.b',
          SEX_AGE_GROUP_FEMALE_CHILD: '14.3.2.a', SEX_AGE_GROUP_FEMALE_ADULT: '14.3.2.b',
        },
      }),
      i('14.4.1', 'Inpatient - Malaria', 'IPD - malaria', 'अंतः रोगी - मलेरिया', 'अंतः रोगी - मलेरिया', Z),
      i('14.4.5', 'Inpatient - Tuberculosis', 'IPD - tuberculosis', 'अंतः रोगी - क्षय रोग (टीबी)', 'अंतः रोगी - क्षय रोग (टीबी)', Z),
      i('14.8.1', 'Operation major (General and spinal anaesthesia)', 'Major operations',
        'बड़े ऑपरेशन (सामान्य एवं स्पाइनल एनेस्थीसिया)', 'बड़े ऑपरेशन'),
      i('14.8.2', 'Out of Operation major, Gynecology - Hysterectomy surgeries', 'Hysterectomies (of major operations)',
        'बड़े ऑपरेशनों में से, स्त्री रोग - गर्भाशय निकालने (हिस्टेरेक्टॉमी) की सर्जरी', 'हिस्टेरेक्टॉमी सर्जरी'),
      i('14.8.4', 'Operation minor (No or local anaesthesia)', 'Minor operations',
        'छोटे ऑपरेशन (बिना या स्थानीय एनेस्थीसिया)', 'छोटे ऑपरेशन'),
      i('14.9', 'Inpatient Deaths', 'Inpatient deaths', 'अंतः रोगी मृत्यु', 'अंतः रोगी मृत्यु',
        { combo: 'sex', zero: true, rows: { SEX_MALE: '14.9.1', SEX_FEMALE: '14.9.2' } }),
    ],
  },
  {
    code: 'M16', name: 'Details of deaths reported with probable causes', hi: 'संभावित कारणों सहित दर्ज मृत्यु का विवरण',
    short: 'M16 Deaths with probable causes',
    items: [
      i('16.1', 'Infant deaths within 24 hrs (1 to 23 Hrs) of birth', 'Infant deaths within 24 hrs of birth',
        'जन्म के 24 घंटे (1 से 23 घंटे) के भीतर शिशु मृत्यु', 'जन्म के 24 घंटे में शिशु मृत्यु', Z),
      i('16.5.1', 'Number of Maternal Deaths due to Bleeding', 'Maternal deaths - bleeding',
        'रक्तस्राव के कारण मातृ मृत्यु की संख्या', 'मातृ मृत्यु - रक्तस्राव', Z),
      i('16.5.2', 'Number of Maternal Deaths due to High fever', 'Maternal deaths - high fever',
        'तेज़ बुखार के कारण मातृ मृत्यु की संख्या', 'मातृ मृत्यु - तेज़ बुखार', Z),
      i('16.5.3', 'Number of Maternal Deaths due to Abortion', 'Maternal deaths - abortion',
        'गर्भपात के कारण मातृ मृत्यु की संख्या', 'मातृ मृत्यु - गर्भपात', Z),
      i('16.5.4', 'Number of Maternal Deaths due to Obstructed/prolonged labour', 'Maternal deaths - obstructed labour',
        'बाधित/लंबे प्रसव के कारण मातृ मृत्यु की संख्या', 'मातृ मृत्यु - बाधित/लंबा प्रसव', Z),
      i('16.5.5', 'Number of Maternal Deaths due to Severe hypertension/fits', 'Maternal deaths - hypertension/fits',
        'गंभीर उच्च रक्तचाप/दौरों के कारण मातृ मृत्यु की संख्या', 'मातृ मृत्यु - उच्च रक्तचाप/दौरे', Z),
      i('16.5.6', 'Number of Maternal Deaths due to Other Causes (including causes not known)', 'Maternal deaths - other/unknown causes',
        'अन्य कारणों (अज्ञात कारणों सहित) से मातृ मृत्यु की संख्या', 'मातृ मृत्यु - अन्य/अज्ञात कारण', Z),
    ],
  },
];
