/**
 * Test helpers for DHIS2 metadata round trips: DHIS2's own test files (testdata/, see SOURCES.md),
 * made importable under Swasthya's hierarchy, and a comparison of what went in with what came out.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from '../../../test/harness.js';

type Obj = Record<string, any>;
export const TESTDATA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'metadata');
export const DHIS2_FILES = fs.readdirSync(TESTDATA).filter((f) => f.endsWith('.json')).sort();
/** DHIS2's files reuse codes across files meant for separate databases: these go into one Swasthya, the rest into another. */
export const ONE_DATABASE = ['dataset_with_sections.json', 'metadata_with_vr.json', 'ou_with_levels.json', 'de_create_and_update1.json', 'metadata_no_defaults.json'];
export const OTHER_DATABASE = DHIS2_FILES.filter((f) => !ONE_DATABASE.includes(f));
export const readTestdata = (file: string): Obj => JSON.parse(fs.readFileSync(path.join(TESTDATA, file), 'utf8'));

/** The types Swasthya keeps (hmis.metadata.types.ts SUPPORTED). */
export const KEPT = ['organisationUnits', 'categoryOptions', 'categories', 'categoryCombos', 'categoryOptionCombos', 'dataElements', 'dataSets', 'sections',
  'validationRules', 'indicatorTypes', 'indicators', 'dataElementGroups', 'indicatorGroups', 'validationRuleGroups'];

/**
 * DHIS2's hierarchy in a test file starts at its own root; Swasthya's starts at India. A root org
 * unit of the file is placed under `parentId` (a Swasthya district), the only change made.
 */
export function underParent(payload: Obj, parentId: string): Obj {
  const copy = structuredClone(payload);
  for (const ou of copy.organisationUnits ?? []) if (!ou.parent) ou.parent = { id: parentId };
  return copy;
}

/**
 * References Swasthya does not keep (sharing, users, attribute values, legends, option sets…), as
 * `property` or `property:type`: counted and named, not compared. A data set's `dataElements` (the
 * form before data set elements) is not read by DHIS2 either since 2.25.
 */
export const NOT_KEPT = new Set(['sharing', 'user', 'createdBy', 'lastUpdatedBy', 'attributeValues', 'legendSets', 'legendSet', 'aggregationLevels', 'userGroupAccesses', 'userAccesses',
  'dataInputPeriods', 'compulsoryDataElementOperands', 'indicators:dataSets', 'indicators:sections', 'greyedFields', 'organisationUnits:categoryOptions',
  'optionSet', 'commentOptionSet', 'workflow', 'notificationRecipients', 'organisationUnitGroups', 'dataSets:organisationUnits', 'dataSets:dataElements',
  'dataElements:dataSets', 'favorites']);

const isRef = (v: unknown): v is { id: string } => !!v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Obj).id === 'string';
const ids = (v: unknown) => (Array.isArray(v) ? v.filter(isRef).map((x) => x.id).sort() : isRef(v) ? [v.id] : []);

export interface Difference { type: string; id: string; property: string; sent: unknown; got: unknown }

/**
 * What came back different from what was sent, for every object of a kept type: id, code, name,
 * shortName and every reference (single or list); data set elements as element and combo pairs.
 * `lost` counts the properties sent that Swasthya does not keep, by name.
 */
export function compare(sent: Obj, got: Obj, opts: { skip?: (type: string, o: Obj, property: string) => boolean } = {}) {
  const differences: Difference[] = [];
  const lost = new Map<string, number>();
  let objects = 0;
  for (const type of KEPT) {
    for (const o of (sent[type] ?? []) as Obj[]) {
      objects++;
      const back = ((got[type] ?? []) as Obj[]).find((x) => (o.id ? x.id === o.id : o.code ? x.code === o.code : x.name === o.name));
      if (!back) { differences.push({ type, id: o.id ?? o.name, property: '(object)', sent: 'present', got: 'missing' }); continue; }
      for (const [property, value] of Object.entries(o)) {
        if (opts.skip?.(type, o, property)) continue;
        if (['id', 'code', 'name', 'shortName', 'formName', 'valueType', 'aggregationType', 'periodType', 'operator', 'numerator', 'denominator'].includes(property)) {
          if (back[property] !== value) differences.push({ type, id: o.id, property, sent: value, got: back[property] });
          continue;
        }
        if (property === 'dataSetElements') {
          const pairs = (xs: Obj[]) => (xs ?? []).map((e) => `${e.dataElement?.id}/${e.categoryCombo?.id ?? ''}`).sort();
          const s = pairs(value as Obj[]);
          const b = pairs(back.dataSetElements);
          if (JSON.stringify(s) !== JSON.stringify(b)) differences.push({ type, id: o.id, property, sent: s, got: b });
          continue;
        }
        if (property === 'leftSide' || property === 'rightSide') {
          if (back[property]?.expression !== (value as Obj).expression) differences.push({ type, id: o.id, property, sent: (value as Obj).expression, got: back[property]?.expression });
          continue;
        }
        const refLike = isRef(value) || (Array.isArray(value) && value.length > 0 && value.every(isRef));
        if (!refLike) continue;
        if (NOT_KEPT.has(property) || NOT_KEPT.has(`${property}:${type}`)) { lost.set(`${type}.${property}`, (lost.get(`${type}.${property}`) ?? 0) + 1); continue; }
        if (!(property in back)) { differences.push({ type, id: o.id, property, sent: ids(value), got: undefined }); continue; }
        const [s, b] = [ids(value), ids(back[property])];
        if (JSON.stringify(s) !== JSON.stringify(b)) differences.push({ type, id: o.id, property, sent: s, got: b });
      }
    }
  }
  return { objects, differences, lost: Object.fromEntries(lost) };
}

/** An export without what changes between two exports of the same metadata (times). */
export function withoutTimes(payload: Obj): Obj {
  const copy = structuredClone(payload);
  delete copy.system;
  for (const list of Object.values(copy)) if (Array.isArray(list)) for (const o of list) delete o.lastUpdated;
  return copy;
}

/**
 * Imports one DHIS2 file (its root org units under `parentId`), exports everything and compares.
 * Assignments to org units the file does not carry are import warnings, not compared.
 */
export async function importAndCompare(t: TestApp, name: string, payload: Obj, parentId: string) {
  const sent = underParent(payload, parentId);
  const imported = await t.req('POST', '/api/metadata', t.adminToken, sent);
  if (imported.status !== 200) throw new Error(`${name}: ${imported.status} ${JSON.stringify(imported.body).slice(0, 800)}`);
  const back = (await t.req('GET', '/api/metadata', t.adminToken)).body;
  const dangling = new Set((imported.body.warnings as string[]).flatMap((w) => [...w.matchAll(/org unit (\w{11}) does not exist/g)].map((m) => m[1])));
  const result = compare(sent, back, {
    skip: (type, o, property) => type === 'dataSets' && property === 'organisationUnits' && (o.organisationUnits ?? []).some((x: Obj) => dangling.has(x.id)),
  });
  return { ...result, summary: `${name}: ${result.objects} objects; not kept: ${Object.keys(result.lost).join(', ') || 'nothing'}` };
}
