// Demo data for the telemedicine counts: one day of national consultations by state (the ranking),
// and about thirty days of past consultations at the demo hubs, with the doctors' duty log, so the
// state screen has something to show on a fresh demo database. Called by the demo seed after the
// hub-and-spoke network (hub specialties, spokes, doctors) is in place.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { Database, TeleDutyLogTable, TeleRequestsTable } from '../../db/types.js';
import { uid } from '../../platform/ids.js';
import { todayIst } from '../../platform/periods.js';
import { linkFacility, registerPatient } from '../patients/patients.service.js';
import { loadTeleStateCounts } from './telemedicine.stats.js';
import { prng } from '../demo/demo.random.js';

type Db = Kysely<Database>;

const DAY_MS = 86_400_000;
const IST_MS = 330 * 60_000;
export const DEMO_COUNTS_SOURCE = 'demo: national dashboard figures';

/**
 * National teleconsultations of one day by state (LGD code → count). The first three are the figures
 * of the issue (Tamil Nadu 32,035, Andhra Pradesh 28,960, Himachal Pradesh 24,527); the others are
 * illustrative, below them.
 */
export const DEMO_STATE_COUNTS: [number, number][] = [
  [33, 32_035], [28, 28_960], [2, 24_527], [19, 21_418], [29, 19_806], [27, 15_207], [9, 14_650], [24, 11_932],
  [36, 10_417], [23, 9_368], [10, 8_742], [8, 6_115], [32, 5_287], [21, 4_906], [6, 3_844], [3, 2_973],
  [20, 2_611], [18, 2_280], [5, 1_736], [22, 1_522], [1, 1_208], [7, 604], [30, 412], [16, 388],
  [17, 215], [14, 174], [34, 158], [4, 121], [11, 96], [13, 88], [15, 73], [38, 67], [12, 64], [35, 42], [37, 31], [31, 9],
];

const istDay = (offsetDays: number, today = todayIst()) => new Date(Date.parse(`${today}T00:00:00Z`) + offsetDays * DAY_MS).toISOString().slice(0, 10);
/** The instant of `minutes` after midnight IST on `day`. */
const istAt = (day: string, minutes: number) => new Date(Date.parse(`${day}T00:00:00Z`) - IST_MS + Math.round(minutes * 60_000));

/** The national counts of one demo day (yesterday in IST unless a day is given). */
export async function seedTeleStateCounts(db: Db, day = istDay(-1)): Promise<{ day: string; states: number }> {
  const states = await loadTeleStateCounts(db, DEMO_STATE_COUNTS.map(([stateLgd, consultations]) => ({ stateLgd, day, consultations })), DEMO_COUNTS_SOURCE);
  return { day, states };
}


type P = [name: string, nameHi: string, sex: 'male' | 'female', age: number];
const PEOPLE: P[] = [
  ['Kamla Devi', 'कमला देवी', 'female', 58], ['Ramesh Kumar', 'रमेश कुमार', 'male', 45], ['Sunita Thakur', 'सुनीता ठाकुर', 'female', 32],
  ['Hem Raj', 'हेम राज', 'male', 67], ['Anjali Sharma', 'अंजलि शर्मा', 'female', 26], ['Prem Chand', 'प्रेम चंद', 'male', 72],
  ['Geeta Kumari', 'गीता कुमारी', 'female', 41], ['Vijay Singh', 'विजय सिंह', 'male', 38], ['Nirmla Devi', 'निर्मला देवी', 'female', 63],
  ['Suresh Chauhan', 'सुरेश चौहान', 'male', 51], ['Pooja Rana', 'पूजा राणा', 'female', 24], ['Bhagat Ram', 'भगत राम', 'male', 79],
  ['Shanti Devi', 'शांति देवी', 'female', 69], ['Rakesh Verma', 'राकेश वर्मा', 'male', 35], ['Meena Kumari', 'मीना कुमारी', 'female', 29],
  ['Dev Raj', 'देव राज', 'male', 56], ['Kavita Negi', 'कविता नेगी', 'female', 34], ['Mohan Lal', 'मोहन लाल', 'male', 61],
  ['Sarla Devi', 'सरला देवी', 'female', 47], ['Ajay Kumar', 'अजय कुमार', 'male', 19], ['Reena Guleria', 'रीना गुलेरिया', 'female', 37],
  ['Jagdish Chand', 'जगदीश चंद', 'male', 66], ['Usha Rani', 'उषा रानी', 'female', 53], ['Sanjay Kapoor', 'संजय कपूर', 'male', 43],
  ['Lata Devi', 'लता देवी', 'female', 75], ['Naresh Katoch', 'नरेश कटोच', 'male', 48], ['Neha Chandel', 'नेहा चंदेल', 'female', 22],
  ['Om Prakash', 'ओम प्रकाश', 'male', 70], ['Savitri Devi', 'सावित्री देवी', 'female', 60], ['Manoj Patial', 'मनोज पटियाल', 'male', 31],
  ['Kiran Bala', 'किरण बाला', 'female', 44], ['Tek Chand', 'टेक चंद', 'male', 57], ['Bimla Devi', 'बिमला देवी', 'female', 66],
  ['Arun Sood', 'अरुण सूद', 'male', 39], ['Priya Jamwal', 'प्रिया जमवाल', 'female', 27], ['Khem Singh', 'खेम सिंह', 'male', 74],
];
const COMPLAINTS = ['fever and body ache for three days', 'cough for two weeks', 'knee pain while walking', 'high blood pressure follow-up', 'sugar control review',
  'itching rash on arms', 'pain in lower abdomen', 'headache and giddiness', 'ear pain and discharge', 'blurred vision', 'back pain', 'sleeplessness and worry',
  'antenatal check, second trimester', 'child with loose motions', 'breathlessness on climbing'];
