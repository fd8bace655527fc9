// Who works with the family register: the state's and districts' officers (and the admin) import it,
// decide uncertain matches and read it; block officers read their block's families. Care roles at a
// facility do not: they reach a family through its members' records (GET /api/families/:id).
import type { Actor } from '../../platform/actor.js';
import { forbidden } from '../../platform/errors.js';

const IMPORTERS = new Set(['admin', 'state_officer', 'district_officer']);
const READERS = new Set([...IMPORTERS, 'block_officer']);

/** Import and match decisions: checked in the route's onRequest, before the body is read, and again in the service. */
export function requireRegisterOfficer(actor: Actor): void {
  if (!IMPORTERS.has(actor.role)) {
    throw forbidden(`Your role (${actor.role}) cannot import the family register or decide its matches; a state or district officer does`,
      `आपकी भूमिका (${actor.role}) परिवार रजिस्टर आयात या मिलान तय नहीं कर सकती; राज्य या ज़िला अधिकारी करते हैं`);
  }
}

export function requireRegisterReader(actor: Actor): void {
  if (!READERS.has(actor.role)) {
    throw forbidden(`Your role (${actor.role}) cannot read the family register by panchayat; officers of the area do`,
      `आपकी भूमिका (${actor.role}) पंचायतवार परिवार रजिस्टर नहीं देख सकती; क्षेत्र के अधिकारी देखते हैं`);
  }
}
