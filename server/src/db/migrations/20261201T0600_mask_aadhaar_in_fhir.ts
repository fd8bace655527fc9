import { sql, type Kysely } from 'kysely';

// No whole Aadhaar number in stored FHIR resources. Resources kept before the FHIR module masked them
// may hold one in an identifier under UIDAI's system (or typed as Aadhaar), anywhere in the resource
// (contained resources, extensions, references): each such value becomes XXXX-XXXX-<last four digits>
// and the resource gets the security label MASKED. Then PostgreSQL itself refuses any resource with an
// identifier under UIDAI's system whose value has more than four digits.
//
// The walk repeats the FHIR module's rule (fhir.aadhaar.ts) on purpose: a migration never imports app
// code. Running it again changes nothing.

const UIDAI = /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*uidai\.gov\.in(?:[/?#]|$)/i;
const WORD = /a+d+h+a+a*r|आधार/i;
const DIGIT = /[0-9\u0966-\u096F]/g;
const MASKED = { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'MASKED', display: 'masked' };

type Obj = Record<string, any>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const uidai = (s: unknown) => typeof s === 'string' && UIDAI.test(s.trim());

function isAadhaar(o: Obj): boolean {
  if (!('value' in o)) return false;
  if (uidai(o.system)) return true;
  const t = o.type;
  if (!isObj(t)) return false;
  if (typeof t.text === 'string' && WORD.test(t.text)) return true;
  return Array.isArray(t.coding) && t.coding.some((c: unknown) => isObj(c)
    && (uidai(c.system) || (typeof c.code === 'string' && WORD.test(c.code)) || (typeof c.display === 'string' && WORD.test(c.display))));
}

/** Masks in place; true when anything changed. */
export function maskResource(resource: unknown): boolean {
  let changed = false;
  const stack: unknown[] = [resource];
  while (stack.length) {
    const node = stack.pop();
    if (Array.isArray(node)) { for (const v of node) stack.push(v); continue; }
    if (!isObj(node)) continue;
    if (isAadhaar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
      const digits = (String(node.value).match(DIGIT) ?? []).map((d) => String(d.charCodeAt(0) >= 0x0966 ? d.charCodeAt(0) - 0x0966 : d));
      if (digits.length > 4) {
        node.value = `XXXX-XXXX-${digits.slice(-4).join('')}`;
        changed = true;
      }
    }
    for (const v of Object.values(node)) if (typeof v === 'object' && v !== null) stack.push(v);
  }
  if (changed && isObj(resource)) {
    const meta = isObj(resource.meta) ? resource.meta : (resource.meta = {});
    const labels = Array.isArray(meta.security) ? meta.security : (meta.security = []);
    if (!labels.some((l: unknown) => isObj(l) && l.system === MASKED.system && l.code === MASKED.code)) labels.push({ ...MASKED });
  }
  return changed;
}

export async function up(db: Kysely<any>): Promise<void> {
  let after = { type: '', id: '' };
  for (;;) {
    const { rows } = await sql<{ resource_type: string; id: string; resource: unknown }>`
      select resource_type, id, resource from fhir_resources
      where (resource_type, id) > (${after.type}, ${after.id}) and resource::text ~* 'uidai|a+d+h+a+a*r|आधार'
      order by resource_type, id limit 200`.execute(db);
    if (!rows.length) break;
    for (const row of rows) {
      const resource = typeof row.resource === 'string' ? JSON.parse(row.resource) : row.resource;
      if (maskResource(resource)) {
        await sql`update fhir_resources set resource = ${JSON.stringify(resource)}::jsonb where resource_type = ${row.resource_type} and id = ${row.id}`.execute(db);
      }
    }
    const last = rows[rows.length - 1];
    after = { type: last.resource_type, id: last.id };
  }
  await sql`alter table fhir_resources drop constraint if exists fhir_resources_no_whole_aadhaar`.execute(db);
  await sql.raw(`alter table fhir_resources add constraint fhir_resources_no_whole_aadhaar check (not jsonb_path_exists(resource,
    '$.** ? (@.system like_regex "uidai[.]gov[.]in" flag "i" && @.value like_regex "([0-9०-९][^0-9०-९]*){5}")'))`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table fhir_resources drop constraint if exists fhir_resources_no_whole_aadhaar`.execute(db);
}
