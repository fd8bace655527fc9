// The demo telemedicine network of Mandi: PHC Nerchowk is the hub of the district's 303 sub-centres
// (as in Himachal), the medical college at Nerchowk and the zonal hospital are specialty hubs, and
// demo staff can sign in to try every screen: a doctor, a CHO at a spoke, the hub manager and the
// district officer. Staff passwords are the admin password printed at the first start.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { hashPassword } from '../../platform/auth/passwords.js';
import { stableUid, uid } from '../../platform/ids.js';
import { unitId } from '../geo/geo.service.js';
import type { Specialty } from './telemedicine.specialties.js';

type Db = Kysely<Database>;

const id = (key: string) => stableUid(`demo:${key}`);

const HUBS: { key: string; specialties: [Specialty, boolean][] }[] = [
  { key: 'mandi-phc-nerchowk', specialties: [['general_medicine', true], ['obgyn', false], ['paediatrics', false], ['ncd', false]] },
  { key: 'mandi-mc-nerchowk', specialties: [['general_medicine', true], ['dermatology', true], ['psychiatry', true], ['paediatrics', true], ['orthopaedics', false], ['cardiology', false], ['ent', false], ['ophthalmology', false]] },
  { key: 'mandi-zonal', specialties: [['general_medicine', false], ['obgyn', false], ['orthopaedics', false]] },
];

const DOCTORS: { username: string; hub: string; name: string; nameHi: string; specialties: Specialty[]; qualification: string; reg: string }[] = [
  { username: 'dr.nerchowk', hub: 'mandi-phc-nerchowk', name: 'Dr. Anjali Thakur', nameHi: 'डॉ. अंजलि ठाकुर', specialties: ['general_medicine', 'ncd'], qualification: 'MBBS', reg: 'HPMC-12874' },
  { username: 'dr.sharma', hub: 'mandi-phc-nerchowk', name: 'Dr. Rajesh Sharma', nameHi: 'डॉ. राजेश शर्मा', specialties: ['general_medicine', 'paediatrics'], qualification: 'MBBS, DCH', reg: 'HPMC-10931' },
  { username: 'dr.gynae', hub: 'mandi-phc-nerchowk', name: 'Dr. Meena Kumari', nameHi: 'डॉ. मीना कुमारी', specialties: ['obgyn'], qualification: 'MBBS, MS (OBG)', reg: 'HPMC-11508' },
  { username: 'dr.derma', hub: 'mandi-mc-nerchowk', name: 'Dr. Vikram Chauhan', nameHi: 'डॉ. विक्रम चौहान', specialties: ['dermatology', 'general_medicine'], qualification: 'MD (Dermatology)', reg: 'HPMC-09442' },
  { username: 'dr.psych', hub: 'mandi-mc-nerchowk', name: 'Dr. Sunita Negi', nameHi: 'डॉ. सुनीता नेगी', specialties: ['psychiatry'], qualification: 'MD (Psychiatry)', reg: 'HPMC-10077' },
];

export const DEMO_STAFF = [
  { username: 'dr.nerchowk', role: 'doctor', what: 'doctor at the hub PHC Nerchowk' },
  { username: 'cho.spoke', role: 'cho', what: 'CHO at a sub-centre (spoke) of PHC Nerchowk' },
  { username: 'hub.nerchowk', role: 'facility_operator', what: 'hub manager, PHC Nerchowk' },
  { username: 'cmo.mandi', role: 'district_officer', what: 'district officer (CMO), Mandi' },
] as const;

/**
 * Loads the network on the demo registry: hub specialties, spoke links (from each sub-centre's
 * hub), equipment from the registry's desktop and webcam counts, doctors with rosters, and (when
 * `password` is given) the demo staff.
 */
