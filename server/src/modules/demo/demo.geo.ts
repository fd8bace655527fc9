/**
 * Blocks and villages of the demo districts, so the survey can be tried out of the box (an ASHA is
 * assigned villages; `GET /api/geo/units/{id}/children` lists a district's blocks, a block's
 * panchayats (Mandi, Hisar) or villages, and a panchayat's villages).
 *
 * Blocks: LGD's block directory (lgdirectory.gov.in, Government Open Data License – India), block
 * codes and names as LGD gives them (Hindi where LGD has it), taken from the `administrative/blocks.csv`
 * of github.com/planemad/india-local-government-directory (2022). Delhi has no blocks in LGD: its
 * districts are divided into sub-districts (tehsils), which stand in for blocks here, from the same
 * repository's `administrative/3-subdistrict.csv`; they carry no LGD code, because sub-district codes
 * are another series than block codes.
 *
 * Villages: real places of each district (demo.places.ts), spread over its blocks for the demo; they
 * carry no LGD code and their block is a demo placement, not LGD's. In Mandi and Hisar the villages
 * of a block are grouped two by two into gram panchayats named after their first village (a local
 * code GP-<district>-<n>, no LGD code: `swasthya import panchayats` gives the real ones).
 * `swasthya import villages` (or `POST /api/geo/units/import?level=villages`) with the state's LGD
 * village list gives the real villages.
 */
import type { Kysely } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitRow } from '../../db/types.js';
import { stableUid } from '../../platform/ids.js';
import * as geoRepo from '../geo/geo.repository.js';
import { childRow, resolveOrgUnit } from '../geo/geo.service.js';
import { HISAR_VILLAGES, MANDI_VILLAGES, PATNA_PLACES, type Named } from './demo.places.js';

type Db = Kysely<Database>;
type Block = [lgd: number, name: string, nameHi: string | null];

/** LGD block code, name and Hindi name, per district LGD code. */
export const DEMO_BLOCKS: Record<number, Block[]> = {
  63: [[484, 'Adampur', null], [485, 'Agroha', null], [486, 'Barwala', null], [487, 'Hansi-I', null], [488, 'Hansi-II', null], [489, 'Hisar-I', null], [490, 'Hisar-II', null], [491, 'Narnaund', null], [492, 'Uklana', null]],
  22: [[175, 'Balh', null], [7349, 'Bali Chowki', null], [177, 'Chauntra', null], [7494, 'Churag', null], [7490, 'Dhanotu', null], [178, 'Dharmpur', null], [179, 'Drang', null], [176, 'Gohar', null], [180, 'Gopalpur', null], [181, 'Karsog', null], [182, 'Mandi Sadar', null], [7491, 'Nihri', null], [183, 'Seraj', null], [184, 'Sundarnagar', null]],
  212: [[1946, 'Athamalgola', 'अथमलगोला'], [1947, 'Bakhtiarpur', 'बख्तियारपुर'], [1948, 'Barh', 'बाढ'], [1949, 'Belchchi', 'बेलछी'], [1950, 'Bihta', 'बिहटा'], [1951, 'Bikram', 'बिक्रम'], [1952, 'Daniyawan', 'दनियावां'], [1953, 'Dhanarua', 'धनरूआ'], [1954, 'Dinapur', 'दानापुर'], [1955, 'Dulhin Bazar', 'दुल्हिन बाजार'], [1956, 'Fatuha', 'फतुहॉ'], [1957, 'Ghoswari', 'घोसवरी'], [1958, 'Khusrupur', 'खुसरुपुर'], [1959, 'Maner', 'मनेर'], [1960, 'Masaurhi', 'मसौढ़ी'], [1961, 'Mokama', 'मोकामा'], [1962, 'Naubatpur', 'नौबतपुर'], [1963, 'Paliganj', 'पालीगंज'], [1964, 'Pandarak', 'पंडारक'], [1965, 'Patna Sadar', 'पटना सदर'], [1966, 'Phulwari', 'फुलवारीशरीफ'], [1967, 'Punpun', 'पुनपुन'], [1968, 'Sampatchak', 'संपतचक']],
};

