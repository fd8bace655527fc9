import { sql, type Kysely } from 'kysely';
import type { Database, NewOrgUnit, OrgUnitRow } from '../../db/types.js';
import { stableUid } from '../../platform/ids.js';
import { DEFAULTS, type Klass, type Obj, type TypeReport } from './hmis.metadata.types.js';

type Db = Kysely<Database>;
export type Table = Extract<keyof Database, `hmis_${string}`>;

const KLASS_TABLE: Partial<Record<Klass, Table | 'org_units'>> = {
  organisationUnits: 'org_units', categoryOptions: 'hmis_category_options', categories: 'hmis_categories', categoryCombos: 'hmis_category_combos',
  categoryOptionCombos: 'hmis_category_option_combos', dataElements: 'hmis_data_elements', dataSets: 'hmis_data_sets', sections: 'hmis_sections',
  validationRules: 'hmis_validation_rules', indicatorTypes: 'hmis_indicator_types', indicators: 'hmis_indicators',
  dataElementGroups: 'hmis_groups', indicatorGroups: 'hmis_groups', validationRuleGroups: 'hmis_groups',
};

/** Ids already stored for every type the payload mentions, including ids it only refers to. */
export async function existingIds(db: Db, objects: Map<Klass, Obj[]>): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const [klass, table] of Object.entries(KLASS_TABLE) as [Klass, string][]) {
    const rows = await sql<{ id: string }>`select id from ${sql.table(table)}${table === 'org_units' ? sql` where id in (${sql.join(idsOf(objects.get(klass)))})` : sql``}`.execute(db);
    out.set(klass, new Set(rows.rows.map((r) => r.id)));
  }
  return out;
}
const idsOf = (list: Obj[] | undefined) => [...(list ?? []).map((o) => String(o.id)), '-'];