export async function seedTeleNetwork(db: Db, password: string | null): Promise<{ hubs: number; spokes: number }> {
  for (const h of HUBS) {
    await db.insertInto('tele_hub_specialties').values(h.specialties.map(([specialty, home]) => ({ hub_id: id(h.key), specialty, home_opd: home }))).execute();
  }
  const spokes = await db.selectFrom('facilities').select(['id', 'hub_id']).where('hub_id', 'is not', null).where('source', '=', 'demo').execute();
  for (let i = 0; i < spokes.length; i += 500) {
    await db.insertInto('tele_spoke_hubs').values(spokes.slice(i, i + 500).map((s) => ({ spoke_id: s.id, hub_id: s.hub_id! }))).execute();
  }
  // Equipment as the registry counts it; a third of the webcams still on order, as in the state's returns.
  const centres = await db.selectFrom('facilities').select(['id', 'desktops', 'webcams']).where('source', '=', 'demo')
    .where((eb) => eb.or([eb('hub_id', 'is not', null), eb('id', 'in', HUBS.map((h) => id(h.key)))])).execute();
  const equipment = centres.flatMap((c, i) => [
    { facility_id: c.id, kind: 'desktop' as const, installed: c.desktops ?? 0, on_order: c.desktops ? 0 : i % 3 === 0 ? 1 : 0, working: c.desktops ?? 0 },
    { facility_id: c.id, kind: 'webcam' as const, installed: c.webcams ?? 0, on_order: (c.webcams ?? 0) === 0 && i % 2 === 0 ? 1 : 0, working: c.webcams ?? 0 },
    { facility_id: c.id, kind: 'connectivity' as const, installed: 1, on_order: 0, working: i % 7 === 3 ? 0 : 1 },
  ]);
  for (let i = 0; i < equipment.length; i += 500) await db.insertInto('tele_equipment').values(equipment.slice(i, i + 500)).execute();

  // Each spoke holds some of the free medicines, a few run out: the CHO's screen shows both.
  const medicines = (await db.selectFrom('tele_formulary').select('code').where('active', '=', true).orderBy('code').limit(24).execute()).map((m) => m.code);
  const stock = spokes.flatMap((s, i) => medicines.map((code, j) => ({ facility_id: s.id, formulary_code: code, quantity: (i * 7 + j * 13) % 11 === 0 ? 0 : 20 + ((i * 31 + j * 17) % 180) })));
  for (let i = 0; i < stock.length; i += 1000) await db.insertInto('facility_stock').values(stock.slice(i, i + 1000)).execute();

  if (password) {
    const hash = await hashPassword(password);
    const firstHwc = await db.selectFrom('facilities').select('id').where('hub_id', '=', id('mandi-phc-nerchowk')).where('hwc', '=', true).orderBy('id').limit(1).executeTakeFirstOrThrow();
    const staff = [
      ...DOCTORS.map((d) => ({ username: d.username, role: 'doctor', org: id(d.hub), display: d.name })),
      { username: 'cho.spoke', role: 'cho', org: firstHwc.id, display: 'CHO Kiran Devi' },
      { username: 'hub.nerchowk', role: 'facility_operator', org: id('mandi-phc-nerchowk'), display: 'Hub manager, PHC Nerchowk' },
      { username: 'cmo.mandi', role: 'district_officer', org: unitId('district', 22), display: 'CMO Mandi' },
    ];
    await db.insertInto('users').values(staff.map((s) => ({ id: id(`user:${s.username}`), username: s.username, password_hash: hash, role: s.role, org_unit_id: s.org, display_name: s.display, created_by: 'demo' }))).execute();
    await db.insertInto('tele_doctors').values(DOCTORS.map((d, i) => ({
      user_id: id(`user:${d.username}`), hub_id: id(d.hub), hpr_id: `71-${String(4000 + i).padStart(4, '0')}-${String(1200 + i * 7).padStart(4, '0')}-${String(3300 + i * 11).padStart(4, '0')}`,
      registration_number: d.reg, council: 'Himachal Pradesh Medical Council', specialties: d.specialties, qualification: d.qualification, name: d.name, name_hi: d.nameHi,
    }))).execute();
    // Monday to Saturday, 09:00–16:00 IST, each doctor in their first specialty.
    const rosters = DOCTORS.flatMap((d) => [1, 2, 3, 4, 5, 6].map((weekday) => ({ id: uid(), hub_id: id(d.hub), specialty: d.specialties[0], user_id: id(`user:${d.username}`), weekday, starts: '09:00', ends: '16:00', created_by: 'demo' })));
    await db.insertInto('tele_rosters').values(rosters).execute();
  }
  return { hubs: HUBS.length, spokes: spokes.length };
}
