import type { Kysely } from 'kysely';
import type { Database, OrgUnitRow } from '../../db/types.js';
import { tryParsePeriod, type Period } from '../../platform/periods.js';

type Db = Kysely<Database>;
export type IdScheme = 'UID' | 'CODE' | 'NAME';

export interface ElementInfo { id: string; code: string | null; name: string; valueType: string; zeroIsSignificant: boolean; comboId: string; periodTypes: Set<string> }
export interface CocInfo { id: string; code: string | null; name: string; comboId: string; optionIds: string[] }
export interface DataSetInfo { id: string; code: string | null; name: string; periodType: string; timelyDays: number; expiryDays: number; openFuturePeriods: number; comboId: string; elementIds: Set<string> }

/**
 * Metadata and org units for one import or export, loaded once: data elements, option combos,
 * categories and data sets (all small), org units on demand. Identifiers resolve by the scheme
 * asked for (UID or CODE, falling back to the other; NAME, falling back to UID and CODE). A name that
 * two objects share resolves to neither: `clash` names them, so the row is refused naming both.
 */
export class Lookup {
  private constructor(
    private readonly db: Db,
    readonly elements: Map<string, ElementInfo>,
    private readonly elementCodes: Map<string, ElementInfo>,
    readonly cocs: Map<string, CocInfo>,
    private readonly cocCodes: Map<string, CocInfo>,
    readonly dataSets: Map<string, DataSetInfo>,
    private readonly dataSetCodes: Map<string, DataSetInfo>,
    /** category code or id → option code or id → option id */
    private readonly categoryOptions: Map<string, Map<string, string>>,
    /** name → every object of that name, per kind */
    private readonly names: { element: Map<string, ElementInfo[]>; coc: Map<string, CocInfo[]>; dataSet: Map<string, DataSetInfo[]> },
  ) {}

  static async load(db: Db): Promise<Lookup> {
    const [des, dses, dsEls, cocs, cocOpts, cats] = await Promise.all([
      db.selectFrom('hmis_data_elements').select(['id', 'code', 'name', 'value_type', 'zero_is_significant', 'category_combo_id']).execute(),
      db.selectFrom('hmis_data_sets').select(['id', 'code', 'name', 'period_type', 'timely_days', 'expiry_days', 'open_future_periods', 'category_combo_id']).execute(),
      db.selectFrom('hmis_data_set_elements').select(['data_set_id', 'data_element_id', 'category_combo_id']).execute(),
      db.selectFrom('hmis_category_option_combos').select(['id', 'code', 'name', 'combo_id']).execute(),
      db.selectFrom('hmis_coc_options').select(['coc_id', 'option_id']).execute(),
      db.selectFrom('hmis_category_category_options as cco').innerJoin('hmis_categories as c', 'c.id', 'cco.category_id').innerJoin('hmis_category_options as o', 'o.id', 'cco.option_id')
        .select(['c.id as cat_id', 'c.code as cat_code', 'c.name as cat_name', 'o.id as opt_id', 'o.code as opt_code', 'o.name as opt_name']).execute(),
    ]);
    const dataSets = new Map<string, DataSetInfo>(dses.map((d) => [d.id, { id: d.id, code: d.code, name: d.name, periodType: d.period_type, timelyDays: d.timely_days, expiryDays: d.expiry_days, openFuturePeriods: d.open_future_periods, comboId: d.category_combo_id, elementIds: new Set() }]));
    const periodTypes = new Map<string, Set<string>>();
    for (const e of dsEls) {
      const ds = dataSets.get(e.data_set_id);
      if (!ds) continue;
      ds.elementIds.add(e.data_element_id);
      periodTypes.set(e.data_element_id, (periodTypes.get(e.data_element_id) ?? new Set()).add(ds.periodType));
    }
    const elements = new Map<string, ElementInfo>(des.map((d) => [d.id, { id: d.id, code: d.code, name: d.name, valueType: d.value_type, zeroIsSignificant: d.zero_is_significant, comboId: d.category_combo_id, periodTypes: periodTypes.get(d.id) ?? new Set() }]));
    const optionsOf = new Map<string, string[]>();
    for (const o of cocOpts) optionsOf.set(o.coc_id, [...(optionsOf.get(o.coc_id) ?? []), o.option_id]);
    const cocMap = new Map<string, CocInfo>(cocs.map((c) => [c.id, { id: c.id, code: c.code, name: c.name, comboId: c.combo_id, optionIds: (optionsOf.get(c.id) ?? []).sort() }]));
    const categoryOptions = new Map<string, Map<string, string>>();
    for (const c of cats) {
      // ADX names categories and options by id, code or name (DHIS2's categoryIdScheme and categoryOptionIdScheme).
      for (const key of [c.cat_id, c.cat_code, c.cat_name].filter(Boolean) as string[]) {
        const m = categoryOptions.get(key) ?? new Map<string, string>();
        m.set(c.opt_id, c.opt_id);
        if (c.opt_code) m.set(c.opt_code, c.opt_id);
        if (c.opt_name && !m.has(c.opt_name)) m.set(c.opt_name, c.opt_id);
        categoryOptions.set(key, m);
      }
    }
    const byCode = <T extends { code: string | null }>(m: Map<string, T>) => new Map([...m.values()].filter((v) => v.code).map((v) => [v.code!, v]));
    const byName = <T extends { name: string }>(m: Map<string, T>) => {
      const out = new Map<string, T[]>();
      for (const v of m.values()) out.set(v.name, [...(out.get(v.name) ?? []), v]);
      return out;
    };
    return new Lookup(db, elements, byCode(elements), cocMap, byCode(cocMap), dataSets, byCode(dataSets), categoryOptions,
      { element: byName(elements), coc: byName(cocMap), dataSet: byName(dataSets) });
  }