/** Delhi's sub-districts per district LGD code (LGD sub-district code kept for the record). */
export const DELHI_SUBDISTRICTS: Record<number, [subdistrictLgd: number, name: string][]> = {
  77: [[433, 'Civil Lines'], [447, 'Karol Bagh'], [435, 'Kotwali']],
  78: [[439, 'Gandhi Nagar'], [6084, 'Mayur Vihar'], [441, 'Preet Vihar']],
  79: [[443, 'Chanakya Puri'], [452, 'Delhi Cantonment'], [453, 'Vasant Vihar']],
  80: [[6076, 'Alipur'], [432, 'Model Town'], [430, 'Narela']],
  81: [[6083, 'Karawal Nagar'], [436, 'Seelam Pur'], [6082, 'Yamuna Vihar']],
  82: [[6078, 'Kanjhawala'], [6077, 'Rohini'], [431, 'Saraswati Vihar']],
  83: [[454, 'Hauz Khas'], [6080, 'Mehrauli'], [6079, 'Saket']],
  84: [[6086, 'Dwarka'], [6085, 'Kapeshera'], [451, 'Najafgarh']],
  85: [[448, 'Patel Nagar'], [450, 'Punjabi Bagh'], [449, 'Rajouri Garden']],
  670: [[455, 'Defence Colony'], [456, 'Kalkaji'], [6081, 'Sarita Vihar']],
  671: [[438, 'Seema Puri'], [437, 'Shahdara'], [440, 'Vivek Vihar']],
};

const VILLAGES_PER_BLOCK = 4;
const DISTRICT_VILLAGES: Record<number, Named[]> = { 63: HISAR_VILLAGES, 22: MANDI_VILLAGES, 212: PATNA_PLACES };

/** Districts whose demo villages are grouped into gram panchayats (villages per panchayat). */
const PANCHAYAT_DISTRICTS: Record<number, number> = { 22: 2, 63: 2 };

function unit(parent: OrgUnitRow, level: 'block' | 'panchayat' | 'village', key: string, name: string, nameHi: string | null, code: string | null = null): NewOrgUnit {
  const id = stableUid(`demo:${key}`);
  return { id, level, lgd_code: null, code, name, name_hi: nameHi, parent_id: parent.id, path: `${parent.path}${id}/`, state_lgd: parent.state_lgd };
}

/** Adds the demo districts' blocks (those not there yet) and a few villages under each. Returns the units added. */
export async function seedDemoGeo(db: Db): Promise<{ blocks: number; panchayats: number; villages: number }> {
  const known = await geoRepo.mapByLgd(db, 'block');
  const rows: NewOrgUnit[] = [];
  let blocks = 0;
  let panchayats = 0;
  let villages = 0;
  const perDistrict = new Map<number, number>();
  // A village's id is the same whether it lies under its block or under a panchayat of the block.
  const addVillages = (block: OrgUnitRow, names: Named[], perPanchayat?: number, district?: number) => {
    names.forEach(([en, hi], i) => {
      let parent = block;
      if (perPanchayat) {
        // A gram panchayat is named after its first (main) village, as most are.
        const [pEn, pHi] = names[i - (i % perPanchayat)];
        if (i % perPanchayat === 0) {
          panchayats++;
          const n = (perDistrict.get(district!) ?? 0) + 1;
          perDistrict.set(district!, n);
          rows.push(unit(block, 'panchayat', `panchayat:${block.id}:${pEn}`, pEn, pHi || null, `GP-${district}-${String(n).padStart(3, '0')}`));
        }
        parent = rows.find((r) => r.id === stableUid(`demo:panchayat:${block.id}:${pEn}`)) as unknown as OrgUnitRow;
      }
      rows.push(unit(parent, 'village', `village:${block.id}:${en}`, en, hi || null));
      villages++;
    });
  };
  for (const [district, list] of Object.entries(DEMO_BLOCKS)) {
    const d = await resolveOrgUnit(db, `district:${district}`);
    const places = [...new Map(DISTRICT_VILLAGES[Number(district)].map((p) => [p[0], p])).values()];
    let next = 0;
    for (const [lgd, name, hi] of list) {
      let block = known.get(lgd) as OrgUnitRow | undefined;
      if (!block) {
        const row = childRow(d, 'block', lgd, name, hi);
        rows.push(row);
        blocks++;
        block = row as unknown as OrgUnitRow;
      }
      const take = places.slice(next, next + VILLAGES_PER_BLOCK);
      next += take.length;
      // A district with fewer named places than blocks × 4 gives each later block its headquarters.
      addVillages(block, take.length ? take : [[name.replace(/\s*(Sadar|-I+)$/, ''), hi ?? '']], PANCHAYAT_DISTRICTS[Number(district)], Number(district));
    }
  }
  for (const [district, list] of Object.entries(DELHI_SUBDISTRICTS)) {
    const d = await resolveOrgUnit(db, `district:${district}`);
    for (const [code, name] of list) {
      const row = unit(d, 'block', `subdistrict:${code}`, name, null);
      rows.push(row);
      blocks++;
      addVillages(row as unknown as OrgUnitRow, [[name, '']]);
    }
  }
  await geoRepo.insertUnits(db, rows);
  return { blocks, panchayats, villages };
}