export async function orgUnit(db: Db, id: string): Promise<OrgUnitRow | undefined> {
  return db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Codes must stay unique per type: an object whose code another stored object has is refused. */
export async function checkCodes(db: Db, objects: Map<Klass, Obj[]>, reports: TypeReport[]) {
  for (const [klass, list] of objects) {
    const table = KLASS_TABLE[klass];
    if (!table || table === 'org_units') continue;
    const withCode = list.filter((o) => o.code);
    if (!withCode.length) continue;
    const sameKind = table === 'hmis_groups' ? sql` and kind = ${klass}` : sql``;
    const rows = await sql<{ id: string; code: string }>`select id, code from ${sql.table(table)} where code in (${sql.join(withCode.map((o) => String(o.code)))})${sameKind}`.execute(db);
    const owner = new Map(rows.rows.map((r) => [r.code, r.id]));
    const seen = new Map<string, string>();
    for (const [index, o] of list.entries()) {
      if (!o.code) continue;
      const other = owner.get(o.code) ?? seen.get(o.code);
      seen.set(o.code, o.id!);
      if (other && other !== o.id) {
        const report = reports.find((r) => r.klass === klass)!;
        report.objectReports.push({ klass, uid: o.id!, index, errorReports: [{ errorCode: 'E5003', message: `Property \`code\` with value \`${o.code}\` on object ${o.id} already exists on object ${other}`, mainKlass: klass, errorProperty: 'code', value: o.code }] });
        report.stats.ignored++;
        report.stats.created = Math.max(0, report.stats.created - 1);
      }
    }
  }
}

/** A stored data set's completion rules (both off for a data set not stored yet). */
export async function dataSetCompletionFlags(db: Db, id: string) {
  const r = await db.selectFrom('hmis_data_sets').select(['valid_complete_only', 'allow_complete_with_comments']).where('id', '=', id).executeTakeFirst();
  return { validCompleteOnly: r?.valid_complete_only ?? false, allowCompleteWithComments: r?.allow_complete_with_comments ?? false };
}

export async function dataSetFacilityTypes(db: Db, id: string): Promise<string[]> {
  return (await db.selectFrom('hmis_data_sets').select('facility_types').where('id', '=', id).executeTakeFirst())?.facility_types ?? [];
}

/** A data set's version goes up when its list of data elements changes, as DHIS2 versions forms. */
export async function nextDataSetVersion(db: Db, id: string, elementIds: string[], given?: number): Promise<number> {
  const current = await db.selectFrom('hmis_data_sets').select('version').where('id', '=', id).executeTakeFirst();
  if (!current) return typeof given === 'number' && given > 0 ? given : 1;
  const before = await db.selectFrom('hmis_data_set_elements').select('data_element_id').where('data_set_id', '=', id).execute();
  const same = before.length === elementIds.length && before.every((r) => elementIds.includes(r.data_element_id));
  return Math.max(current.version + (same ? 0 : 1), typeof given === 'number' ? given : 0);
}

type Op =
  | { kind: 'upsert'; table: Table; row: Record<string, unknown> }
  | { kind: 'links'; table: Table; parentCol: string; parentId: string; rows: Record<string, unknown>[] }
  | { kind: 'orgUnit'; row: NewOrgUnit };

/** Writes collected while checking, carried out in order once every object has passed. */
export class WritePlan {
  private ops: Op[] = [];
  private pending = new Map<string, OrgUnitRow>();
  upsert(table: Table, row: Record<string, unknown>) { this.ops.push({ kind: 'upsert', table, row }); }
  links(table: Table, parentCol: string, parentId: string, rows: Record<string, unknown>[]) { this.ops.push({ kind: 'links', table, parentCol, parentId, rows }); }
  orgUnit(row: NewOrgUnit) {
    this.ops.push({ kind: 'orgUnit', row });
    this.pending.set(row.id, { ...row, lgd_code: null, code: row.code ?? null, name_hi: row.name_hi ?? null, parent_id: row.parent_id ?? null, state_lgd: row.state_lgd ?? null, opened_on: row.opened_on ?? null, closed_on: row.closed_on ?? null, created_at: new Date(), updated_at: new Date() } as OrgUnitRow);
  }
  pendingOrgUnit(id: string) { return this.pending.get(id); }

  async execute(db: Db, skip: Set<string | null>) {
    const ownerOf = (op: Op) => (op.kind === 'links' ? op.parentId : String(op.row.id));
    const ops = this.ops.filter((op) => !skip.has(ownerOf(op)));
    for (let i = 0; i < ops.length;) {
      const op = ops[i];
      let j = i + 1;
      while (j < ops.length && ops[j].kind === op.kind && (ops[j] as any).table === (op as any).table && j - i < 300) j++;
      const batch = ops.slice(i, j);
      if (op.kind === 'orgUnit') {
        await db.insertInto('org_units').values(batch.map((b) => (b as Extract<Op, { kind: 'orgUnit' }>).row)).execute();
      } else if (op.kind === 'upsert') {
        const rows = batch.map((b) => ({ ...(b as Extract<Op, { kind: 'upsert' }>).row, updated_at: new Date() }));
        const cols = Object.keys(rows[0]).filter((c) => c !== 'id');
        await (db.insertInto(op.table) as any).values(rows)
          .onConflict((oc: any) => oc.column('id').doUpdateSet(Object.fromEntries(cols.map((c) => [c, sql.ref(`excluded.${c}`)]))))
          .execute();
      } else {
        const links = batch as Extract<Op, { kind: 'links' }>[];
        await (db.deleteFrom(op.table) as any).where(op.parentCol, 'in', links.map((l) => l.parentId)).execute();
        const rows = links.flatMap((l) => l.rows);
        for (let k = 0; k < rows.length; k += 500) await (db.insertInto(op.table) as any).values(rows.slice(k, k + 500)).execute();
      }
      i = j;
    }
  }
}

/** DHIS2's default category option, category, combo and option combo, under DHIS2's ids. */
export async function ensureDefaults(db: Db) {
  const t = JSON.stringify([]);
  await db.insertInto('hmis_category_options').values({ id: DEFAULTS.categoryOption, code: 'default', name: 'default', short_name: 'default', translations: t }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_categories').values({ id: DEFAULTS.category, code: 'default', name: 'default', short_name: 'default', translations: t }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_category_category_options').values({ category_id: DEFAULTS.category, option_id: DEFAULTS.categoryOption, sort_order: 0 }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_category_combos').values({ id: DEFAULTS.categoryCombo, code: 'default', name: 'default', translations: t }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_category_combo_categories').values({ combo_id: DEFAULTS.categoryCombo, category_id: DEFAULTS.category, sort_order: 0 }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_category_option_combos').values({ id: DEFAULTS.categoryOptionCombo, code: 'default', name: 'default', combo_id: DEFAULTS.categoryCombo, translations: t }).onConflict((oc) => oc.doNothing()).execute();
  await db.insertInto('hmis_coc_options').values({ coc_id: DEFAULTS.categoryOptionCombo, option_id: DEFAULTS.categoryOption }).onConflict((oc) => oc.doNothing()).execute();
}

/**
 * Every combination of a combo's categories' options must have an option combo (DHIS2 generates
 * them); those a payload did not send are made here with stable ids.
 */
export async function generateMissingOptionCombos(db: Db) {
  const combos = await db.selectFrom('hmis_category_combo_categories as cc')
    .innerJoin('hmis_category_category_options as co', 'co.category_id', 'cc.category_id')
    .innerJoin('hmis_category_options as o', 'o.id', 'co.option_id')
    .select(['cc.combo_id', 'cc.category_id', 'cc.sort_order as cat_order', 'co.option_id', 'co.sort_order as opt_order', 'o.name'])
    .orderBy('cc.combo_id').orderBy('cc.sort_order').orderBy('co.sort_order')
    .execute();
  const existing = await db.selectFrom('hmis_coc_options as x').innerJoin('hmis_category_option_combos as c', 'c.id', 'x.coc_id')
    .select(['c.combo_id', 'c.id', 'x.option_id']).execute();
  const have = new Map<string, Set<string>>();
  const sets = new Map<string, string[]>();
  for (const r of existing) sets.set(r.id, [...(sets.get(r.id) ?? []), r.option_id]);
  for (const r of existing) have.set(r.combo_id, (have.get(r.combo_id) ?? new Set()).add([...sets.get(r.id)!].sort().join('|')));
  const byCombo = new Map<string, Map<string, { id: string; name: string }[]>>();
  for (const r of combos) {
    const cats = byCombo.get(r.combo_id) ?? new Map();
    cats.set(r.category_id, [...(cats.get(r.category_id) ?? []), { id: r.option_id, name: r.name }]);
    byCombo.set(r.combo_id, cats);
  }
  for (const [comboId, cats] of byCombo) {
    let product: { id: string; name: string }[][] = [[]];
    for (const options of cats.values()) product = product.flatMap((p) => options.map((o) => [...p, o]));
    for (const combo of product) {
      const key = combo.map((o) => o.id).sort().join('|');
      if (have.get(comboId)?.has(key)) continue;
      const id = stableUid(`coc:${comboId}:${key}`);
      await db.insertInto('hmis_category_option_combos').values({ id, name: combo.map((o) => o.name).join(', '), combo_id: comboId, translations: '[]' }).onConflict((oc) => oc.doNothing()).execute();
      await db.insertInto('hmis_coc_options').values(combo.map((o) => ({ coc_id: id, option_id: o.id }))).onConflict((oc) => oc.doNothing()).execute();
    }
  }
}
