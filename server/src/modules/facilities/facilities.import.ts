import type { Kysely } from 'kysely';
import type { Database, NewFacility, NewOrgUnit } from '../../db/types.js';
import { uid } from '../../platform/ids.js';
import { ImportFileError, readCsv, type Progress } from '../geo/geo.import.js';
import { loadPlaceIndex } from '../geo/geo.places.js';
import * as repo from './facilities.repository.js';
import { Placement } from './facilities.placement.js';
import { facilityProblems } from './facilities.rules.js';
import { INDIA_BOUNDS, PRIVATE_ONLY, PUBLIC_ONLY, type FacilityType } from './facilities.schema.js';

type Db = Kysely<Database>;

export const NHD_SOURCE = 'nhd';
const NHD_HEADER = 'Sr_No,Location_Coordinates,Hospital_Name,District,Address_First_Line,State,Pincode,Telephone';
/** What a re-import refreshes on a facility it already has; type, registration and the rest stay as edited. */
const REFRESHED = ['latitude', 'longitude', 'address', 'pincode', 'phone', 'state_lgd'] as const;

export interface FacilityRefusal { line: number; srNo: string; name: string; state: string; district: string; reason: string }
export interface FacilityImportResult {
  read: number;
  imported: number;
  updated: number;
  refused: FacilityRefusal[];
  warnings: {
    /** Imported without coordinates: unparsable, or outside India's box (geocoding errors). */
    noCoordinates: number;
    /** Government hospitals whose name gives no level, imported as SDH (the closest public type). */
    publicHospitalAsSdh: number;
    /**
     * Rows whose point lies outside their district (a geocoding error: the directory's own data):
     * the facility is kept, without those coordinates, and each row is listed with where the point lies.
     */
    misplaced: FacilityRefusal[];
  };
}

export interface Classification {
  type: FacilityType;
  ownership: 'public' | 'private';
  system: 'allopathic' | 'ayush';
  ayushSystem: string | null;
}

const AYUSH: [RegExp, string | null][] = [
  [/\bayurved/i, 'ayurveda'],
  [/\bhom(o)?eo/i, 'homoeopathy'],
  [/\bunani\b/i, 'unani'],
  [/\bsiddha\b/i, 'siddha'],
  [/\byoga\b|\bnaturopath/i, 'yoga'],
  [/\bsowa[\s-]?rigpa\b/i, 'sowa_rigpa'],
  [/\bayush\b/i, null],
];

/** Name patterns in the order they are tried; the first that matches gives the type. */
const TYPES: [RegExp, FacilityType][] = [
  [/\bAIIMS\b|all\s+india\s+institute\s+of\s+medical/i, 'MC'],
  [/\bU?PHC\b|primary\s+health/i, 'PHC'],
  [/\bCHC\b|community\s+health/i, 'CHC'],
  [/\bsub[\s-]?(health\s+)?cent(re|er)\b/i, 'SC'],
  [/\bH?SC\b/, 'SC'],
  [/sub[\s-]?divisional|\bSDH\b|sub[\s-]?district/i, 'SDH'],
  [/district\s+(head\s*qu?a?rters?\s+|hq\s+)?hospital|civil\s+hospital/i, 'DH'],
  [/\bDH\b/, 'DH'],
  [/(medical|dental)\s*coll[ae]ge/i, 'MC'],
  [/nursing\s*home/i, 'NURSING_HOME'],
];
const HOSPITAL = /hospital|nursing\s*home/i;
const DIAGNOSTIC = /diagnos|imaging|\bscans?\b|scanning|ultra\s*sound|sonograph|patholog|\blab(s|oratory|oratories)?\b/i;
const CLINIC = /clinic|dispensary/i;
const PUBLIC = new RegExp([
  String.raw`\bgovt\b|\bgov\b|government|civil\s+hospital|district\s+hospital|\bU?PHC\b|primary\s+health|\bCHC\b|community\s+health`,
  String.raw`sub[\s-]?(health\s+)?cent(re|er)|\bESI[CS]?\b|employees'?\s+state\s+insurance|\bCGHS\b|mohalla\s+clinic`,
  // "Railway Road" and "Meerut Cantonment" are addresses, not owners.
  String.raw`\b(rly|railways?)\b(?!\s+(road|rd|station|stn|colony|crossing|gate|line|chowk|lane|street))`,
  String.raw`cantonment\s+(general\s+)?(hospital|board)|military|\bAIIMS\b|all\s+india\s+institute\s+of\s+medical`,
].join('|'), 'i');

