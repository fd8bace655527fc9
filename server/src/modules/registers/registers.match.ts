// Members of the register matched to Swasthya patients: by ABHA number first, then by name (either
// script: the phonetic key both spellings share), sex and age (±1 year) within the member's district.
// Sure: the ABHA number, or exactly one patient by name, sex and age. Uncertain (several such, or a
// name alone with the sex but not the age): a review row a person decides. Never a silent merge: a
// link joins the patient to the family, it merges no records.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { joinFamily, RELATIONS } from '../patients/patients.families.js';
import { phoneticKey } from '../patients/patients.names.js';

type Db = Kysely<Database>;

export interface MemberToMatch {
  id: string; familyId: string; relation: string; name: string; nameHi: string | null; sex: string; birthYear: number;
  abhaNumber: string | null; districtPath: string;
}
export interface MatchCounts { linked: number; review: number; none: number }

interface Candidate { id: string; name_key: string; sex: string; birth_date: string; abha_number: string | null; home_path: string }
type Decision = { status: 'linked'; patientId: string; reason: 'abha' | 'name_sex_age' } | { status: 'review'; reason: 'several' | 'name_only'; candidates: string[] } | { status: 'none' };

const year = (d: string) => Number(String(d).slice(0, 4));

/** The decision for one member among the candidates (pure, for tests). */
export function decide(m: MemberToMatch, byAbha: Candidate | undefined, byName: Candidate[]): Decision {
  if (byAbha) return { status: 'linked', patientId: byAbha.id, reason: 'abha' };
  // A patient with another ABHA number is another person.
  const named = byName.filter((p) => !(m.abhaNumber && p.abha_number && p.abha_number !== m.abhaNumber) && p.sex === m.sex);
  const strong = named.filter((p) => Math.abs(year(p.birth_date) - m.birthYear) <= 1);
  if (strong.length === 1) return { status: 'linked', patientId: strong[0].id, reason: 'name_sex_age' };
  if (strong.length > 1) return { status: 'review', reason: 'several', candidates: strong.slice(0, 10).map((p) => p.id) };
  if (named.length) return { status: 'review', reason: 'name_only', candidates: named.slice(0, 10).map((p) => p.id) };
  return { status: 'none' };
}

export async function matchMembers(db: Db, actor: Actor, members: MemberToMatch[]): Promise<MatchCounts> {
  const counts: MatchCounts = { linked: 0, review: 0, none: 0 };
  if (!members.length) return counts;
  const cols = ['id', 'name_key', 'sex', 'birth_date', 'abha_number', 'home_path'] as const;
  const abhas = [...new Set(members.map((m) => m.abhaNumber).filter((a): a is string => !!a))];
  const byAbha = new Map<string, Candidate>();
  if (abhas.length) {
    for (const p of await db.selectFrom('patients').select(cols).where('abha_number', 'in', abhas).where('merged_into', 'is', null).execute()) byAbha.set(p.abha_number!, p);
  }
  const keysOf = (m: MemberToMatch) => [...new Set([phoneticKey(m.name), m.nameHi ? phoneticKey(m.nameHi) : ''].filter(Boolean))];
  const byKey = new Map<string, Candidate[]>();
  const districts = new Map<string, Set<string>>();
  for (const m of members) {
    const set = districts.get(m.districtPath) ?? new Set<string>();
    for (const k of keysOf(m)) set.add(k);
    districts.set(m.districtPath, set);
  }
  for (const [path, keys] of districts) {
    if (!keys.size) continue;
    const rows = await db.selectFrom('patients').select(cols).where('name_key', 'in', [...keys]).where('home_path', 'like', `${path}%`).where('merged_into', 'is', null).orderBy('id').execute();
    for (const p of rows) byKey.set(`${path}|${p.name_key}`, [...(byKey.get(`${path}|${p.name_key}`) ?? []), p]);
  }
  // Patients already linked to a member of the register are that member: never offered again.
  const seen = new Set<string>([...byAbha.values(), ...[...byKey.values()].flat()].map((p) => p.id));
  const taken = new Set<string>();
  if (seen.size) {
    for (const r of await db.selectFrom('register_members').select('patient_id').where('patient_id', 'in', [...seen]).execute()) taken.add(r.patient_id!);
  }
  const decisions = members.map((m) => {
    const abha = m.abhaNumber ? byAbha.get(m.abhaNumber) : undefined;
    const named = new Map<string, Candidate>();
    for (const k of keysOf(m)) for (const p of byKey.get(`${m.districtPath}|${k}`) ?? []) named.set(p.id, p);
    return decide(m, abha && !taken.has(abha.id) ? abha : undefined, [...named.values()].filter((p) => !taken.has(p.id)));
  });
  // One patient the sure match of two members of this file: neither is sure.
  const sureCount = new Map<string, number>();
  for (const d of decisions) if (d.status === 'linked') sureCount.set(d.patientId, (sureCount.get(d.patientId) ?? 0) + 1);
  const now = new Date();
  for (let i = 0; i < members.length; i++) {
    const m = members[i];
    let d = decisions[i];
    if (d.status === 'linked' && sureCount.get(d.patientId)! > 1) d = { status: 'review', reason: 'several', candidates: [d.patientId] };
    counts[d.status]++;
    if (d.status === 'linked') {
      await db.updateTable('register_members').set({ patient_id: d.patientId, match_status: 'linked', match_reason: d.reason, candidates: null, updated_at: now })
        .where('id', '=', m.id).where('patient_id', 'is', null).execute();
      await linkToFamily(db, actor, m.familyId, d.patientId, m.relation);
    } else {
      await db.updateTable('register_members').set({ match_status: d.status, match_reason: d.status === 'review' ? d.reason : null, candidates: d.status === 'review' ? JSON.stringify(d.candidates) : null, updated_at: now })
        .where('id', '=', m.id).where('patient_id', 'is', null).execute();
    }
  }
  return counts;
}

/**
 * The linked patient joins the family (family_members, through the patients module), the head
 * becoming its head when it has none. A patient already in another family stays there: the
 * register's link is kept, the household record is not moved silently.
 */
export async function linkToFamily(db: Db, actor: Actor, familyId: string, patientId: string, relation: string) {
  const rel = (RELATIONS as readonly string[]).includes(relation) ? relation : 'other';
  try {
    await joinFamily(db, actor, familyId, patientId, rel);
  } catch (e) {
    if (!(e instanceof AppError && e.status === 409)) throw e;
  }
  if (rel === 'head') {
    await db.updateTable('families').set({ head_patient_id: patientId }).where('id', '=', familyId).where('head_patient_id', 'is', null).execute();
  }
}

/** Used by tests and the demo: how many members of these families are in each state. */
export async function matchSummary(db: Db, familyIds: string[]) {
  if (!familyIds.length) return [];
  return (await sql<{ match_status: string; n: number }>`select match_status, count(*)::int as n from register_members where family_id = any(${familyIds}::text[]) group by match_status`.execute(db)).rows;
}
