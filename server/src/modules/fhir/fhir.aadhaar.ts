/**
 * Aadhaar numbers in FHIR resources are kept as their last four digits, in every resource type and
 * wherever they sit: top-level identifiers, contained resources, extensions (`valueIdentifier`),
 * references by identifier, nested elements. An identifier is an Aadhaar number when its system is
 * UIDAI's (`https://uidai.gov.in`, with or without a trailing slash or a path such as `/aadhaar`, over
 * http or https, `www.` or not) or its type says Aadhaar (a coding under UIDAI's system, or the code or
 * text "Aadhaar"). Its value becomes `XXXX-XXXX-1234`, as the registry shows it (`maskAadhaar`), and the
 * client is told in an OperationOutcome issue; a stored resource so changed carries the security
 * label MASKED. Pure functions, no I/O.
 */
import { maskAadhaar } from '../patients/patients.identity.js';
import type { Issue } from './fhir.outcome.js';
import { isObject, SYSTEM } from './fhir.types.js';

/** The system this server writes Aadhaar identifiers under (last four digits only). */
export const UIDAI_SYSTEM = 'https://uidai.gov.in';

/** The security label of a resource whose Aadhaar numbers were cut to the last four digits. */
export const MASKED_LABEL = { system: SYSTEM.security, code: 'MASKED', display: 'masked' } as const;

/** True for UIDAI's identifier system in any of the spellings seen in Indian FHIR profiles. */
export function isUidaiSystem(system: unknown): boolean {
  return typeof system === 'string' && /^(?:https?:\/\/)?(?:[a-z0-9-]+\.)*uidai\.gov\.in(?:[/?#]|$)/i.test(system.trim());
}

const AADHAAR_WORD = /a+d+h+a+a*r|आधार/i;

/** True for an Identifier (an object with a value) that holds an Aadhaar number. */
export function isAadhaarIdentifier(o: Record<string, any>): boolean {
  if (!('value' in o)) return false;
  if (isUidaiSystem(o.system)) return true;
  const type = o.type;
  if (!isObject(type)) return false;
  if (typeof type.text === 'string' && AADHAAR_WORD.test(type.text)) return true;
  return Array.isArray(type.coding) && type.coding.some((c: unknown) => isObject(c)
    && (isUidaiSystem(c.system) || (typeof c.code === 'string' && AADHAAR_WORD.test(c.code)) || (typeof c.display === 'string' && AADHAAR_WORD.test(c.display))));
}

const DIGIT = /[0-9\u0966-\u096F]/g;

/** The masked form of an Aadhaar identifier's value, or null when it holds four digits or fewer (nothing to hide). */
export function maskedValue(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const text = String(value);
  return (text.match(DIGIT)?.length ?? 0) > 4 ? maskAadhaar(text) : null;
}

/**
 * Replaces, in place, the value of every Aadhaar identifier in `resource` (walked whole, without
 * recursion, so any depth is safe) with its masked form; returns one issue per value changed, naming
 * where it was (`Encounter.contained[0].identifier[1].value`).
 */
export function maskAadhaarIdentifiers(resource: unknown, root = isObject(resource) && typeof resource.resourceType === 'string' ? resource.resourceType : 'Resource'): Issue[] {
  const issues: Issue[] = [];
  const stack: [unknown, string][] = [[resource, root]];
  while (stack.length) {
    const [node, path] = stack.pop()!;
    if (Array.isArray(node)) {
      node.forEach((v, i) => { if (typeof v === 'object' && v !== null) stack.push([v, `${path}[${i}]`]); });
      continue;
    }
    if (!isObject(node)) continue;
    if (isAadhaarIdentifier(node)) {
      const masked = maskedValue(node.value);
      if (masked) {
        node.value = masked;
        issues.push({
          severity: 'warning', code: 'informational', expression: [`${path}.value`],
          diagnostics: `${path}.value: an Aadhaar number is kept only as its last four digits (${masked}); the full number was not stored`,
        });
      }
    }
    for (const [k, v] of Object.entries(node)) if (typeof v === 'object' && v !== null) stack.push([v, `${path}.${k}`]);
  }
  return issues.reverse();
}

/** Masks a resource about to be stored; when anything changed, labels it MASKED and returns the issues. */
export function maskForStorage(resource: Record<string, any>): Issue[] {
  const issues = maskAadhaarIdentifiers(resource);
  if (issues.length) {
    const meta = isObject(resource.meta) ? resource.meta : (resource.meta = {});
    const labels = Array.isArray(meta.security) ? meta.security : (meta.security = []);
    if (!labels.some((l: unknown) => isObject(l) && l.system === MASKED_LABEL.system && l.code === MASKED_LABEL.code)) labels.push({ ...MASKED_LABEL });
  }
  return issues;
}
