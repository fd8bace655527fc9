// POST /api/geo/units/import: blocks, villages or gram panchayats in LGD's CSV layouts (as
// `swasthya import lgd` / `import villages` / `import panchayats` read them) into a running server. All or nothing: one refused row and nothing is
// written; the answer lists every refused row with its line, so the file can be fixed and sent again.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { AppError, badRequest, conflict, forbidden } from '../../platform/errors.js';
import { isUniqueViolation } from '../../platform/races.js';
import { ImportFileError, importBlocks, importVillages, type LevelCounts, type Refusal } from './geo.import.js';
import { importPanchayats } from './geo.panchayats.js';
import { importBoundaries, type BoundaryImportResult, type OutlineLevel } from './geo.boundaries.js';

export const IMPORT_LEVELS = ['blocks', 'villages', 'panchayats'] as const;
export type ImportLevel = (typeof IMPORT_LEVELS)[number];
/** A state's whole village list is tens of MB; 20 MB takes a large state's villages of one district set. */
export const MAX_GEO_IMPORT_BYTES = 20 * 1024 * 1024;

export interface GeoImportAnswer {
  level: ImportLevel; added: number; updated: number; unchanged: number; under?: 'block' | 'district';
  /** Panchayats: villages put under their panchayat, and those already there. */
  villagesMoved?: number; villagesUnchanged?: number;
}

class Refused extends Error {
  constructor(readonly rows: Refusal[]) { super('refused'); }
}

export async function importUnits(db: Kysely<Database>, actor: Actor, level: ImportLevel, body: unknown): Promise<GeoImportAnswer> {
  if (!actor.permissions.has('can_import_geo')) throw forbidden();
  if (!Buffer.isBuffer(body) && typeof body !== 'string') {
    throw new AppError('unsupported_media_type', {
      en: 'Send the LGD list itself as the body, with Content-Type text/csv',
      hi: 'LGD सूची की CSV फ़ाइल ही भेजें (Content-Type text/csv)',
    });
  }
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  const input = { name: `${level}.csv`, text };
  try {
    return await db.transaction().execute(async (trx) => {
      let counts: LevelCounts;
      let under: 'block' | 'district' | undefined;
      let refused: Refusal[];
      let villages: { villagesMoved: number; villagesUnchanged: number } | undefined;
      if (level === 'panchayats') {
        const r = await importPanchayats(trx, input, undefined, actor.orgPath);
        counts = r.panchayats;
        refused = r.refused;
        villages = { villagesMoved: r.villages.moved, villagesUnchanged: r.villages.unchanged };
      } else if (level === 'blocks') {
        const r = await importBlocks(trx, input, actor.orgPath);
        counts = r.blocks;
        refused = r.refused;
      } else {
        const r = await importVillages(trx, input, undefined, actor.orgPath);
        counts = r.villages;
        refused = r.refused;
        under = r.parentLevel;
      }
      if (refused.length) throw new Refused(refused);
      await recordAudit(trx, actor, {
        action: 'import', entity: 'geo', orgPath: actor.orgPath,
        after: { level, ...counts, ...(under ? { under } : {}), ...villages },
      });
      return { level, ...counts, ...(under ? { under } : {}), ...villages };
    });
  } catch (e) {
    if (e instanceof ImportFileError) throw badRequest(e.message, `फ़ाइल पढ़ी नहीं जा सकी: ${e.message}`);
    if (isUniqueViolation(e)) {
      // A unit of the file was added by someone else (an import or the Places screen) meanwhile.
      throw conflict(
        'A unit of this file was added by someone else while it was being imported; nothing was imported. Send the file again.',
        'आयात के दौरान इस फ़ाइल की कोई इकाई किसी और ने जोड़ दी; कुछ भी आयात नहीं हुआ। फ़ाइल फिर भेजें।',
      );
    }
    if (e instanceof Refused) {
      const rows = e.rows.map(({ line, reason }) => ({ line, reason }));
      const outside = e.rows.filter((r) => r.outside);
      if (outside.length) {
        // Units outside the caller's area are theirs to refuse, not a fault in the file.
        throw new AppError('forbidden', {
          en: `${outside.length} row${outside.length === 1 ? '' : 's'} name a place outside your area (line ${outside[0].line}: ${outside[0].reason}); nothing was imported`,
          hi: `${outside.length} पंक्तियाँ आपके क्षेत्र से बाहर की जगह बताती हैं (पंक्ति ${outside[0].line}); कुछ भी आयात नहीं हुआ`,
        }, { rows: rows.slice(0, 1000), refused: rows.length });
      }
      const n = e.rows.length;
      const first = e.rows.slice(0, 5).map((r) => `line ${r.line}: ${r.reason}`).join('; ');
      throw badRequest(
        `${n} row${n === 1 ? '' : 's'} refused, nothing was imported (${first}${n > 5 ? '; …' : ''}). Fix these rows and send the file again.`,
        `${n} पंक्तियाँ अस्वीकृत, कुछ भी आयात नहीं हुआ (${first}${n > 5 ? '; …' : ''})। इन पंक्तियों को ठीक करके फ़ाइल फिर भेजें।`,
        { rows: rows.slice(0, 1000), refused: n },
      );
    }
    throw e;
  }
}

/**
 * POST /api/geo/boundaries: outlines (GeoJSON) of districts, blocks, gram panchayats and wards or
 * villages of the caller's area, as `swasthya import boundaries` reads them. Like the command, it stores
 * the features it can place and lists the others with their reason; a unit outside the caller's area is
 * one of those. Importing again replaces a unit's outline.
 */
export async function importOutlines(db: Kysely<Database>, actor: Actor, body: unknown, level?: OutlineLevel): Promise<BoundaryImportResult> {
  if (!actor.permissions.has('can_import_geo')) throw forbidden();
  if (body == null || (typeof body !== 'string' && typeof body !== 'object') || Buffer.isBuffer(body)) {
    throw new AppError('unsupported_media_type', {
      en: 'Send the GeoJSON FeatureCollection itself as the body, with Content-Type application/geo+json or application/json',
      hi: 'GeoJSON FeatureCollection ही भेजें (Content-Type application/geo+json या application/json)',
    });
  }
  try {
    return await db.transaction().execute(async (trx) => {
      const r = await importBoundaries(trx, body as string | object, undefined, 'api', { level, under: actor.orgPath });
      await recordAudit(trx, actor, {
        action: 'import', entity: 'geo', orgPath: actor.orgPath,
        after: { kind: 'boundaries', level: level ?? null, read: r.read, stored: r.stored, unplaced: r.unplaced.length, points: r.points },
      });
      return r;
    });
  } catch (e) {
    if (e instanceof ImportFileError) throw badRequest(e.message, `फ़ाइल पढ़ी नहीं जा सकी: ${e.message}`);
    throw e;
  }
}