/** How often each specialty is asked for, relative to the others. */
const WEIGHT: Record<string, number> = { general_medicine: 10, obgyn: 4, paediatrics: 4, ncd: 4, dermatology: 3, orthopaedics: 3, ent: 2, ophthalmology: 2, psychiatry: 1.5, cardiology: 1.5, dental: 1, ayush: 2 };

interface Hub { id: string; path: string; state_lgd: number | null }
interface Spoke { id: string; path: string; state_lgd: number | null }

const districtIdOf = (path: string) => path.split('/').filter(Boolean)[2];

/**
 * About `days` days (ending yesterday, IST) of completed and no-show consultations at every demo hub
 * with doctors: from its spokes (demo patients registered there) and, for specialties it runs as a
 * home OPD, from patients at home; each request called by a doctor of the specialty after a
 * realistic wait, and each doctor's day in the duty log (online 09:00, a break at 13:00, back at
 * 13:30, offline after the last patient). Does nothing for a hub that already has history.
 */
export async function seedTeleHistory(db: Db, opts: { days?: number; today?: string } = {}): Promise<{ patients: number; requests: number }> {
  const days = opts.days ?? 30;
  const today = opts.today ?? todayIst();
  const rand = prng(20261122);
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const hubs = await db.selectFrom('tele_hub_specialties as s').innerJoin('facilities as f', 'f.id', 's.hub_id').innerJoin('org_units as o', 'o.id', 's.hub_id')
    .select(['o.id', 'o.path', 'o.state_lgd']).distinct().where('f.source', '=', 'demo').orderBy('o.id').execute() as Hub[];
  let patients = 0, requests = 0;
  for (const hub of hubs) {
    const already = await db.selectFrom('tele_requests').select('id').where('hub_id', '=', hub.id).where('day', '<', today).limit(1).executeTakeFirst();
    if (already) continue;
    const offered = await db.selectFrom('tele_hub_specialties').select(['specialty', 'home_opd']).where('hub_id', '=', hub.id).orderBy('specialty').execute();
    const doctors = await db.selectFrom('tele_doctors').select(['user_id', 'specialties']).where('hub_id', '=', hub.id).orderBy('user_id').execute();
    const bySpecialty = new Map(offered.map((o) => [o.specialty, doctors.filter((d) => d.specialties.includes(o.specialty)).map((d) => d.user_id)] as const).filter(([, ds]) => ds.length > 0));
    const home = new Set(offered.filter((o) => o.home_opd && bySpecialty.has(o.specialty)).map((o) => o.specialty));
    const spokes = await db.selectFrom('tele_spoke_hubs as l').innerJoin('org_units as o', 'o.id', 'l.spoke_id')
      .select(['o.id', 'o.path', 'o.state_lgd']).where('l.hub_id', '=', hub.id).orderBy('o.id').execute() as Spoke[];
    // Without spokes a hub sees only patients at home, in its home OPD specialties.
    if (!spokes.length) for (const code of [...bySpecialty.keys()]) if (!home.has(code)) bySpecialty.delete(code);
    if (!bySpecialty.size) continue;

    // A few dozen patients of the hub's district, each registered at one of the busier spokes (or online).
    const district = await db.selectFrom('org_units').select(['id', 'lgd_code', 'state_lgd']).where('id', '=', districtIdOf(hub.path)).executeTakeFirst();
    if (!district?.lgd_code) continue;
    const active = spokes.slice(0, Math.min(spokes.length, 24));
    const people: { id: string; spoke: Spoke | null }[] = [];
    for (const [name, nameHi, sex, age] of PEOPLE) {
      const spoke = active.length ? pick(active) : null;
      const p = await registerPatient(db, null, { name, nameHi, sex, age, address: { district: district.lgd_code } }, spoke ? 'counter' : 'online');
      if (spoke) await linkFacility(db, p.id, spoke);
      people.push({ id: p.id, spoke });
    }
    patients += people.length;
    const districts = new Map<string, { lgd: number | null; state: number | null }>();
    const districtOf = async (path: string) => {
      const id = districtIdOf(path);
      if (!districts.has(id)) {
        const d = await db.selectFrom('org_units').select(['lgd_code', 'state_lgd']).where('id', '=', id).executeTakeFirst();
        districts.set(id, { lgd: d?.lgd_code ?? null, state: d?.state_lgd ?? null });
      }
      return districts.get(id)!;
    };

    const codes = [...bySpecialty.keys()];
    const weights = codes.map((c) => WEIGHT[c] ?? 1);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const chooseSpecialty = () => {
      let x = rand() * weightSum;
      for (const [i, c] of codes.entries()) { x -= weights[i]!; if (x <= 0) return c; }
      return codes[codes.length - 1]!;
    };
    const rows: Insertable<TeleRequestsTable>[] = [];
    const duty: Insertable<TeleDutyLogTable>[] = [];
    const tokens: { hub_id: string; specialty: string; day: string; last: number }[] = [];
    for (let back = days; back >= 1; back--) {
      const day = istDay(-back, today);
      const sunday = new Date(`${day}T00:00:00Z`).getUTCDay() === 0;
      const n = spokes.length ? Math.round((sunday ? 8 : 26) + rand() * (sunday ? 6 : 18)) : Math.round((sunday ? 2 : 6) + rand() * (sunday ? 3 : 8));
      // Arrivals between 09:00 and 15:30, grouped by queue (specialty), served in order of arrival.
      const arrivals = Array.from({ length: n }, () => ({ specialty: chooseSpecialty(), at: 540 + rand() * 390 })).sort((a, b) => a.at - b.at);
      const free = new Map<string, number>();
      const lastEnd = new Map<string, number>();
      const seq = new Map<string, number>();
      for (const a of arrivals) {
        const docs = bySpecialty.get(a.specialty)!;
        const doctor = docs.reduce((best, d) => ((free.get(d) ?? 540) < (free.get(best) ?? 540) ? d : best), docs[0]!);
        // Time the patient waits before being called: a few minutes to half an hour, more when the doctor is busy.
        let called = Math.max(a.at + 2 + Math.exp(Math.log(9) + 0.7 * gauss(rand)), free.get(doctor) ?? 540);
        if (called >= 780 && called < 810) called = 810 + rand() * 5; // the doctor's break
        const noShow = rand() < 0.07;
        const started = called + 0.5 + rand() * 1.5;
        const ended = started + 4 + rand() * 10;
        free.set(doctor, noShow ? called + 3 : ended + 0.5);
        lastEnd.set(doctor, Math.max(lastEnd.get(doctor) ?? 0, noShow ? called + 3 : ended));
        const token = (seq.get(a.specialty) ?? 0) + 1;
        seq.set(a.specialty, token);
        const person = pick(people);
        // From home now and then where the specialty runs a home OPD; always when the hub has no spokes.
        const spoke = person.spoke && !(home.has(a.specialty) && rand() < 0.15) ? person.spoke : null;
        const where = await districtOf((spoke ?? hub).path);
        const roll = rand();
        const priority = roll < 0.06 ? 0 : roll < 0.26 ? 2 : 3;
        rows.push({
          id: uid(), token, day, hub_id: hub.id, hub_path: hub.path, specialty: a.specialty, patient_id: person.id, channel: spoke ? 'spoke' : 'home',
          spoke_id: spoke?.id ?? null, spoke_path: spoke?.path ?? null, state_lgd: where.state ?? hub.state_lgd, district_lgd: where.lgd,
          priority, priority_reason: priority === 0 ? 'emergency' : priority === 2 ? 'elderly' : null, preferred_doctor_id: null,
          complaint: pick(COMPLAINTS), vitals: null, status: noShow ? 'no_show' : 'completed',
          queued_at: istAt(day, a.at), requeues: noShow ? 1 : 0, called_at: istAt(day, called), doctor_id: doctor,
          started_at: noShow ? null : istAt(day, started), ended_at: noShow ? istAt(day, called + 3) : istAt(day, ended),
          expires_at: istAt(day, a.at + 240), room_url: null, access_key_hash: null, requested_by: null, created_at: istAt(day, a.at),
        });
      }
      for (const [specialty, last] of seq) tokens.push({ hub_id: hub.id, specialty, day, last });
      for (const [doctor, end] of lastEnd) {
        const specialty = codes.find((c) => bySpecialty.get(c)!.includes(doctor))!;
        const log = (status: 'online' | 'break' | 'offline', minutes: number) => duty.push({ user_id: doctor, hub_id: hub.id, specialty, status, at: istAt(day, minutes) });
        log('online', 535);
        log('break', 780);
        log('online', 810);
        log('offline', Math.max(960, end + 5));
      }
    }
    for (let i = 0; i < rows.length; i += 400) await db.insertInto('tele_requests').values(rows.slice(i, i + 400)).execute();
    for (let i = 0; i < duty.length; i += 1000) await db.insertInto('tele_duty_log').values(duty.slice(i, i + 1000)).execute();
    if (tokens.length) {
      await db.insertInto('tele_tokens').values(tokens)
        .onConflict((oc) => oc.columns(['hub_id', 'specialty', 'day']).doUpdateSet({ last: sql`greatest(tele_tokens.last, excluded.last)` })).execute();
    }
    requests += rows.length;
  }
  return { patients, requests };
}

/** A standard normal draw (Box–Muller). */
function gauss(rand: () => number): number {
  const u = Math.max(rand(), 1e-9), v = rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