  private pick<T>(ref: string | undefined, ids: Map<string, T>, codes: Map<string, T>, scheme: IdScheme, names?: Map<string, T[]>): T | undefined {
    if (!ref) return undefined;
    if (scheme === 'NAME') {
      const named = names?.get(ref);
      if (named) return named.length === 1 ? named[0] : undefined;
      return ids.get(ref) ?? codes.get(ref);
    }
    return scheme === 'CODE' ? codes.get(ref) ?? ids.get(ref) : ids.get(ref) ?? codes.get(ref);
  }
  element(ref: string | undefined, scheme: IdScheme) { return this.pick(ref, this.elements, this.elementCodes, scheme, this.names.element); }
  coc(ref: string | undefined, scheme: IdScheme) { return this.pick(ref, this.cocs, this.cocCodes, scheme, this.names.coc); }
  dataSet(ref: string | undefined, scheme: IdScheme) { return this.pick(ref, this.dataSets, this.dataSetCodes, scheme, this.names.dataSet); }

  /** Under the NAME scheme, the ids of the objects that share the name `ref` (two or more), else undefined. */
  clash(kind: 'element' | 'coc' | 'dataSet' | 'orgUnit', ref: string | undefined, scheme: IdScheme): string[] | undefined {
    if (scheme !== 'NAME' || !ref) return undefined;
    const ids = kind === 'orgUnit' ? this.unitClashes.get(ref) : this.names[kind].get(ref)?.map((o) => o.id);
    return ids && ids.length > 1 ? ids : undefined;
  }

  /** The option combo of `comboId` made of the options named (ADX: category code → option code). */
  cocFromOptions(comboId: string, named: Record<string, string>): CocInfo | undefined {
    const optionIds: string[] = [];
    for (const [cat, opt] of Object.entries(named)) {
      const id = this.categoryOptions.get(cat)?.get(opt);
      if (!id) return undefined;
      optionIds.push(id);
    }
    const key = optionIds.sort().join('|');
    return [...this.cocs.values()].find((c) => c.comboId === comboId && c.optionIds.join('|') === key);
  }

  private dsCache = new Map<string, DataSetInfo[]>();
  /** The data sets that collect this element in periods of this type. */
  dataSetsFor(elementId: string, periodType: string): DataSetInfo[] {
    const key = `${elementId}|${periodType}`;
    let hit = this.dsCache.get(key);
    if (!hit) {
      hit = [...this.dataSets.values()].filter((d) => d.elementIds.has(elementId) && d.periodType === periodType);
      this.dsCache.set(key, hit);
    }
    return hit;
  }

  private periodCache = new Map<string, Period | null>();
  period(text: string | undefined): Period | null {
    if (!text) return null;
    if (!this.periodCache.has(text)) this.periodCache.set(text, tryParsePeriod(text));
    return this.periodCache.get(text)!;
  }

  private units = new Map<string, OrgUnitRow | null>();
  private unitClashes = new Map<string, string[]>();
  /** Loads the org units named (by id or code, or by name under NAME) in one query per scheme. */
  async preloadOrgUnits(refs: Iterable<string>, scheme: IdScheme) {
    const wanted = [...new Set(refs)].filter((r) => !this.units.has(`${scheme}:${r}`));
    for (let i = 0; i < wanted.length; i += 1000) {
      const chunk = wanted.slice(i, i + 1000);
      const rows = await this.db.selectFrom('org_units').selectAll()
        .where((eb) => eb.or([eb('id', 'in', chunk), eb('code', 'in', chunk), ...(scheme === 'NAME' ? [eb('name', 'in', chunk)] : [])])).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      const byCode = new Map(rows.filter((r) => r.code).map((r) => [r.code!, r]));
      const byName = new Map<string, OrgUnitRow[]>();
      if (scheme === 'NAME') for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
      for (const ref of chunk) {
        const named = byName.get(ref);
        if (named && named.length > 1) this.unitClashes.set(ref, named.map((r) => r.id));
        const hit = named ? (named.length === 1 ? named[0] : undefined) : scheme === 'CODE' ? byCode.get(ref) ?? byId.get(ref) : byId.get(ref) ?? byCode.get(ref);
        this.units.set(`${scheme}:${ref}`, hit ?? null);
      }
    }
  }
  orgUnit(ref: string | undefined, scheme: IdScheme): OrgUnitRow | null {
    return ref ? this.units.get(`${scheme}:${ref}`) ?? null : null;
  }
}
