// A small demo family register for Mandi: 200 families over the villages of its gram panchayats,
// generated deterministically as the register's own CSV (with Swasthya's village ids, since the demo
// villages carry no LGD code) and loaded through the same import as a real extract.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { ROLE_PERMISSIONS } from '../../platform/roles.js';
import { COUNTRY_ID } from '../geo/geo.service.js';
import { prng } from '../demo/demo.random.js';
import { importRegister } from './registers.import.js';

const MEN: [string, string][] = [['Ramesh', 'रमेश'], ['Suresh', 'सुरेश'], ['Mohan', 'मोहन'], ['Rajesh', 'राजेश'], ['Prem', 'प्रेम'], ['Hem Raj', 'हेम राज'], ['Dinesh', 'दिनेश'], ['Vijay', 'विजय'], ['Anil', 'अनिल'], ['Sanjay', 'संजय'], ['Kishori Lal', 'किशोरी लाल'], ['Bhagat Ram', 'भगत राम']];
const WOMEN: [string, string][] = [['Sunita', 'सुनीता'], ['Kamla', 'कमला'], ['Geeta', 'गीता'], ['Anita', 'अनीता'], ['Reena', 'रीना'], ['Neelam', 'नीलम'], ['Santosh', 'संतोष'], ['Pushpa', 'पुष्पा'], ['Meena', 'मीना'], ['Asha', 'आशा']];
const SURNAMES: [string, string][] = [['Thakur', 'ठाकुर'], ['Sharma', 'शर्मा'], ['Rana', 'राणा'], ['Verma', 'वर्मा'], ['Chauhan', 'चौहान'], ['Negi', 'नेगी'], ['Kumar', 'कुमार'], ['Guleria', 'गुलेरिया']];
const CATEGORIES = ['general', 'general', 'bpl', 'free'];

export const DEMO_FAMILIES = 200;
/** The demo seed acts as the country-wide administrator; its audit rows say `demo`. */
const DEMO_ACTOR: Actor = { userId: 'demo', username: 'demo', role: 'admin', orgUnitId: COUNTRY_ID, orgPath: `/${COUNTRY_ID}/`, permissions: new Set(ROLE_PERMISSIONS.admin), ip: null };

/** The demo register's CSV for these villages (each under a gram panchayat). */
export function demoRegisterCsv(villageIds: string[], families = DEMO_FAMILIES, thisYear = 2026): string {
  const r = prng(20261207);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const lines = ['family_id,member_id,name,name_hi,relation,sex,birth_year,village_id,category,abha_number,mobile'];
  for (let i = 0; i < families; i++) {
    const fid = `HP${String(202600000 + i * 37).padStart(10, '0')}`;
    const village = villageIds[i % villageIds.length];
    const [sEn, sHi] = pick(SURNAMES);
    const category = pick(CATEGORIES);
    const headYear = thisYear - 28 - Math.floor(r() * 45);
    const people: [string, string, string, string, number][] = [];
    const [hEn, hHi] = pick(MEN);
    people.push([`${hEn} ${sEn}`, `${hHi} ${sHi}`, 'head', 'M', headYear]);
    if (r() < 0.85) { const [w, wh] = pick(WOMEN); people.push([`${w} Devi`, `${wh} देवी`, 'spouse', 'F', headYear + 2 + Math.floor(r() * 4)]); }
    const children = Math.floor(r() * 4);
    for (let c = 0; c < children; c++) {
      const son = r() < 0.5;
      const [n, nh] = son ? pick(MEN) : pick(WOMEN);
      people.push([`${n} ${sEn}`, `${nh} ${sHi}`, son ? 'son' : 'daughter', son ? 'M' : 'F', Math.min(thisYear, headYear + 22 + c * 3)]);
    }
    if (r() < 0.25) { const [m, mh] = pick(WOMEN); people.push([`${m} Devi`, `${mh} देवी`, 'mother', 'F', headYear - 24 - Math.floor(r() * 6)]); }
    people.forEach(([en, hi, rel, sex, year], k) => {
      // About half the members have an ABHA number (demo numbers: 91 + family and member serials).
      const abha = r() < 0.5 ? `91${String(i).padStart(6, '0')}${String(k).padStart(2, '0')}${String(Math.floor(r() * 9999)).padStart(4, '0')}` : '';
      const mobile = rel === 'head' && r() < 0.7 ? `98${String(Math.floor(r() * 1e8)).padStart(8, '0')}` : '';
      lines.push([fid, `${fid}-${String(k + 1).padStart(2, '0')}`, en, hi, rel, sex, year, village, category, abha, mobile].join(','));
    });
  }
  return lines.join('\n');
}

/** Loads the demo register for Mandi (district LGD 22) when the district has gram panchayats; returns the families loaded. */
export async function seedDemoRegister(db: Kysely<Database>, actor: Actor = DEMO_ACTOR): Promise<number> {
  const district = await db.selectFrom('org_units').select('path').where('level', '=', 'district').where('lgd_code', '=', 22).executeTakeFirst();
  if (!district) return 0;
  const villages = await db.selectFrom('org_units as v').innerJoin('org_units as gp', 'gp.id', 'v.parent_id')
    .select('v.id').where('v.level', '=', 'village').where('gp.level', '=', 'panchayat').where('v.path', 'like', `${district.path}%`).orderBy('v.path').execute();
  if (!villages.length) return 0;
  const r = await importRegister(db, actor, demoRegisterCsv(villages.map((v) => v.id)), { file: 'demo-mandi-register.csv' });
  return r.families.added + r.families.updated;
}