/**
 * Type, ownership and system from a facility's name (the directory has no category column), made
 * to satisfy the registry's rules: SC/PHC/CHC/SDH/DH are public, private hospitals and nursing
 * homes private. A government hospital whose name gives no level becomes an SDH.
 */
export function classify(name: string): Classification & { publicHospitalAsSdh: boolean } {
  const publicByName = PUBLIC.test(name);
  const ownership = publicByName ? 'public' : 'private';
  for (const [re, ayushSystem] of AYUSH) {
    if (re.test(name)) return { type: 'AYUSH', ownership, system: 'ayush', ayushSystem, publicHospitalAsSdh: false };
  }
  let type: FacilityType | null = null;
  for (const [re, t] of TYPES) if (!type && re.test(name)) type = t;
  if (!type && !HOSPITAL.test(name)) {
    if (DIAGNOSTIC.test(name)) type = 'DIAGNOSTIC';
    else if (CLINIC.test(name)) type = 'CLINIC';
  }
  let publicHospitalAsSdh = false;
  if (!type) {
    type = publicByName ? 'SDH' : 'PRIVATE_HOSPITAL';
    publicHospitalAsSdh = publicByName;
  }
  const own = PUBLIC_ONLY.includes(type) ? 'public' : PRIVATE_ONLY.includes(type) ? 'private' : ownership;
  return { type, ownership: own, system: 'allopathic', ayushSystem: null, publicHospitalAsSdh };
}

/** "lat, lon" inside India's box, or null. */
export function parseCoordinates(raw: string): { latitude: number; longitude: number } | null {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw ?? '');
  if (!m) return null;
  const [latitude, longitude] = [Number(m[1]), Number(m[2])];
  const b = INDIA_BOUNDS;
  if (latitude < b.minLat || latitude > b.maxLat || longitude < b.minLon || longitude > b.maxLon) return null;
  return { latitude, longitude };
}

/** The first telephone number of a list ("03192 251971, 233434"); "0" and junk give null. */
export function cleanPhone(raw: string): string | null {
  const first = (raw ?? '').split(/[,;/]/)[0].trim().replace(/\s+/g, ' ');
  if (!first || /^[0\s-]*$/.test(first) || !/^\+?[\d\s-]{6,20}$/.test(first)) return null;
  return first;
}

/** Trimmed, one space between words (the directory also has literal "\n" sequences in names), at most `max` characters. */
const clean = (s: string | undefined, max: number) => (s ?? '').replace(/\\[nrt]/g, ' ').trim().replace(/\s+/g, ' ').slice(0, max).trim();

/**
 * Imports the National Hospital Directory CSV (Sr_No, Location_Coordinates, Hospital_Name,
 * District, Address_First_Line, State, Pincode, Telephone). Each row is placed in its district by
 * name; rows that cannot be placed are refused with their line. Sr_No is the source reference, so
 * importing the same file again updates the facilities it made instead of adding them twice.
 */
