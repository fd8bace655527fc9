import { test } from 'node:test';
import assert from 'node:assert/strict';
import { conformanceProblems } from './fhir-conformance.js';

// The harness checks every /fhir answer with HL7's R4 JSON schema and Medplum's validator; this is
// that check finding what the server must never answer.
test('HL7\'s JSON schema and Medplum\'s validator find an invalid resource, nested in a bundle too, and pass a valid one', () => {
  assert.deepEqual(conformanceProblems({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'x' }] }), []);
  const bad = conformanceProblems({ resourceType: 'Encounter', status: 'done', class: { code: 'AMB' }, foo: 1 });
  assert.ok(bad.some((p) => p.startsWith('schema:') && p.includes('/status')), bad.join('\n'));
  assert.ok(bad.some((p) => p.startsWith('schema:') && p.includes('foo')), bad.join('\n'));
  assert.ok(bad.some((p) => p.startsWith('medplum:') && p.includes('Encounter.foo')), bad.join('\n'));
  const nested = conformanceProblems({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Condition', category: { text: 'problem' }, subject: { reference: 'Patient/1' } } }] });
  assert.ok(nested.some((p) => p.startsWith('schema:') && p.includes('/entry/0/resource/category must be array')), nested.join('\n'));
  const unknown = conformanceProblems({ resourceType: 'Bundle', type: 'searchset', entry: [{ resource: { resourceType: 'Cheese', id: '1' } }] });
  assert.ok(unknown.some((p) => p.includes('/entry/0/resource/resourceType must be equal to one of the allowed values')), unknown.join('\n'));
  const contained = conformanceProblems({ resourceType: 'Observation', status: 'final', code: { text: 'x' }, contained: [{ resourceType: 'Patient', id: 'p', gender: 'cheese' }] });
  assert.ok(contained.some((p) => p.startsWith('schema:') && p.includes('/contained/0/gender')), contained.join('\n'));
  const nul = conformanceProblems({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'not-found', diagnostics: 'a\u0000b is not a resource type' }] });
  assert.ok(nul.length, 'a NUL in a string is not R4');
});
