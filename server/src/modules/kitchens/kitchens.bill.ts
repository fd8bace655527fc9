// The monthly bill of a kitchen, computed from its days at the rates in force on each day. Pure: no SQL.
//
// A patient-day is four servings at the patient-day rate (e.g. ₹150): a day's in-patients are billed for
// the servings actually given, at most four per in-patient (fewer servings, a part of the rate); servings
// above four per in-patient are not billed and flag the day, as do more in-patients than the hospital has
// beds in the registry. Attendants' meals are billed at their own rate.
// Amounts are reckoned in paise and rounded per day.

export interface DayRow { day: string; inpatients: number; meals_served: number; attendant_meals: number }
export interface RateRow { kind: string; effective_from: string; amount: string | number }
export interface Flag { code: string; date?: string; message: string; messageHi?: string }

export const SERVINGS_PER_DAY = 4;

/** The rate (in paise) of a kind in force on a day: the latest version from on or before it. */
export function rateOn(rates: RateRow[], kind: string, day: string): number | null {
  let found: number | null = null;
  for (const r of rates) if (r.kind === kind && r.effective_from <= day) found = Math.round(Number(r.amount) * 100);
  return found;
}

/** A day's flags: more servings than four a patient; more in-patients than the hospital's beds (when the registry has them). */
export function dayFlags(d: DayRow, beds?: number | null): Flag[] {
  const flags: Flag[] = [];
  if (beds != null && beds > 0 && d.inpatients > beds) {
    flags.push({ code: 'inpatients_above_beds', date: d.day, message: `${d.day}: ${d.inpatients} in-patients in a hospital of ${beds} beds; check the count`, messageHi: `${d.day}: ${beds} बिस्तरों के अस्पताल में ${d.inpatients} भर्ती मरीज़; गिनती जाँचें` });
  }
  if (d.meals_served > SERVINGS_PER_DAY * d.inpatients) {
    flags.push({ code: 'meals_above_inpatients', date: d.day, message: `${d.day}: ${d.meals_served} meals served for ${d.inpatients} in-patients (at most ${SERVINGS_PER_DAY * d.inpatients}); the extra are not billed`, messageHi: `${d.day}: ${d.inpatients} भर्ती मरीज़ों के लिए ${d.meals_served} भोजन (अधिकतम ${SERVINGS_PER_DAY * d.inpatients}); अधिक का भुगतान नहीं होगा` });
  }
  return flags;
}

export function computeBill(days: DayRow[], rates: RateRow[], beds?: number | null) {
  let paise = 0;
  let servings = 0;
  let attendantMeals = 0;
  const flags: Flag[] = [];
  for (const d of [...days].sort((a, b) => a.day.localeCompare(b.day))) {
    flags.push(...dayFlags(d, beds));
    const billed = Math.min(d.meals_served, SERVINGS_PER_DAY * d.inpatients);
    const patientRate = rateOn(rates, 'patient_day', d.day);
    const attendantRate = rateOn(rates, 'attendant_meal', d.day);
    if (billed > 0 && patientRate == null) flags.push({ code: 'no_rate', date: d.day, message: `${d.day}: the state had no patient-day rate in force; the day is not billed`, messageHi: `${d.day}: उस दिन रोगी-दिवस की कोई दर लागू नहीं थी` });
    else if (billed > 0) { paise += Math.round((billed * patientRate!) / SERVINGS_PER_DAY); servings += billed; }
    if (d.attendant_meals > 0 && attendantRate == null) flags.push({ code: 'no_attendant_rate', date: d.day, message: `${d.day}: no attendant meal rate in force; attendants' meals not billed`, messageHi: `${d.day}: परिचारक भोजन की कोई दर लागू नहीं थी` });
    else if (d.attendant_meals > 0) { paise += d.attendant_meals * attendantRate!; attendantMeals += d.attendant_meals; }
  }
  return { amount: paise / 100, days: days.length, patientDays: Math.round((servings / SERVINGS_PER_DAY) * 100) / 100, attendantMeals, flags };
}

/** First and last day of a month YYYY-MM. */
export function monthDays(month: string) {
  const [y, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
