// Every code the server sends that a screen shows (roles, facility types, statuses, states, the
// purposes in a patient's access log) has words in both languages, so no screen falls back to
// printing the raw code. The codes are read from the server's sources, so a new one fails here
// until it has its words.
// Run: NODE_ENV=test node --import tsx --test web/src/i18n/enums.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { messages } from './messages.all.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const quoted = (s: string) => [...s.matchAll(/'([^']+)'/g)].map((m) => m[1]!);

/** `export const NAME = [ 'a', 'b' ]` in a server file. */
function constList(file: string, name: string): string[] {
  const m = new RegExp(`export const ${name} = \\[([^\\]]*)\\]`).exec(read(file));
  assert.ok(m, `${name} in ${file}`);
  return quoted(m[1]!);
}

/** `export type Name = 'a' | 'b';` in a server file. */
function unionType(file: string, name: string): string[] {
  const m = new RegExp(`export type ${name} = ([^;]*);`).exec(read(file));
  assert.ok(m, `${name} in ${file}`);
  return quoted(m[1]!);
}

/** The keys of `export const NAME = { key: {...}, ... }`. */
function objectKeys(file: string, name: string): string[] {
  const m = new RegExp(`export const ${name} = \\{([\\s\\S]*?)\\n?\\}(?: as const)?;`).exec(read(file));
  assert.ok(m, `${name} in ${file}`);
  // Keys at the object's own level: the first word of each entry.
  return [...m[1]!.matchAll(/(?:^|[{,]|\n)\s*(\w+):/g)].map((x) => x[1]!).filter((k) => !['en', 'hi'].includes(k));
}

/** The values of every `check (column in ('a', 'b'))` of a column across the migrations. */
function checkValues(column: string, member: string): string[] {
  const dir = 'server/src/db/migrations';
  const out = new Set<string>();
  for (const f of fs.readdirSync(path.join(root, dir))) {
    for (const m of read(`${dir}/${f}`).matchAll(new RegExp(`check \\(${column} in \\(([^)]*)\\)`, 'gi'))) {
      const values = quoted(m[1]!);
      if (values.includes(member)) values.forEach((v) => out.add(v));
    }
  }
  assert.ok(out.size > 0, `a check on ${column} with '${member}'`);
  return [...out];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    if (e.isDirectory()) walk(p, out);
    else if (p.endsWith('.ts') && !p.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

/** Actions and purposes of every audit entry written about a patient: what the patient's access log lists. */
function patientAudit(): { actions: Set<string>; purposes: Set<string> } {
  const actions = new Set<string>();
  const purposes = new Set<string>();
  for (const f of walk('server/src')) {
    const s = read(f);
    for (const m of s.matchAll(/(?:recordAudit|auditRow)\(/g)) {
      let depth = 0;
      let j = m.index + m[0].length - 1;
      const start = j;
      for (; j < s.length; j++) {
        if (s[j] === '(') depth++;
        else if (s[j] === ')' && --depth === 0) break;
      }
      const call = s.slice(start, j);
      if (!call.includes("entity: 'patient'")) continue;
      for (const a of call.matchAll(/action: '(\w+)'/g)) actions.add(a[1]!);
      for (const p of call.matchAll(/purpose: (?:[^,}]*\? )?'(\w+)'/g)) purposes.add(p[1]!);
    }
  }
  // GET /api/patients/{id}?purpose=… records the purpose the caller names.
  const schema = /purpose: Type\.Optional\(Type\.String\(\{ enum: \[([^\]]*)\]/.exec(read('server/src/modules/patients/patients.schema.ts'));
  assert.ok(schema, 'the purposes a patient read may name');
  quoted(schema[1]!).forEach((p) => purposes.add(p));
  return { actions, purposes };
}

test('every code the screens show has words in Hindi and English', () => {
  const audit = patientAudit();
  assert.ok(audit.purposes.size >= 10 && audit.actions.has('read'), 'the patient audit entries were found');
  const codes: Record<string, string[]> = {
    role: constList('server/src/platform/roles.ts', 'ROLES'),
    type: constList('server/src/modules/facilities/facilities.schema.ts', 'FACILITY_TYPES'),
    ayushSystem: constList('server/src/modules/facilities/facilities.schema.ts', 'AYUSH_SYSTEMS'),
    ownership: checkValues('ownership', 'public'),
    system: checkValues('system', 'allopathic'),
    portalStatus: checkValues('portal_status', 'listed'),
    returnStatus: unionType('server/src/modules/hmis/hmis.returns.ts', 'ReturnStatus'),
    'family.relation': constList('server/src/modules/patients/patients.families.ts', 'RELATIONS'),
    'presence.method': constList('server/src/modules/patients/patients.presence.ts', 'METHODS'),
    // An OPD token's states: the OpdTokenStatus type where the server has it (the queue screen's opd.state.*).
    ...(/OpdTokenStatus =/.test(read('server/src/db/types.patients.ts'))
      ? { 'opd.state': unionType('server/src/db/types.patients.ts', 'OpdTokenStatus') }
      : { 'opd.status': checkValues('status', 'left') }),
    'tele.priority': objectKeys('server/src/modules/telemedicine/telemedicine.specialties.ts', 'PRIORITIES'),
    'tele.status': unionType('server/src/db/types.telemedicine.ts', 'TeleRequestStatus'),
    'tele.duty': unionType('server/src/db/types.telemedicine.ts', 'DutyStatus'),
    'tele.refStatus': unionType('server/src/db/types.telemedicine.ts', 'ReferralStatus'),
    'tele.urgency': constList('server/src/modules/telemedicine/telemedicine.clinical.schema.ts', 'URGENCIES'),
    'tele.specialty': objectKeys('server/src/modules/telemedicine/telemedicine.specialties.ts', 'SPECIALTIES'),
    'patients.sex': checkValues('sex', 'female'),
    'patients.log': [...audit.actions],
    'patients.purpose': [...audit.purposes],
    // Grievances (features/grievances): type, status and level of a ticket.
    'grv.type': constList('server/src/modules/grievances/grievances.schema.ts', 'GRIEVANCE_TYPES'),
    'grv.status': constList('server/src/modules/grievances/grievances.schema.ts', 'GRIEVANCE_STATUSES'),
    'grv.level': constList('server/src/modules/grievances/grievances.schema.ts', 'GRIEVANCE_LEVELS'),
    'metadata.status': quoted(/status: ([^;]*);/.exec(read('web/src/features/metadata/metadata.api.ts'))![1]!),
  };
  const missing: string[] = [];
  for (const [prefix, values] of Object.entries(codes)) {
    assert.ok(values.length > 0, `codes for ${prefix}`);
    for (const v of values) {
      for (const lang of ['en', 'hi'] as const) {
        const text = (messages[lang] as Record<string, string>)[`${prefix}.${v}`];
        if (!text) missing.push(`${lang} ${prefix}.${v}`);
        else if (lang === 'hi' && text === v) missing.push(`${lang} ${prefix}.${v} is the code itself`);
      }
    }
  }
  assert.deepEqual(missing, []);
});
