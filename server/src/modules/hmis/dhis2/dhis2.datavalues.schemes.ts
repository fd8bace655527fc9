import { badRequest } from '../../../platform/errors.js';
import type { IdScheme } from '../hmis.lookup.js';

/** The id scheme parameters DHIS2 takes on data value set import and export. */
export const SCHEME_PARAMS = ['idScheme', 'dataElementIdScheme', 'orgUnitIdScheme', 'categoryOptionComboIdScheme', 'dataSetIdScheme'] as const;
export type SchemeParam = (typeof SCHEME_PARAMS)[number];
/**
 * DHIS2's schemes for ADX's exploded categories and their options: checked like the rest, though the
 * attributes are resolved by id, code or name whichever is given (see Lookup.cocFromOptions).
 */
export const CATEGORY_SCHEME_PARAMS = ['categoryIdScheme', 'categoryOptionIdScheme'] as const;

/**
 * Reads DHIS2's id scheme parameters (any case): UID, CODE and NAME are taken; DHIS2's
 * ATTRIBUTE:<uid> (an identifier kept in a metadata attribute) is refused by name, since Swasthya
 * keeps no metadata attribute values; anything else is refused listing what is taken.
 */
export function readIdSchemes(given: Partial<Record<string, unknown>>): Partial<Record<SchemeParam, IdScheme>> {
  const out: Partial<Record<SchemeParam, IdScheme>> = {};
  for (const p of [...SCHEME_PARAMS, ...CATEGORY_SCHEME_PARAMS]) {
    const raw = given[p];
    if (raw === undefined || raw === null || raw === '') continue;
    const v = String(raw).trim().toUpperCase();
    if (v === 'UID' || v === 'CODE' || v === 'NAME') { if ((SCHEME_PARAMS as readonly string[]).includes(p)) out[p as SchemeParam] = v; continue; }
    if (v.startsWith('ATTRIBUTE:')) {
      throw badRequest(`${p}=${String(raw)}: identifiers kept in metadata attributes are not supported; use UID, CODE or NAME`,
        `${p}=${String(raw)}: मेटाडेटा एट्रिब्यूट वाले पहचानकर्ता समर्थित नहीं हैं; UID, CODE या NAME दें`, { field: p });
    }
    throw badRequest(`${p}=${String(raw)} is not an id scheme; use UID, CODE or NAME`, `${p}=${String(raw)} मान्य id scheme नहीं है; UID, CODE या NAME दें`, { field: p });
  }
  return out;
}
