// The register from a CSV file, row by row: a bad row is refused with its reason and the others are
// created. Columns (a header row, in any order; names case-insensitive):
//   name, name_hi, mobile, sub_centre_id, village_ids (ids or LGD codes separated by ';'),
//   bank_account, ifsc, active_from (YYYY-MM-DD, optional)
// The IFSC's bank code must be in the bank list: the built-in one (KNOWN_BANKS), or the state's own
// list given as ?banks=SBIN,PUNB,….
import type { Actor } from '../../platform/actor.js';
import { requirePermission } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { KNOWN_BANKS, registerWorker, type Db } from './asha.service.js';

/** A small RFC 4180 reader: quoted fields, doubled quotes, CRLF or LF. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') quoted = false; else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(field); field = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f.trim() !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f.trim() !== '')) rows.push(row);
  return rows;
}

export async function importWorkers(db: Db, actor: Actor, text: string, banksParam?: string) {
  requirePermission(actor, 'can_manage_asha');
  const banks = banksParam ? banksParam.split(/[,;\s]+/).map((b) => b.trim().toUpperCase()).filter(Boolean) : [...KNOWN_BANKS];
  const rows = parseCsv(text.replace(/^\uFEFF/, ''));
  if (rows.length < 2) throw badRequest('The file needs a header row and at least one ASHA: name, mobile, sub_centre_id, bank_account, ifsc (and name_hi, village_ids, active_from)', 'फ़ाइल में शीर्ष पंक्ति और कम से कम एक आशा हो');
  const header = rows[0].map((h) => h.trim().toLowerCase());
  const missing = ['name', 'mobile', 'sub_centre_id', 'bank_account', 'ifsc'].filter((c) => !header.includes(c));
  if (missing.length) throw badRequest(`Columns missing: ${missing.join(', ')}`, `कॉलम नहीं हैं: ${missing.join(', ')}`);
  const col = (r: string[], name: string) => { const i = header.indexOf(name); return i < 0 ? '' : (r[i] ?? '').trim(); };
  const refused: { row: number; reason: string }[] = [];
  const items: { id: string; username: string }[] = [];
  for (let n = 1; n < rows.length; n++) {
    const r = rows[n];
    try {
      const villages = col(r, 'village_ids').split(/[;|]/).map((v) => v.trim()).filter(Boolean);
      const created = await registerWorker(db, actor, {
        name: col(r, 'name'), nameHi: col(r, 'name_hi') || undefined, mobile: col(r, 'mobile'), subCentreId: col(r, 'sub_centre_id'),
        villageIds: villages, bankAccount: col(r, 'bank_account'), ifsc: col(r, 'ifsc'), activeFrom: col(r, 'active_from') || undefined,
      }, banks);
      items.push(created);
    } catch (e) {
      if (!(e instanceof AppError) || e.status >= 500) throw e;
      const fields = (e.details?.fields as { field: string; message: string }[] | undefined);
      refused.push({ row: n + 1, reason: fields?.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : e.msg.en });
    }
  }
  await recordAudit(db, actor, { action: 'import', entity: 'asha_worker', orgPath: actor.orgPath, after: { created: items.length, refused: refused.length } });
  return { created: items.length, refused, items };
}
