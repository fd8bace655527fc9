import type { Kysely } from 'kysely';
import { seedDemoRegister } from '../registers/registers.demo.js';
import type { Database, NewFacility, NewOrgUnit, OrgUnitRow } from '../../db/types.js';
import { stableUid } from '../../platform/ids.js';
import * as facilityRepo from '../facilities/facilities.repository.js';
import { resolveOrgUnit } from '../geo/geo.service.js';
import { seedDemoAmbulances } from '../ambulances/ambulances.demo.js';
import { seedDemoResponseTimes } from '../dispatch/stats/stats.demo.js';
import { seedTeleNetwork } from '../telemedicine/telemedicine.demo.js';
import { seedTeleHistory, seedTeleStateCounts } from '../telemedicine/telemedicine.demo.stats.js';
import { seedDemoGeo } from './demo.geo.js';
import { HISAR_LOCALITIES, HISAR_VILLAGES, MANDI_SUFFIX, MANDI_VILLAGES, PATNA_PLACES, PRIVATE_WORDS, SURNAMES, type Named } from './demo.places.js';
import { prng } from './demo.random.js';
import { seedDemoAsha } from '../asha/asha.demo.js';

type Db = Kysely<Database>;


interface Spec {
  key: string;
  name: string;
  nameHi?: string | null;
  type: string;
  ownership: 'public' | 'private';
  system?: 'allopathic' | 'ayush';
  ayushSystem?: string;
  beds?: number | null;
  registered: boolean;
  registeredOn?: string;
  hwc?: boolean;
  hwcSince?: string;
  hubKey?: string;
  lat: number;
  lon: number;
  desktops?: number;
  webcams?: number;
  pincode?: string;
  address?: string;
}

