import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { stableUid } from '../../platform/ids.js';
import {
  DHIS2_DEFAULT_IDS, hmisFormRows, indiaHmisMetadata,
  type Dhis2Identifiable, type Dhis2Metadata, type Dhis2Ref,
} from './hmis.seed-metadata.js';

const m = indiaHmisMetadata();
const list = <T = Dhis2Identifiable>(type: string): T[] => ((m as Record<string, unknown>)[type] ?? []) as T[];
const TYPES = Object.keys(m).filter((k) => Array.isArray(m[k]));
const DEFAULTS = new Set<string>(Object.values(DHIS2_DEFAULT_IDS));
const ids = (type: string) => new Set(list(type).map((o) => o.id));
const byId = <T extends Dhis2Identifiable>(type: string) => new Map(list<T>(type).map((o) => [o.id, o]));
const dataElements = list<Dhis2Identifiable & { categoryCombo: Dhis2Ref; formName: string; zeroIsSignificant: boolean }>('dataElements');
const deByCode = new Map(dataElements.map((d) => [d.code!, d]));
const DEVANAGARI = /[\u0900-\u097F]/;
const REF = /#\{([A-Za-z0-9]{11})(?:\.([A-Za-z0-9]{11}))?\}/g;

/** Every {id} reference anywhere below `value`, with the path it was found at. */
function references(value: unknown, path: string, out: { id: string; path: string }[] = []) {
  if (Array.isArray(value)) value.forEach((v, n) => references(v, `${path}[${n}]`, out));
  else if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'id') out.push({ id: (value as Dhis2Ref).id, path });
    else for (const k of keys) references((value as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
  return out;
}

/** Data element and COC ids referred to by a DHIS2 expression; throws on anything but refs, +, spaces. */
function expressionRefs(expr: string): { de: string; coc?: string }[] {
  assert.match(expr.replace(REF, '').trim(), /^[+\s]*$/, `unexpected text in expression ${expr}`);
  return [...expr.matchAll(REF)].map((x) => ({ de: x[1], coc: x[2] }));
}

function hindiOf(o: Dhis2Identifiable, property: string): string | undefined {
  return o.translations?.find((t) => t.property === property && t.locale === 'hi')?.value;
}

describe('India HMIS seed metadata', () => {
  test('is deterministic, with ids derived from type and code', () => {
    assert.deepEqual(indiaHmisMetadata(), m);
    assert.equal(deByCode.get('1.1')!.id, stableUid('hmis:dataElement:1.1'));
    assert.equal(list('dataSets')[0].id, stableUid('hmis:dataSet:HMIS_MONTHLY'));
    for (const type of TYPES) {
      const singular = type.replace(/ies$/, 'y').replace(/s$/, '');
      for (const o of list(type)) {
        if (DEFAULTS.has(o.id)) continue;
        assert.equal(o.id, stableUid(`hmis:${singular}:${o.code}`), `${type} ${o.code}`);
      }
    }
  });

  test('ids are DHIS2 uids, unique per type and overall; codes unique per type', () => {
    const seen = new Set<string>();
    for (const type of TYPES) {
      const objects = list(type);
      assert.ok(objects.length > 0, type);
      for (const o of objects) {
        assert.match(o.id, /^[A-Za-z][A-Za-z0-9]{10}$/, `${type} ${o.id}`);
        assert.ok(!seen.has(o.id), `duplicate id ${o.id} (${type})`);
        seen.add(o.id);
        assert.ok(o.code, `${type} ${o.id} has no code`);
        assert.ok(o.name, `${type} ${o.id} has no name`);
      }
      const codes = objects.map((o) => o.code);
      assert.equal(new Set(codes).size, codes.length, `duplicate codes in ${type}`);
      const names = objects.map((o) => o.name);
      assert.equal(new Set(names).size, names.length, `duplicate names in ${type}`);
    }
  });

  test("includes DHIS2's default category model with its fixed ids", () => {
    const D = DHIS2_DEFAULT_IDS;
    assert.equal(byId('categoryOptions').get(D.categoryOption)?.name, 'default');
    assert.deepEqual(byId<Dhis2Identifiable & { categoryOptions: Dhis2Ref[] }>('categories').get(D.category)?.categoryOptions, [{ id: D.categoryOption }]);
    assert.deepEqual(byId<Dhis2Identifiable & { categories: Dhis2Ref[] }>('categoryCombos').get(D.categoryCombo)?.categories, [{ id: D.category }]);
    const coc = byId<Dhis2Identifiable & { categoryCombo: Dhis2Ref; categoryOptions: Dhis2Ref[] }>('categoryOptionCombos').get(D.categoryOptionCombo);
    assert.equal(coc?.name, 'default');
    assert.deepEqual([coc?.categoryCombo, coc?.categoryOptions], [{ id: D.categoryCombo }, [{ id: D.categoryOption }]]);
  });

  test('every {id} reference points to an object in the metadata', () => {
    const all = new Set(TYPES.flatMap((t) => [...ids(t)]));
    const refs = references(m, 'metadata');
    assert.ok(refs.length > 300);
    for (const r of refs) assert.ok(all.has(r.id) || DEFAULTS.has(r.id), `${r.path} -> ${r.id}`);
    // And to an object of the right type.
    const typed: [string, string, (o: any) => Dhis2Ref[]][] = [
      ['categories', 'categoryOptions', (o) => o.categoryOptions],
      ['categoryCombos', 'categories', (o) => o.categories],
      ['categoryOptionCombos', 'categoryCombos', (o) => [o.categoryCombo]],
      ['categoryOptionCombos', 'categoryOptions', (o) => o.categoryOptions],
      ['dataElements', 'categoryCombos', (o) => [o.categoryCombo]],
      ['dataSets', 'categoryCombos', (o) => [o.categoryCombo]],
      ['dataSets', 'dataElements', (o) => o.dataSetElements.map((e: any) => e.dataElement)],
      ['dataSets', 'dataSets', (o) => o.dataSetElements.map((e: any) => e.dataSet)],
      ['dataSets', 'sections', (o) => o.sections],
      ['sections', 'dataSets', (o) => [o.dataSet]],
      ['sections', 'dataElements', (o) => o.dataElements],
      ['validationRuleGroups', 'validationRules', (o) => o.validationRules],
      ['indicators', 'indicatorTypes', (o) => [o.indicatorType]],
    ];
    for (const [from, to, get] of typed) {
      const targets = ids(to);
      for (const o of list(from)) for (const r of get(o)) assert.ok(targets.has(r.id), `${from} ${o.code} -> ${to} ${r.id}`);
    }
  });

  test('every combo has exactly one COC per combination of its categories’ options', () => {
    const categories = byId<Dhis2Identifiable & { categoryOptions: Dhis2Ref[] }>('categories');
    const cocs = list<Dhis2Identifiable & { categoryCombo: Dhis2Ref; categoryOptions: Dhis2Ref[] }>('categoryOptionCombos');
    const options = byId('categoryOptions');
    for (const combo of list<Dhis2Identifiable & { categories: Dhis2Ref[] }>('categoryCombos')) {
      const cats = combo.categories.map((c) => categories.get(c.id)!);
      const mine = cocs.filter((c) => c.categoryCombo.id === combo.id);
      const expected = cats.reduce((n, c) => n * c.categoryOptions.length, 1);
      assert.equal(mine.length, expected, `${combo.code}: ${mine.length} COCs, expected ${expected}`);
      const keys = new Set<string>();
      for (const coc of mine) {
        assert.equal(coc.categoryOptions.length, cats.length, coc.code);
        cats.forEach((cat, n) => {
          const inCat = coc.categoryOptions.filter((o) => cat.categoryOptions.some((x) => x.id === o.id));
          assert.equal(inCat.length, 1, `${coc.code} must have exactly one option of ${cat.code}`);
          assert.equal(coc.categoryOptions[n].id, inCat[0].id, `${coc.code} options in category order`);
        });
        assert.equal(coc.name, coc.categoryOptions.map((o) => options.get(o.id)!.name).join(', '), 'COC named as DHIS2 names it');
        const key = coc.categoryOptions.map((o) => o.id).sort().join();
        assert.ok(!keys.has(key), `${coc.code} duplicates another COC`);
        keys.add(key);
      }
    }
    assert.ok(cocs.length < 20);
  });

  test('every data element is in the data set once and in exactly one section', () => {
    const [ds] = list<Dhis2Identifiable & Record<string, any>>('dataSets');
    assert.equal(list('dataSets').length, 1);
    assert.deepEqual(
      [ds.code, ds.name, hindiOf(ds, 'NAME'), ds.periodType, ds.timelyDays, ds.expiryDays, ds.openFuturePeriods, ds.formType, ds.categoryCombo.id],
      ['HMIS_MONTHLY', 'HMIS Monthly Facility Report', 'एचएमआईएस मासिक संस्थान रिपोर्ट', 'Monthly', 5, 30, 0, 'SECTION', DHIS2_DEFAULT_IDS.categoryCombo],
    );
    assert.ok(!('organisationUnits' in ds), 'assignment is per state; the seed must not carry (or clear) org units');
    const inSet = ds.dataSetElements.map((e: any) => e.dataElement.id);
    assert.equal(new Set(inSet).size, inSet.length);
    assert.deepEqual(new Set(inSet), ids('dataElements'));
    const sections = list<Dhis2Identifiable & { sortOrder: number; dataSet: Dhis2Ref; dataElements: Dhis2Ref[] }>('sections');
    assert.deepEqual(sections.map((s) => s.sortOrder), sections.map((_, n) => n + 1));
    assert.deepEqual(ds.sections.map((s: Dhis2Ref) => s.id), sections.map((s) => s.id));
    for (const de of dataElements) {
      const holders = sections.filter((s) => s.dataElements.some((d) => d.id === de.id));
      assert.equal(holders.length, 1, `${de.code} is in ${holders.length} sections`);
      // Sections follow the form: an item's M-number matches its leading item number.
      assert.equal(holders[0].code, `HMIS_M${de.code!.split('.')[0]}`, de.code);
    }
  });

  test('data elements are aggregate counts coded with the HMIS item number', () => {
    assert.ok(dataElements.length >= 60 && dataElements.length <= 90, `${dataElements.length} data elements`);
    for (const de of dataElements as (Dhis2Identifiable & Record<string, any>)[]) {
      assert.match(de.code!, /^\d{1,2}(\.\d{1,2}){0,2}(\.[a-z])?$/, de.code);
      assert.ok(['NUMBER', 'INTEGER_ZERO_OR_POSITIVE'].includes(de.valueType), de.code);
      assert.deepEqual([de.domainType, de.aggregationType, typeof de.zeroIsSignificant], ['AGGREGATE', 'SUM', 'boolean'], de.code);
      assert.ok(de.formName.length > 2, de.code);
    }
    for (const code of ['16.5.1', '16.5.6', '4.1.3', '14.9']) assert.equal(deByCode.get(code)!.zeroIsSignificant, true, code);
    for (const code of ['1.1', '2.2', '14.2.1']) assert.equal(deByCode.get(code)!.zeroIsSignificant, false, code);
  });

  test('sample items carry the real HMIS numbering and texts', () => {
    const form = (code: string) => deByCode.get(code)?.formName ?? '';
    assert.match(form('1.1'), /pregnant women registered for ANC/);
    assert.match(form('1.1.1'), /1st trimester/);
    assert.match(form('2.1'), /Deliveries conducted at Home/);
    assert.match(form('2.1.1.a'), /Skill Birth Attendant \(SBA\)/);
    assert.match(form('2.2'), /Institutional Deliveries/);
    assert.match(form('3.1'), /C-Section/);
    assert.match(form('9.1.2'), /BCG/);
    assert.match(form('11.1.1.a'), /Blood Smears Examined for Malaria/);
    assert.match(form('14.2.1'), /Allopathic/);
    const combo = (code: string) => byId('categoryCombos').get(deByCode.get(code)!.categoryCombo.id)!.code;
    assert.deepEqual(['1.1', '4.1.1', '9.2.4', '9.1.2', '14.3'].map(combo), ['default', 'SEX', 'SEX', 'PLACE_OF_SERVICE', 'SEX_AGE_GROUP']);
    const rows = new Map(hmisFormRows().map((r) => [r.row, r]));
    assert.deepEqual(rows.get('4.1.1.b'), { row: '4.1.1.b', dataElement: '4.1.1', categoryOptionCombo: 'SEX_FEMALE' });
    assert.deepEqual(rows.get('1.1'), { row: '1.1', dataElement: '1.1', categoryOptionCombo: 'default' });
    for (const r of rows.values()) {
      assert.ok(deByCode.has(r.dataElement), r.row);
      if (r.categoryOptionCombo) assert.ok(list('categoryOptionCombos').some((c) => c.code === r.categoryOptionCombo), r.row);
    }
  });

  test('every object has a shortName of at most 50 characters and Hindi names', () => {
    for (const type of TYPES) {
      for (const o of list(type)) {
        assert.ok(o.shortName && o.shortName.length <= 50, `${type} ${o.code}: ${o.shortName}`);
        const hiName = hindiOf(o, 'NAME');
        assert.ok(hiName && DEVANAGARI.test(hiName), `${type} ${o.code} lacks a Hindi NAME`);
        const hiShort = hindiOf(o, 'SHORT_NAME');
        if (hiShort) assert.ok(hiShort.length <= 50, `${type} ${o.code}: ${hiShort}`);
      }
    }
    for (const de of dataElements) {
      for (const p of ['NAME', 'SHORT_NAME', 'FORM_NAME']) assert.ok(DEVANAGARI.test(hindiOf(de, p) ?? ''), `${de.code} ${p}`);
    }
  });

  test('validation rules compare existing elements and COCs, subset <= total', () => {
    const rules = list<Dhis2Identifiable & Record<string, any>>('validationRules');
    assert.ok(rules.length >= 20);
    const des = byId<Dhis2Identifiable & { categoryCombo: Dhis2Ref }>('dataElements');
    const cocs = byId<Dhis2Identifiable & { categoryCombo: Dhis2Ref }>('categoryOptionCombos');
    let withCoc = 0;
    for (const rule of rules) {
      assert.deepEqual([rule.operator, rule.importance, rule.periodType], ['less_than_or_equal_to', 'MEDIUM', 'Monthly'], rule.code);
      assert.ok(rule.instruction.length > 20 && DEVANAGARI.test(hindiOf(rule, 'INSTRUCTION') ?? ''), rule.code);
      for (const side of [rule.leftSide, rule.rightSide]) {
        assert.ok(['SKIP_IF_ANY_VALUE_MISSING', 'NEVER_SKIP'].includes(side.missingValueStrategy), rule.code);
        const refs = expressionRefs(side.expression);
        assert.ok(refs.length > 0, rule.code);
        for (const r of refs) {
          const de = des.get(r.de);
          assert.ok(de, `${rule.code} refers to unknown data element ${r.de}`);
          if (r.coc) {
            withCoc++;
            assert.equal(cocs.get(r.coc)?.categoryCombo.id, de.categoryCombo.id, `${rule.code}: COC ${r.coc} not of ${de.code}'s combo`);
          }
        }
      }
      const left = new Set(expressionRefs(rule.leftSide.expression).map((r) => r.de));
      assert.ok(expressionRefs(rule.rightSide.expression).every((r) => !left.has(r.de)), `${rule.code} compares an item with itself`);
    }
    assert.ok(withCoc > 0, 'some rule uses #{de.coc}');
    const rule = (left: string, right: string) =>
      rules.find((v) => v.leftSide.expression === `#{${deByCode.get(left)!.id}}` && v.rightSide.expression === `#{${deByCode.get(right)!.id}}`);
    for (const [l, r] of [['1.1.1', '1.1'], ['2.1.1.a', '2.1'], ['3.1', '2.2'], ['3.1.1', '3.1'], ['5.2', '5.1']]) assert.ok(rule(l, r), `${l} <= ${r}`);
    const groups = list<Dhis2Identifiable & { validationRules: Dhis2Ref[] }>('validationRuleGroups');
    assert.deepEqual(new Set(groups[0].validationRules.map((r) => r.id)), ids('validationRules'));
  });

  test('indicators are percentages over existing elements', () => {
    const [percent] = list<Dhis2Identifiable & { factor: number }>('indicatorTypes');
    assert.equal(percent.factor, 100);
    const indicators = list<Dhis2Identifiable & Record<string, any>>('indicators');
    assert.ok(indicators.length >= 4);
    const des = ids('dataElements');
    for (const ind of indicators) {
      assert.equal(ind.indicatorType.id, percent.id);
      for (const side of [ind.numerator, ind.denominator]) for (const r of expressionRefs(side)) assert.ok(des.has(r.de), `${ind.code} -> ${r.de}`);
    }
    const fic = indicators.find((i) => i.code === 'HMIS_IND_FULL_IMMUNISATION')!;
    assert.equal(fic.numerator, `#{${deByCode.get('9.2.4')!.id}}`);
  });

  // DHIS2's own e2e metadata (dhis2-core, BSD-3), kept beside the repo in /work/shared, not in it.
  const fixtureUrl = new URL('../../../../../shared/fixtures/dhis2/dhis2-core_e2e_aggregate_metadata.json', import.meta.url);
  test('has the same shape as a DHIS2 metadata export', { skip: !existsSync(fixtureUrl) && 'DHIS2 fixture not present' }, () => {
    const fixture = JSON.parse(readFileSync(fixtureUrl, 'utf8')) as Dhis2Metadata;
    for (const type of ['categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'dataElements', 'dataSets', 'validationRules', 'indicatorTypes', 'indicators']) {
      const theirs = (fixture[type] as Record<string, unknown>[])[0];
      const ours = list<Record<string, unknown>>(type)[0];
      const shared = ['id', 'name', 'categoryOptions', 'categories', 'categoryCombo', 'dataSetElements', 'periodType', 'leftSide', 'rightSide', 'operator', 'numerator', 'denominator', 'factor', 'valueType', 'domainType', 'aggregationType']
        .filter((k) => k in theirs);
      for (const k of shared) assert.ok(k in ours, `${type}.${k}`);
    }
  });
});
