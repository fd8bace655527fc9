import { sql, type Kysely } from 'kysely';

// HIMCARE's defaults (Himachal Pradesh's scheme), from 2019-01-01: cover ₹5 lakh per family per year,
// up to 5 members a card, cards issued in quarterly windows, three categories of premium (free,
// ₹365, ₹1,000), the usual exclusions, and a few packages in PM-JAY's code style. The state officer
// changes any of them from a date through /api/schemes/himcare/setup (new rows, never edits).
export async function up(db: Kysely<any>): Promise<void> {
  const windows = JSON.stringify([
    { from: '01-01', to: '03-31' }, { from: '04-01', to: '06-30' }, { from: '07-01', to: '09-30' }, { from: '10-01', to: '12-31' },
  ]);
  const exclusions = JSON.stringify([
    'Families covered by another government health insurance scheme (PM-JAY, ESIC, CGHS)',
    'Out-patient care and treatment not needing admission',
    'Cosmetic surgery, fertility treatment, drug rehabilitation',
  ]);
  await sql`insert into scheme_settings (scheme, valid_from, name, name_hi, cover_amount, members_per_card, windows, exclusions, review_claims_per_package, settle_within_days)
    values ('himcare', '2019-01-01', 'HIMCARE (Himachal Health Care Scheme)', 'हिमकेयर (हिमाचल स्वास्थ्य देखभाल योजना)', 500000, 5, ${windows}::jsonb, ${exclusions}::jsonb, 10, 15)
    on conflict do nothing`.execute(db);
  const categories: [string, string, string, number][] = [
    ['free', 'Free: single women, persons with 40% or more disability, senior citizens above 70, orphans', 'निःशुल्क: एकल महिलाएँ, 40% या अधिक दिव्यांग, 70 वर्ष से अधिक वरिष्ठ नागरिक, अनाथ', 0],
    ['bpl', 'BPL, MGNREGA workers (50 days), street vendors, ASHA and anganwadi workers', 'बीपीएल, मनरेगा श्रमिक (50 दिन), रेहड़ी-फड़ी वाले, आशा और आंगनवाड़ी कार्यकर्ता', 365],
    ['general', 'Others: daily-wage, contract and part-time workers, pensioners and all other families', 'अन्य: दिहाड़ीदार, अनुबंध व अंशकालिक कर्मी, पेंशनभोगी और अन्य सभी परिवार', 1000],
  ];
  for (const [code, name, nameHi, premium] of categories) {
    await sql`insert into scheme_categories (scheme, code, valid_from, name, name_hi, premium) values ('himcare', ${code}, '2019-01-01', ${name}, ${nameHi}, ${premium}) on conflict do nothing`.execute(db);
  }
  const packages: [string, string, string, number, boolean][] = [
    ['MG001A', 'Acute febrile illness, medical management (up to 5 days)', 'तीव्र ज्वर, दवा से उपचार (5 दिन तक)', 9000, false],
    ['OB001A', 'Normal delivery', 'सामान्य प्रसव', 9000, false],
    ['OB002A', 'Caesarean delivery', 'सिजेरियन प्रसव', 15000, true],
    ['SG039C', 'Laparoscopic cholecystectomy', 'लेप्रोस्कोपिक पित्ताशय निष्कासन', 22800, true],
    ['OR001A', 'Total knee replacement (one knee)', 'घुटना प्रत्यारोपण (एक घुटना)', 80000, true],
    ['CV001A', 'PTCA with one stent', 'एक स्टेंट के साथ एंजियोप्लास्टी (PTCA)', 65000, true],
  ];
  for (const [code, name, nameHi, rate, preauth] of packages) {
    await sql`insert into scheme_packages (scheme, code, valid_from, name, name_hi, rate, preauth) values ('himcare', ${code}, '2019-01-01', ${name}, ${nameHi}, ${rate}, ${preauth}) on conflict do nothing`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['scheme_packages', 'scheme_categories', 'scheme_settings']) {
    await sql`delete from ${sql.table(t)} where scheme = 'himcare' and valid_from = '2019-01-01'`.execute(db);
  }
}