class Builder {
  units: NewOrgUnit[] = [];
  facilities: NewFacility[] = [];
  upgrades: { key: string; kind: 'hwc' | 'type'; fromType: string; toType: string; fromBeds?: number; toBeds?: number; on: string }[] = [];
  constructor(readonly rand: () => number) {}
  pick<T>(xs: T[]): T { return xs[Math.floor(this.rand() * xs.length)]; }
  jitter(lat: number, lon: number, r: number): [number, number] {
    const a = this.rand() * 2 * Math.PI;
    const d = Math.sqrt(this.rand()) * r;
    return [Number((lat + d * Math.sin(a)).toFixed(5)), Number((lon + (d * Math.cos(a)) / Math.cos((lat * Math.PI) / 180)).toFixed(5))];
  }
  date(fromYear: number, toYear: number): string {
    const y = fromYear + Math.floor(this.rand() * (toYear - fromYear + 1));
    const m = 1 + Math.floor(this.rand() * 12);
    const d = 1 + Math.floor(this.rand() * 28);
    return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  add(parent: OrgUnitRow, s: Spec) {
    const id = stableUid(`demo:${s.key}`);
    this.units.push({ id, level: 'facility', name: s.name, name_hi: s.nameHi ?? null, parent_id: parent.id, path: `${parent.path}${id}/`, state_lgd: parent.state_lgd });
    this.facilities.push({
      id, type: s.type, ownership: s.ownership, system: s.system ?? 'allopathic', ayush_system: s.ayushSystem ?? null,
      beds: s.beds ?? null, latitude: s.lat, longitude: s.lon, pincode: s.pincode ?? null, address: s.address ?? null,
      portal_status: s.registered ? 'registered' : 'listed', registered_on: s.registered ? s.registeredOn ?? this.date(2023, 2025) : null,
      hwc: s.hwc ?? false, hwc_since: s.hwc ? s.hwcSince ?? null : null,
      desktops: s.desktops ?? 0, webcams: s.webcams ?? 0,
      hub_id: s.hubKey ? stableUid(`demo:${s.hubKey}`) : null, source: 'demo', source_ref: s.key, state_lgd: parent.state_lgd,
    });
  }
}

const HI_TYPE: Record<string, string> = {
  SC: 'उप स्वास्थ्य केंद्र', PHC: 'प्राथमिक स्वास्थ्य केंद्र', CHC: 'सामुदायिक स्वास्थ्य केंद्र', SDH: 'उप-मंडल अस्पताल', DH: 'जिला अस्पताल',
};
const EN_TYPE: Record<string, string> = { SC: 'Sub Centre', PHC: 'PHC', CHC: 'CHC', SDH: 'Sub Divisional Hospital', DH: 'District Hospital' };

function publicName(type: string, [en, hi]: Named): [string, string] {
  return [`${EN_TYPE[type]} ${en}`, `${HI_TYPE[type]} ${hi}`];
}

/** Hisar: 266 registered institutions, 53 of them AYUSH; 149 private, 95 registered and 54 listed. */
function hisar(b: Builder, d: OrgUnitRow) {
  const [LAT, LON] = [29.1507, 75.7192];
  b.add(d, { key: 'hisar-dh', name: 'Civil Hospital Hisar', nameHi: 'नागरिक अस्पताल हिसार', type: 'DH', ownership: 'public', beds: 200, registered: true, registeredOn: '2023-04-01', lat: 29.1592, lon: 75.7235, desktops: 24, webcams: 6, pincode: '125001' });
  b.add(d, { key: 'hisar-sdh-hansi', name: 'Sub Divisional Hospital Hansi', nameHi: 'उप-मंडल अस्पताल हांसी', type: 'SDH', ownership: 'public', beds: 100, registered: true, lat: 29.1019, lon: 75.9619, desktops: 10, webcams: 3 });
  b.add(d, { key: 'hisar-sdh-barwala', name: 'Sub Divisional Hospital Barwala', nameHi: 'उप-मंडल अस्पताल बरवाला', type: 'SDH', ownership: 'public', beds: 50, registered: true, lat: 29.3667, lon: 75.9081, desktops: 8, webcams: 2 });
  const villages = [...HISAR_VILLAGES];
  let v = 0;
  const next = () => villages[v++ % villages.length];
  const counts: [string, number, number][] = [['CHC', 8, 30], ['PHC', 24, 6], ['SC', 83, 0]];
  for (const [type, n, beds] of counts) {
    for (let i = 0; i < n; i++) {
      const place = next();
      const [en, hi] = publicName(type, place);
      const [lat, lon] = b.jitter(LAT, LON, 0.28);
      const hwc = type === 'SC' ? i % 2 === 0 : type === 'PHC' && i % 3 === 0;
      const key = `hisar-${type.toLowerCase()}-${i}`;
      b.add(d, { key, name: en, nameHi: hi, type, ownership: 'public', beds: beds || null, registered: true, hwc, hwcSince: hwc ? b.date(2019, 2023) : undefined, lat, lon, desktops: type === 'SC' ? 1 : 3, webcams: type === 'SC' ? (i % 4 === 0 ? 0 : 1) : 1 });
      if (hwc) b.upgrades.push({ key, kind: 'hwc', fromType: type, toType: type, on: b.facilities.at(-1)!.hwc_since as string });
      if (type === 'CHC' && i < 2) b.upgrades.push({ key, kind: 'type', fromType: 'PHC', toType: 'CHC', fromBeds: 6, toBeds: 30, on: b.date(2018, 2022) });
    }
  }
  const ayush: [string, string, string, number][] = [
    ['ayurveda', 'Govt. Ayurvedic Dispensary', 'राजकीय आयुर्वेदिक औषधालय', 40],
    ['homoeopathy', 'Govt. Homoeopathic Dispensary', 'राजकीय होम्योपैथिक औषधालय', 8],
    ['unani', 'Govt. Unani Dispensary', 'राजकीय यूनानी औषधालय', 4],
    ['yoga', 'Yoga and Wellness Centre', 'योग एवं वेलनेस केंद्र', 1],
  ];
  for (const [sys, en, hi, n] of ayush) {
    for (let i = 0; i < n; i++) {
      const place = next();
      const [lat, lon] = b.jitter(LAT, LON, 0.28);
      b.add(d, { key: `hisar-ayush-${sys}-${i}`, name: `${en} ${place[0]}`, nameHi: `${hi} ${place[1]}`, type: 'AYUSH', ownership: 'public', system: 'ayush', ayushSystem: sys, registered: true, lat, lon, desktops: 1 });
    }
  }
  const priv: [string, string, number, [number, number]][] = [
    ['PRIVATE_HOSPITAL', 'Hospital', 60, [20, 150]], ['NURSING_HOME', 'Nursing Home', 35, [5, 20]], ['CLINIC', 'Clinic', 34, [0, 0]], ['DIAGNOSTIC', 'Diagnostic and Ultrasound Centre', 20, [0, 0]],
  ];
  // 95 of the 149 private institutions registered, spread evenly over the types.
  let k = 0;
  for (const [type, word, n, [minB, maxB]] of priv) {
    for (let i = 0; i < n; i++, k++) {
      const named = k % 2 === 0 ? `${b.pick(SURNAMES)}` : b.pick(PRIVATE_WORDS);
      const inTown = b.rand() < 0.7;
      const [lat, lon] = inTown ? b.jitter(29.1507, 75.7192, 0.03) : b.jitter(LAT, LON, 0.25);
      const locality = inTown ? b.pick(HISAR_LOCALITIES) : next()[0];
      b.add(d, {
        key: `hisar-private-${type.toLowerCase()}-${i}`, name: `${named} ${word}, ${locality}`, type, ownership: 'private',
        beds: maxB ? minB + Math.floor(b.rand() * (maxB - minB)) : null,
        registered: Math.floor(((k + 1) * 95) / 149) > Math.floor((k * 95) / 149), lat, lon, address: `${locality}, Hisar`, pincode: '125001',
      });
    }
  }
}

/** Mandi: PHC Nerchowk, the hub to which 303 sub-centres are linked, and the district's larger hospitals. */
function mandi(b: Builder, d: OrgUnitRow) {
  b.add(d, { key: 'mandi-phc-nerchowk', name: 'PHC Nerchowk', nameHi: 'प्राथमिक स्वास्थ्य केंद्र नेरचौक', type: 'PHC', ownership: 'public', beds: 6, registered: true, registeredOn: '2020-01-15', hwc: true, hwcSince: '2019-11-20', lat: 31.5963, lon: 76.9053, desktops: 4, webcams: 2, pincode: '175008' });
  b.upgrades.push({ key: 'mandi-phc-nerchowk', kind: 'hwc', fromType: 'PHC', toType: 'PHC', on: '2019-11-20' });
  b.add(d, { key: 'mandi-zonal', name: 'Zonal Hospital Mandi', nameHi: 'क्षेत्रीय अस्पताल मंडी', type: 'DH', ownership: 'public', beds: 300, registered: true, lat: 31.7087, lon: 76.9320, desktops: 20, webcams: 5 });
  b.add(d, { key: 'mandi-mc-nerchowk', name: 'Shri Lal Bahadur Shastri Government Medical College, Nerchowk', nameHi: 'श्री लाल बहादुर शास्त्री राजकीय मेडिकल कॉलेज, नेरचौक', type: 'MC', ownership: 'public', beds: 500, registered: true, lat: 31.6010, lon: 76.9170, desktops: 40, webcams: 8 });
  for (const [i, [en, hi]] of [['Sundernagar', 'सुंदरनगर'], ['Jogindernagar', 'जोगिंदरनगर'], ['Sarkaghat', 'सरकाघाट'], ['Karsog', 'करसोग']].entries()) {
    const [lat, lon] = b.jitter(31.65, 76.95, 0.2);
    b.add(d, { key: `mandi-chc-${i}`, name: `CHC ${en}`, nameHi: `सामुदायिक स्वास्थ्य केंद्र ${hi}`, type: 'CHC', ownership: 'public', beds: 30, registered: true, lat, lon, desktops: 3, webcams: 1 });
  }
  let n = 0;
  for (const [sen, shi] of MANDI_SUFFIX) {
    for (const [ven, vhi] of MANDI_VILLAGES) {
      if (n === 303) break;
      const [lat, lon] = b.jitter(31.65, 76.95, 0.22);
      const hwc = n % 2 === 0;
      const key = `mandi-sc-${n}`;
      b.add(d, { key, name: `Sub Centre ${ven}${sen}`, nameHi: `उप स्वास्थ्य केंद्र ${vhi}${shi}`, type: 'SC', ownership: 'public', registered: true, hwc, hwcSince: hwc ? b.date(2019, 2023) : undefined, hubKey: 'mandi-phc-nerchowk', lat, lon, desktops: hwc ? 1 : 0, webcams: hwc ? 1 : 0 });
      if (hwc) b.upgrades.push({ key, kind: 'hwc', fromType: 'SC', toType: 'SC', on: b.facilities.at(-1)!.hwc_since as string });
      n++;
    }
  }
}

function patna(b: Builder, d: OrgUnitRow) {
  const list: Spec[] = [
    { key: 'patna-pmch', name: 'Patna Medical College and Hospital', nameHi: 'पटना मेडिकल कॉलेज एवं अस्पताल', type: 'MC', ownership: 'public', beds: 1700, registered: true, lat: 25.6206, lon: 85.1563 },
    { key: 'patna-nmch', name: 'Nalanda Medical College and Hospital', nameHi: 'नालंदा मेडिकल कॉलेज एवं अस्पताल', type: 'MC', ownership: 'public', beds: 1000, registered: true, lat: 25.5960, lon: 85.2270 },
    { key: 'patna-igims', name: 'Indira Gandhi Institute of Medical Sciences', nameHi: 'इंदिरा गांधी आयुर्विज्ञान संस्थान', type: 'MC', ownership: 'public', beds: 900, registered: true, lat: 25.6115, lon: 85.0913 },
    { key: 'patna-aiims', name: 'AIIMS Patna', nameHi: 'एम्स पटना', type: 'MC', ownership: 'public', beds: 960, registered: true, lat: 25.5620, lon: 85.0450 },
    { key: 'patna-ggsh', name: 'Guru Gobind Singh Hospital, Patna City', nameHi: 'गुरु गोविंद सिंह अस्पताल, पटना सिटी', type: 'DH', ownership: 'public', beds: 100, registered: true, lat: 25.5961, lon: 85.2268 },
  ];
  for (const s of list) b.add(d, s);
  for (const [i, place] of PATNA_PLACES.entries()) {
    const type = i < 2 ? 'SDH' : i < 6 ? 'CHC' : 'PHC';
    const [en, hi] = publicName(type, place);
    const [lat, lon] = b.jitter(25.52, 85.15, 0.25);
    b.add(d, { key: `patna-${type.toLowerCase()}-${i}`, name: en, nameHi: hi, type, ownership: 'public', beds: type === 'PHC' ? 6 : type === 'CHC' ? 30 : 100, registered: i % 4 !== 3, lat, lon, desktops: 2, webcams: 1 });
  }
  for (let i = 0; i < 12; i++) {
    const [lat, lon] = b.jitter(25.6071, 85.1417, 0.05);
    b.add(d, { key: `patna-private-${i}`, name: `${b.pick(PRIVATE_WORDS)} ${i % 3 === 0 ? 'Nursing Home' : 'Hospital'}, ${b.pick(['Boring Road', 'Kankarbagh', 'Rajendra Nagar', 'Bailey Road', 'Patliputra Colony'])}`, type: i % 3 === 0 ? 'NURSING_HOME' : 'PRIVATE_HOSPITAL', ownership: 'private', beds: 10 + Math.floor(b.rand() * 90), registered: i % 2 === 0, lat, lon });
  }
}

function delhi(b: Builder, units: Map<number, OrgUnitRow>) {
  const at = (lgd: number) => units.get(lgd)!;
  b.add(at(79), { key: 'delhi-aiims', name: 'All India Institute of Medical Sciences, New Delhi', nameHi: 'अखिल भारतीय आयुर्विज्ञान संस्थान, नई दिल्ली', type: 'MC', ownership: 'public', beds: 2478, registered: true, lat: 28.5672, lon: 77.2100 });
  b.add(at(79), { key: 'delhi-safdarjung', name: 'Safdarjung Hospital', nameHi: 'सफदरजंग अस्पताल', type: 'MC', ownership: 'public', beds: 2900, registered: true, lat: 28.5685, lon: 77.2066 });
  b.add(at(79), { key: 'delhi-rml', name: 'Dr. Ram Manohar Lohia Hospital', nameHi: 'डॉ. राम मनोहर लोहिया अस्पताल', type: 'MC', ownership: 'public', beds: 1500, registered: true, lat: 28.6260, lon: 77.2005 });
  b.add(at(77), { key: 'delhi-lnjp', name: 'Lok Nayak Hospital', nameHi: 'लोक नायक अस्पताल', type: 'DH', ownership: 'public', beds: 2000, registered: true, lat: 28.6390, lon: 77.2380 });
  b.add(at(77), { key: 'delhi-gbpant', name: 'G. B. Pant Hospital', nameHi: 'जी. बी. पंत अस्पताल', type: 'MC', ownership: 'public', beds: 714, registered: true, lat: 28.6404, lon: 77.2363 });
  const hq: [number, number, number][] = [[80, 28.6703, 77.2233], [81, 28.6757, 77.2628], [82, 28.7318, 77.0330], [78, 28.6393, 77.2935], [85, 28.6802, 77.1468], [84, 28.5696, 77.0648], [83, 28.5233, 77.2011], [671, 28.6719, 77.2964], [670, 28.5710, 77.2308]];
  for (const [lgd, lat0, lon0] of hq) {
    for (let i = 0; i < 3; i++) {
      const [lat, lon] = b.jitter(lat0, lon0, 0.02);
      b.add(at(lgd), { key: `delhi-clinic-${lgd}-${i}`, name: `Aam Aadmi Mohalla Clinic ${at(lgd).name} ${i + 1}`, nameHi: `आम आदमी मोहल्ला क्लिनिक ${at(lgd).name_hi ?? at(lgd).name} ${i + 1}`, type: 'CLINIC', ownership: 'public', registered: true, lat, lon, desktops: 1 });
    }
    const [lat, lon] = b.jitter(lat0, lon0, 0.02);
    b.add(at(lgd), { key: `delhi-private-${lgd}`, name: `${b.pick(PRIVATE_WORDS)} Hospital, ${at(lgd).name} Delhi`, type: 'PRIVATE_HOSPITAL', ownership: 'private', beds: 50, registered: lgd % 2 === 0, lat, lon });
  }
}

/**
 * Loads the demo registry and the telemedicine network on it (with its demo staff, who sign in with
 * `staffPassword`, and a month of consultations). Runs once, on a database that has no facilities yet.
 */
export async function seedDemo(db: Db, opts: { staffPassword?: string | null } = {}): Promise<{ facilities: number }> {
  await seedDemoGeo(db);
  const b = new Builder(prng(20261122));
  hisar(b, await resolveOrgUnit(db, 'district:63'));
  mandi(b, await resolveOrgUnit(db, 'district:22'));
  patna(b, await resolveOrgUnit(db, 'district:212'));
  const delhiUnits = new Map<number, OrgUnitRow>();
  for (const lgd of [77, 78, 79, 80, 81, 82, 83, 84, 85, 670, 671]) delhiUnits.set(lgd, await resolveOrgUnit(db, `district:${lgd}`));
  delhi(b, delhiUnits);
  // Hubs must exist before the sub-centres that point to them.
  const order = b.facilities.map((f, i) => [f.hub_id ? 1 : 0, i] as const).sort((x, y) => x[0] - y[0] || x[1] - y[1]).map(([, i]) => i);
  await facilityRepo.insertMany(db, order.map((i) => b.units[i]), order.map((i) => b.facilities[i]));
  for (const u of b.upgrades) {
    await facilityRepo.insertUpgrade(db, {
      facility_id: stableUid(`demo:${u.key}`), kind: u.kind, from_type: u.fromType, to_type: u.toType,
      from_beds: u.fromBeds ?? null, to_beds: u.toBeds ?? null, upgraded_on: u.on, note: 'demo',
    });
  }
  await seedTeleNetwork(db, opts.staffPassword ?? null);
  // Two ASHAs of the demo CHO's sub-centre, with claims waiting, approved and rejected (modules/asha).
  await seedDemoAsha(db, opts.staffPassword ?? null);
  await seedTeleStateCounts(db);
  await seedTeleHistory(db);
  await seedDemoAmbulances(db);
  // Last month's calls and trips of that fleet, for the response-times screen.
  await seedDemoResponseTimes(db);
  // A small family register for Mandi, mapped to its gram panchayats (modules/registers).
  await seedDemoRegister(db);
  return { facilities: b.facilities.length };
}
