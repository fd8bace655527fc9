import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestApp } from '../../../test/harness.js';

/** DHIS2's own test files vendored beside this module (see testdata/datavalues/SOURCES.md). */
export const readTestdata = (name: string) => fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'testdata', 'datavalues', name), 'utf8');

async function postMetadata(t: TestApp, body: unknown) {
  const r = await t.req('POST', '/api/metadata', t.adminToken, body);
  assert.equal(r.body.status, 'OK', JSON.stringify(r.body).slice(0, 800));
}

/**
 * The metadata of DHIS2's DataExportServiceIntegrationTest (its set-up, as ids, codes and names), which the
 * dxf2/datavalueset and datavalueset files expect: data elements A–G (f7n9E0hX8qk DE_A, Ix2HsbDMLea DE_B,
 * eY5ehpbEsB7 DE_C …), data set pBOMPrpg1QX (DS_A, monthly), org units A–C (DiszpKrYNg8 OU_A …) under Hisar,
 * option combos kjuiHgy67hg (OC_A) and Gad33qy67g5 (OC_B), and the default option combo coded OC_DEF_CODE.
 */
export async function loadExportTestMetadata(t: TestApp) {
  const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
  await postMetadata(t, {
    organisationUnits: [['DiszpKrYNg8', 'A'], ['BdfsJfj87js', 'B'], ['j7Hg26FpoIa', 'C']].map(([id, c]) => ({ id, code: `OU_${c}`, name: `OrganisationUnit${c}`, shortName: `OrganisationUnit${c}`, parent: { id: hisar.id } })),
  });
  const de = (id: string, c: string, valueType = 'INTEGER') => ({ id, code: `DE_${c}`, name: `DataElement${c}`, shortName: `DataElementShort${c}`, valueType, domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'bjDvmb4bfuf' } });
  await postMetadata(t, {
    categoryOptions: [{ id: 'CatOptionAA', code: 'CategoryOptionCodeA', name: 'CategoryOptionA', shortName: 'CategoryOptionA' }, { id: 'CatOptionBB', code: 'CategoryOptionCodeB', name: 'CategoryOptionB', shortName: 'CategoryOptionB' }],
    categories: [{ id: 'CategoryAAA', code: 'CategoryCodeA', name: 'CategoryA', shortName: 'CategoryA', dataDimensionType: 'DISAGGREGATION', categoryOptions: [{ id: 'CatOptionAA' }, { id: 'CatOptionBB' }] }],
    categoryCombos: [{ id: 'CatComboAAA', code: 'CategoryComboCodeA', name: 'CategoryComboA', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'CategoryAAA' }] }],
    categoryOptionCombos: [
      { id: 'kjuiHgy67hg', code: 'OC_A', name: 'CategoryOptionComboA', categoryCombo: { id: 'CatComboAAA' }, categoryOptions: [{ id: 'CatOptionAA' }] },
      { id: 'Gad33qy67g5', code: 'OC_B', name: 'CategoryOptionComboB', categoryCombo: { id: 'CatComboAAA' }, categoryOptions: [{ id: 'CatOptionBB' }] },
      { id: 'HllvX50cXC0', code: 'OC_DEF_CODE', name: 'default', categoryCombo: { id: 'bjDvmb4bfuf' }, categoryOptions: [{ id: 'xYerKDKCefk' }] },
    ],
    dataElements: [de('f7n9E0hX8qk', 'A'), de('Ix2HsbDMLea', 'B'), de('eY5ehpbEsB7', 'C'), de('DataElemDDD', 'D'), de('jH26dja2f28', 'E'), de('jH26dja2f30', 'F', 'BOOLEAN'), de('jH26dja2f31', 'G', 'TRUE_ONLY')],
    dataSets: [{
      id: 'pBOMPrpg1QX', code: 'DS_A', name: 'DataSetA', shortName: 'DataSetShortA', periodType: 'Monthly',
      dataSetElements: ['f7n9E0hX8qk', 'Ix2HsbDMLea', 'eY5ehpbEsB7', 'DataElemDDD', 'jH26dja2f30', 'jH26dja2f31'].map((id) => ({ dataElement: { id } })),
      organisationUnits: [{ id: 'DiszpKrYNg8' }, { id: 'BdfsJfj87js' }],
    }],
  });
}

/**
 * The metadata of DHIS2's AdxDataServiceIntegrationTest, which the adx files expect: age and sex categories
 * (codes age, sex; names Age_category, Sex_category), the mechanism attribute category, their option combos
 * with DHIS2's names and codes (Female Under 5, F_Under5 …), data elements MalNummmmmm (Mal_num, Malaria numeric)
 * and MalTexttttt (TEXT), org units P1233333333 (123, Provincial Hospital) and D4566666666 (456, District Hospital),
 * data sets MalariaDSSS (MalariaDS, Malaria DS, monthly) and MalariaMech (MalariaMechanismDS, quarterly, by mechanism).
 */