export async function importFacilities(db: Db, csvText: string, onProgress: Progress = () => {}, file = 'facilities.csv'): Promise<FacilityImportResult> {
  const { header, rows } = readCsv(csvText, file);
  const col = (name: string) => header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  const c = {
    sr: col('Sr_No'), coords: col('Location_Coordinates'), name: col('Hospital_Name'), district: col('District'),
    address: col('Address_First_Line'), state: col('State'), pincode: col('Pincode'), phone: col('Telephone'),
  };
  const missing = Object.entries(c).filter(([, i]) => i < 0);
  if (missing.length) {
    const names = NHD_HEADER.split(',');
    const keys = Object.keys(c);
    throw new ImportFileError(`${file} is not the National Hospital Directory layout: it has no ${missing.map(([k]) => `"${names[keys.indexOf(k)]}"`).join(', ')} column. Expected the header: ${NHD_HEADER}`);
  }
  onProgress(0, rows.length);
  const places = await loadPlaceIndex(db);
  const known = await repo.bySourceRef(db, NHD_SOURCE);
  const placement = new Placement(db);
  const result: FacilityImportResult = { read: rows.length, imported: 0, updated: 0, refused: [], warnings: { noCoordinates: 0, publicHospitalAsSdh: 0, misplaced: [] } };
  const seen = new Map<string, number>();
  const units: NewOrgUnit[] = [];
  const facilities: NewFacility[] = [];

  for (const { line, cells } of rows) {
    const srNo = clean(cells[c.sr], 40);
    const name = clean(cells[c.name], 200);
    const stateName = clean(cells[c.state], 200);
    const districtName = clean(cells[c.district], 200);
    const refuse = (reason: string) => result.refused.push({ line, srNo, name, state: stateName, district: districtName, reason });
    if (!srNo) { refuse('Sr_No is empty'); continue; }
    if (seen.has(srNo)) { refuse(`Sr_No ${srNo} repeats line ${seen.get(srNo)}`); continue; }
    seen.set(srNo, line);
    if (name.length < 2) { refuse('Hospital_Name is empty'); continue; }
    const state = places.state(stateName);
    if (!state) { refuse(stateName ? `unknown state "${stateName}"` : 'the state is empty'); continue; }
    const placed = places.district(state, districtName);
    if ('reason' in placed) { refuse(placed.reason); continue; }
    const district = placed.unit;

    const kind = classify(name);
    const coords = parseCoordinates(cells[c.coords]);
    const pincode = clean(cells[c.pincode], 20);
    const facts = {
      ...kind,
      latitude: coords?.latitude ?? null,
      longitude: coords?.longitude ?? null,
      pincode: /^[1-9]\d{5}$/.test(pincode) ? pincode : null,
      phone: cleanPhone(cells[c.phone]),
    };
    const problems = facilityProblems(facts);
    if (problems.length) { refuse(problems.map((p) => `${p.field} ${p.message}`).join('; ')); continue; }
    // A hospital the directory lists is kept even when its point is a geocoding error far outside its
    // district: the point is left out, and the row is listed with where the point lies.
    const misplaced = await placement.problems(district, facts.latitude, facts.longitude);
    if (misplaced.length) {
      result.warnings.misplaced.push({ line, srNo, name, state: stateName, district: districtName, reason: `${misplaced.map((p) => `${p.field} ${p.message}`).join('; ')}; kept without coordinates` });
      facts.latitude = null;
      facts.longitude = null;
    }

    const before = known.get(srNo);
    const id = before?.id ?? uid();
    // A facility someone has since placed in a block of the same district stays there.
    const keepPlace = before && before.path.startsWith(district.path) && before.parentId;
    units.push({
      id, level: 'facility', name, name_hi: null,
      parent_id: keepPlace ? before.parentId : district.id,
      path: keepPlace ? before.path : `${district.path}${id}/`,
      state_lgd: district.state_lgd,
    });
    facilities.push({
      id, type: kind.type, ownership: kind.ownership, system: kind.system, ayush_system: kind.ayushSystem,
      latitude: facts.latitude, longitude: facts.longitude, phone: facts.phone, pincode: facts.pincode,
      address: clean(cells[c.address], 500) || null,
      portal_status: 'listed', source: NHD_SOURCE, source_ref: srNo, state_lgd: district.state_lgd,
    });
    if (before) result.updated++;
    else result.imported++;
    if (!coords) result.warnings.noCoordinates++;
    if (kind.publicHospitalAsSdh) result.warnings.publicHospitalAsSdh++;
  }

  const skipped = rows.length - units.length;
  const CHUNK = 2000;
  for (let i = 0; i < units.length; i += CHUNK) {
    await repo.upsertMany(db, units.slice(i, i + CHUNK), facilities.slice(i, i + CHUNK), REFRESHED);
    onProgress(Math.min(rows.length, skipped + i + CHUNK), rows.length);
  }
  await repo.analyzeRegistry(db);
  onProgress(rows.length, rows.length);
  return result;
}
