import { fieldErrors, type FieldProblem } from '../../platform/errors.js';
import { todayIst } from '../../platform/periods.js';
import { INDIA_BOUNDS, PRIVATE_ONLY, PUBLIC_ONLY, type FacilityType } from './facilities.schema.js';

export { todayIst };

export interface FacilityFacts {
  name?: string;
  type: string;
  ownership: string;
  system: string;
  ayushSystem?: string | null;
  latitude?: number | null;
  longitude?: number | null;
  pincode?: string | null;
  phone?: string | null;
  email?: string | null;
  hfrId?: string | null;
  hwc?: boolean;
  hwcSince?: string | null;
  registeredOn?: string | null;
  openedOn?: string | null;
  closedOn?: string | null;
}

/** Problems with a facility's own fields, each named; none means it may be saved. */
export function facilityProblems(f: FacilityFacts): FieldProblem[] {
  const p: FieldProblem[] = [];
  const type = f.type as FacilityType;
  if (PUBLIC_ONLY.includes(type) && f.ownership !== 'public') {
    p.push({ field: 'ownership', message: `a ${type} is a public facility; ownership must be public`, messageHi: `${type} सरकारी संस्थान है; स्वामित्व public होना चाहिए` });
  }
  if (PRIVATE_ONLY.includes(type) && f.ownership !== 'private') {
    p.push({ field: 'ownership', message: `a ${type} is private; ownership must be private`, messageHi: `${type} निजी संस्थान है; स्वामित्व private होना चाहिए` });
  }
  if (type === 'AYUSH' && f.system !== 'ayush') {
    p.push({ field: 'system', message: 'an AYUSH facility must have system ayush', messageHi: 'आयुष संस्थान की पद्धति ayush होनी चाहिए' });
  }
  if (f.ayushSystem && f.system !== 'ayush') {
    p.push({ field: 'ayushSystem', message: 'is only for facilities of system ayush', messageHi: 'केवल आयुष पद्धति वाले संस्थानों के लिए है' });
  }
  const hasLat = f.latitude !== undefined && f.latitude !== null;
  const hasLon = f.longitude !== undefined && f.longitude !== null;
  if (hasLat !== hasLon) {
    p.push({ field: hasLat ? 'longitude' : 'latitude', message: 'give both latitude and longitude, or neither', messageHi: 'अक्षांश और देशांतर दोनों दें, या कोई नहीं' });
  }
  if (hasLat && (f.latitude! < INDIA_BOUNDS.minLat || f.latitude! > INDIA_BOUNDS.maxLat)) {
    p.push({ field: 'latitude', message: `${f.latitude} is outside India; latitude must be between ${INDIA_BOUNDS.minLat} and ${INDIA_BOUNDS.maxLat}`, messageHi: `${f.latitude} भारत से बाहर है; अक्षांश ${INDIA_BOUNDS.minLat} और ${INDIA_BOUNDS.maxLat} के बीच होना चाहिए` });
  }
  if (hasLon && (f.longitude! < INDIA_BOUNDS.minLon || f.longitude! > INDIA_BOUNDS.maxLon)) {
    p.push({ field: 'longitude', message: `${f.longitude} is outside India; longitude must be between ${INDIA_BOUNDS.minLon} and ${INDIA_BOUNDS.maxLon}`, messageHi: `${f.longitude} भारत से बाहर है; देशांतर ${INDIA_BOUNDS.minLon} और ${INDIA_BOUNDS.maxLon} के बीच होना चाहिए` });
  }
  if (f.pincode && !/^[1-9]\d{5}$/.test(f.pincode)) {
    p.push({ field: 'pincode', message: 'a PIN code has 6 digits and does not start with 0', messageHi: 'पिन कोड 6 अंकों का होता है और 0 से शुरू नहीं होता' });
  }
  if (f.phone && !/^\+?[\d\s-]{6,20}$/.test(f.phone)) {
    p.push({ field: 'phone', message: 'use digits, spaces, dashes and an optional leading +', messageHi: 'केवल अंक, स्पेस, डैश और शुरुआत में + का प्रयोग करें' });
  }
  if (f.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(f.email)) {
    p.push({ field: 'email', message: 'is not an e-mail address', messageHi: 'ईमेल पता सही नहीं है' });
  }
  if (f.hfrId && !/^IN\d{10}$/.test(f.hfrId)) {
    p.push({ field: 'hfrId', message: 'an HFR id is IN followed by 10 digits', messageHi: 'HFR आईडी IN के बाद 10 अंकों की होती है' });
  }
  const today = todayIst();
  if (f.registeredOn && f.registeredOn > today) p.push({ field: 'registeredOn', message: 'must not be in the future', messageHi: 'भविष्य की तिथि नहीं हो सकती' });
  if (f.openedOn && f.closedOn && f.closedOn < f.openedOn) p.push({ field: 'closedOn', message: 'must not be before the opening date', messageHi: 'खुलने की तिथि से पहले नहीं हो सकती' });
  if (f.hwcSince && f.hwcSince > today) p.push({ field: 'hwcSince', message: 'must not be in the future', messageHi: 'भविष्य की तिथि नहीं हो सकती' });
  return p;
}

/** Throws one 400 naming every problem. */
export function checkFacility(f: FacilityFacts, _before: unknown): void {
  const p = facilityProblems(f);
  if (p.length) throw fieldErrors(p);
}
checkFacility.error = fieldErrors;