export async function loadAdxTestMetadata(t: TestApp) {
  const hisar = (await t.req('GET', '/api/geo/units/63', t.adminToken)).body;
  // DHIS2's test puts the district hospital under the provincial one; here a facility holds no other, so both are Hisar's.
  await postMetadata(t, { organisationUnits: [['P1233333333', '123', 'Provincial Hospital'], ['D4566666666', '456', 'District Hospital']].map(([id, code, name]) => ({ id, code, name, shortName: name, parent: { id: hisar.id } })) });
  const opt = (id: string, code: string, name: string) => ({ id, code, name, shortName: name });
  const cat = (id: string, code: string, name: string, options: string[], type = 'DISAGGREGATION') => ({ id, code, name, shortName: name, dataDimensionType: type, categoryOptions: options.map((o) => ({ id: o })) });
  const coc = (id: string, code: string, name: string, combo: string, options: string[]) => ({ id, code, name, categoryCombo: { id: combo }, categoryOptions: options.map((o) => ({ id: o })) });
  await postMetadata(t, {
    categoryOptions: [opt('under555555', 'under5', 'Under 5'), opt('over5555555', 'over5', 'Over 5'), opt('FFFFFFFFFFF', 'F', 'Female'), opt('MMMMMMMMMMM', 'M', 'Male'), opt('PEPFARRRRRR', 'PEPFAR', 'PEPFAR mechanism'), opt('McDonaldsss', 'McDonalds', 'McDonalds mechanism')],
    categories: [cat('ageeeeeeeee', 'age', 'Age_category', ['under555555', 'over5555555']), cat('sexxxxxxxxx', 'sex', 'Sex_category', ['FFFFFFFFFFF', 'MMMMMMMMMMM']), cat('mechanismmm', 'mechanism', 'Mechanism_category', ['PEPFARRRRRR', 'McDonaldsss'], 'ATTRIBUTE')],
    categoryCombos: [
      { id: 'AgeSexCombo', name: 'Age and Sex Category Combo', dataDimensionType: 'DISAGGREGATION', categories: [{ id: 'ageeeeeeeee' }, { id: 'sexxxxxxxxx' }] },
      { id: 'MechCombooo', name: 'Mechanism Category Combo', dataDimensionType: 'ATTRIBUTE', categories: [{ id: 'mechanismmm' }] },
    ],
    categoryOptionCombos: [
      coc('FUnder55555', 'F_Under5', 'Female Under 5', 'AgeSexCombo', ['FFFFFFFFFFF', 'under555555']), coc('MUnder55555', 'M_Under5', 'Male Under 5', 'AgeSexCombo', ['MMMMMMMMMMM', 'under555555']),
      coc('FOver555555', 'F_Over5', 'Female Over 5', 'AgeSexCombo', ['FFFFFFFFFFF', 'over5555555']), coc('MOver555555', 'M_Over5', 'Male Over 5', 'AgeSexCombo', ['MMMMMMMMMMM', 'over5555555']),
      coc('cocPEPFARRR', 'coc_PEPFAR', 'PEPFAR CategoryOptionCombo', 'MechCombooo', ['PEPFARRRRRR']), coc('cocMcDonald', 'coc_McDonalds', 'McDonalds CategoryOptionCombo', 'MechCombooo', ['McDonaldsss']),
    ],
    dataElements: [
      { id: 'MalNummmmmm', code: 'Mal_num', name: 'Malaria numeric', shortName: 'Malaria numeric', valueType: 'INTEGER', domainType: 'AGGREGATE', aggregationType: 'SUM', categoryCombo: { id: 'AgeSexCombo' } },
      { id: 'MalTexttttt', code: 'Mal_text', name: 'Malaria text', shortName: 'Malaria text', valueType: 'TEXT', domainType: 'AGGREGATE', aggregationType: 'NONE', categoryCombo: { id: 'bjDvmb4bfuf' } },
    ],
    dataSets: [
      { id: 'MalariaDSSS', code: 'MalariaDS', name: 'Malaria DS', shortName: 'Malaria DS', periodType: 'Monthly', dataSetElements: [{ dataElement: { id: 'MalNummmmmm' } }, { dataElement: { id: 'MalTexttttt' } }], organisationUnits: [{ id: 'P1233333333' }] },
      { id: 'MalariaMech', code: 'MalariaMechanismDS', name: 'Malaria Mechanism DS', shortName: 'Malaria Mechanism DS', periodType: 'Quarterly', categoryCombo: { id: 'MechCombooo' }, dataSetElements: [{ dataElement: { id: 'MalNummmmmm' } }, { dataElement: { id: 'MalTexttttt' } }] },
    ],
  });
}
