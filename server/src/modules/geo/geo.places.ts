/**
 * Place names as LGD and other files spell them: title case, a comparison key, the aliases of renamed
 * states and districts, and an index that finds a state or district by name or LGD code.
 */
import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import * as repo from './geo.repository.js';

type Db = Kysely<Database>;

const SMALL_WORDS = new Set(['and', 'of', 'the', 'in', 'on', 'at', 'by', 'for', 'to']);
const ROMAN = /^(i|ii|iii|iv|v|vi|vii|viii|ix|x|xi|xii)$/;

/**
 * LGD writes most names in capitals; the UI shows them, so ALL-CAPS names become title case
 * (HISAR → Hisar, LAHUL AND SPITI → Lahul and Spiti, KAIMUR (BHABUA) → Kaimur (Bhabua)).
 * Initials (Y.S.R.), words without a vowel (NTR, SPSR) and roman numerals stay in capitals.
 * Names LGD already writes in mixed case are kept as they are.
 */
export function titleCase(raw: string): string {
  const s = raw.trim().replace(/\s+/g, ' ');
  if (/[a-z]/.test(s) || !/[A-Z]/.test(s)) return s;
  return s.toLowerCase().replace(/[a-z][a-z'’]*/g, (w, offset: number) => {
    if (offset > 0 && SMALL_WORDS.has(w)) return w;
    if (ROMAN.test(w) && w !== 'i' && w !== 'v' && w !== 'x') return w.toUpperCase();
    if (w.length > 1 && !/[aeiou]/.test(w)) return w.toUpperCase();
    return w[0].toUpperCase() + w.slice(1);
  });
}

/** Compact form for comparing place names: case, accents, "&"/"and", spaces and punctuation ignored. */
export function normName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .trim()
    .replace(/^the\s+/, '')
    .replace(/[^a-z0-9]+/g, '');
}

export const DEVANAGARI = /[\u0900-\u097F]/;

/** States known by older or shorter names (normalised name → LGD code). */
const STATE_ALIASES: Record<string, number> = {
  orissa: 21, pondicherry: 34, andamanandnicobar: 35, andamannicobar: 35, uttaranchal: 5, nctofdelhi: 7,
  delhinct: 7, dadraandnagarhaveli: 38, dadranagarhaveli: 38, damananddiu: 38, jammukashmir: 1,
  telengana: 36, chattisgarh: 22, chhatisgarh: 22,
};

/** Districts known by old or variant names, per state LGD code (normalised → normalised LGD name). */
export const DISTRICT_ALIASES: Record<number, Record<string, string>> = {
  28: { visakhapatnam: 'visakhapatanam', nellore: 'spsrnellore', kadapa: 'ysr', cuddapah: 'ysr', ysrkadapa: 'ysr', anantapuramu: 'anantapur' },
  10: { eastchamparan: 'purbichamparan', westchamparan: 'pashchimchamparan', muzzffarpur: 'muzaffarpur' },
  24: { ahmedabad: 'ahmadabad', dahod: 'dohad', panchmahal: 'panchmahals', mehsana: 'mahesana', kutch: 'kachchh', dangs: 'dang', aravalli: 'arvalli', chhotaudaipur: 'chhotaudepur' },
  6: { gurgaon: 'gurugram', mewat: 'nuh' },
  2: { lahaulandspiti: 'lahulandspiti', lahaulspiti: 'lahulandspiti' },
  20: { eastsinghbhum: 'eastsinghbum', hazaribag: 'hazaribagh', sahibganj: 'sahebganj', seraikellakharsawan: 'saraikelakharsawan', seraikela: 'saraikelakharsawan', kodarma: 'koderma', palamau: 'palamu' },
  29: {
    bagalkot: 'bagalkote', gulbarga: 'kalaburagi', bangalore: 'bengaluruurban', bangaloreurban: 'bengaluruurban', bangalorerural: 'bengalururural',
    bellary: 'ballari', belgaum: 'belagavi', bijapur: 'vijayapura', chikmagalur: 'chikkamagaluru', mysore: 'mysuru', shimoga: 'shivamogga', tumkur: 'tumakuru', davanagere: 'davangere',
  },
  23: { burahanpur: 'burhanpur', hoshangabad: 'narmadapuram', khandwa: 'eastnimar', westnimar: 'khargone', shadol: 'shahdol' },
  27: { raigarh: 'raigad', mumbaicity: 'mumbai' },
  17: { jaintiahills: 'westjaintiahills' },
  21: { angul: 'anugul', baleswar: 'baleshwar', balasore: 'baleshwar', keonjhar: 'kendujhar', jajpur: 'jajapur', khurda: 'khordha', bolangir: 'balangir', nowrangpur: 'nabarangpur', subarnapur: 'sonepur', sundergarh: 'sundargarh', jagatsinghpur: 'jagatsinghapur' },
  34: { puducherry: 'pondicherry' },
  3: { firozpur: 'ferozepur', nawanshahr: 'shahidbhagatsinghnagar', mohali: 'sasnagar', sahibzadaajitsinghnagar: 'sasnagar', ropar: 'rupnagar', muktsar: 'srimuktsarsahib' },
  11: { eastsikkim: 'gangtok', westsikkim: 'gyalshing', northsikkim: 'mangan', southsikkim: 'namchi' },
  33: { tiruvallur: 'thiruvallur', tiruvarur: 'thiruvarur', thoothukudi: 'tuticorin', kanyakumari: 'kanniyakumari', trichy: 'tiruchirappalli', tiruchirapalli: 'tiruchirappalli', viluppuram: 'villupuram', kancheepuram: 'kanchipuram', tirupur: 'tiruppur' },
  9: {
    allahabad: 'prayagraj', faizabad: 'ayodhya', santkabirnagar: 'santkabeernagar', lakhimpurkheri: 'kheri', jyotibaphulenagar: 'amroha', santravidasnagar: 'bhadohi',
    kanshiramnagar: 'kasganj', mahamayanagar: 'hathras', panchsheelnagar: 'hapur', prabuddhanagar: 'shamli', gautambudhnagar: 'gautambuddhanagar', noida: 'gautambuddhanagar', badaun: 'budaun',
  },
  5: { udhamsinghnagar: 'udamsinghnagar', garhwal: 'paurigarhwal', pauri: 'paurigarhwal', hardwar: 'haridwar' },
  19: {
    '24pargsn': '24paraganasnorth', '24pargss': '24paraganassouth', north24parganas: '24paraganasnorth', south24parganas: '24paraganassouth',
    '24parganasnorth': '24paraganasnorth', '24parganassouth': '24paraganassouth', bardhaman: 'purbabardhaman', burdwan: 'purbabardhaman', malda: 'maldah',
    darjiling: 'darjeeling', southdinajpur: 'dinajpurdakshin', dakshindinajpur: 'dinajpurdakshin', northdinajpur: 'dinajpuruttar', uttardinajpur: 'dinajpuruttar',
    eastmidnapore: 'medinipureast', purbamedinipur: 'medinipureast', westmidnapore: 'medinipurwest', paschimmedinipur: 'medinipurwest', hugli: 'hooghly', haora: 'howrah', puruliya: 'purulia',
  },
  36: { warangalurban: 'hanumakonda', warangalrural: 'warangal', jangaon: 'jangoan' },
};

/** Districts that moved to a state made from the one named (old directories still name the parent). */
const SUCCESSOR_STATES: Record<number, number[]> = { 28: [36], 10: [20], 23: [22], 9: [5], 1: [37] };

/** Finds states and districts from the names other directories use. */
export class PlaceIndex {
  private readonly states = new Map<string, OrgUnitRow>();
  private readonly byLgd = new Map<number, OrgUnitRow>();
  private readonly districts = new Map<number, Map<string, OrgUnitRow>>();

  constructor(states: OrgUnitRow[], districts: OrgUnitRow[]) {
    for (const s of states) {
      this.states.set(normName(s.name), s);
      this.byLgd.set(s.lgd_code!, s);
    }
    for (const d of districts) {
      const m = this.districts.get(d.state_lgd!) ?? new Map<string, OrgUnitRow>();
      m.set(normName(d.name), d);
      this.districts.set(d.state_lgd!, m);
    }
  }

  state(name: string): OrgUnitRow | undefined {
    const n = normName(name);
    if (!n) return undefined;
    const hit = this.states.get(n) ?? (STATE_ALIASES[n] !== undefined ? this.byLgd.get(STATE_ALIASES[n]) : undefined);
    if (hit) return hit;
    return unique([...this.states].filter(([k]) => n.length >= 5 && k.startsWith(n)).map(([, v]) => v));
  }

  /** The district named `name` in `state` (exact, known rename, without "district"/the state's name, prefix, successor state). */
  district(state: OrgUnitRow, name: string): { unit: OrgUnitRow } | { reason: string } {
    const n = normName(name);
    if (!n) return { reason: 'the district is empty' };
    const exact = (lgd: number, key: string) => {
      const m = this.districts.get(lgd);
      if (!m) return undefined;
      return m.get(key) ?? (DISTRICT_ALIASES[lgd]?.[key] ? m.get(DISTRICT_ALIASES[lgd][key]) : undefined);
    };
    const lgd = state.lgd_code!;
    const stateKey = normName(state.name);
    const variants = [n, n.replace(/^district/, '').replace(/district$/, '')];
    if (n.endsWith(stateKey) && n.length > stateKey.length) variants.push(n.slice(0, -stateKey.length));
    for (const v of variants) {
      const hit = v && exact(lgd, v);
      if (hit) return { unit: hit };
    }
    const own = [...(this.districts.get(lgd) ?? new Map<string, OrgUnitRow>())];
    // The directory's name starts with a district's name ("Kangra at Dharamshala"), the longest wins.
    const starts = own.filter(([k]) => k.length >= 4 && n.startsWith(k)).sort((a, b) => b[0].length - a[0].length);
    if (starts.length) return { unit: starts[0][1] };
    // Or a district's name starts with the directory's ("Kaimur" → "Kaimur (Bhabua)"), when only one does.
    const prefixed = unique(own.filter(([k]) => n.length >= 4 && k.startsWith(n)).map(([, v]) => v));
    if (prefixed) return { unit: prefixed };
    for (const next of SUCCESSOR_STATES[lgd] ?? []) {
      const hit = exact(next, n);
      if (hit) return { unit: hit };
    }
    return { reason: `no district "${name.trim()}" in ${state.name}` };
  }
}

function unique<T>(xs: T[]): T | undefined {
  return xs.length === 1 ? xs[0] : undefined;
}

/** The place index over every state and district in the database. */
export async function loadPlaceIndex(db: Db): Promise<PlaceIndex> {
  const states = await repo.mapByLgd(db, 'state');
  const districts = await repo.mapByLgd(db, 'district');
  return new PlaceIndex([...states.values()], [...districts.values()]);
}
