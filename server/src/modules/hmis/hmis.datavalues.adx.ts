import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { requirePermission, type Actor } from '../../platform/actor.js';
import { BODY_LIMITS } from '../../platform/body-limits.js';
import { badRequest } from '../../platform/errors.js';
import type { DataValueImportOptions, ImportSummary } from './hmis.datavalues.import.js';
import type { RawSet, RawValue } from './hmis.datavalues.parse.js';
import { BatchWriter } from './hmis.datavalues.batches.js';
import { BATCH_ROWS, type StreamOptions } from './hmis.datavalues.stream.js';
import { attributesOf, localName, pumpXml } from './hmis.datavalues.xmlstream.js';

const GROUP_ATTRS = new Set(['dataSet', 'period', 'orgUnit', 'attributeOptionCombo', 'completeDate']);
// created and lastUpdated (DHIS2 writes them, as in its importDates.adx.xml) are ignored as DHIS2 ignores them: the server keeps its own.
const VALUE_ATTRS = new Set(['dataElement', 'value', 'categoryOptionCombo', 'annotation', 'attributeOptionCombo', 'comment', 'followup', 'deleted', 'created', 'lastUpdated']);
const notAdx = () => badRequest('The document is not ADX: its root element must be <adx xmlns="urn:ihe:qrph:adx:2015">', 'दस्तावेज़ ADX नहीं है');

/**
 * Imports ADX (IHE QRPH) as it arrives: saxes reads the XML incrementally, and values are imported
 * in batches of BATCH_ROWS, each in its own transaction, yielding between batches, like CSV. A group
 * larger than a batch is imported in parts with the group's attributes; its completeDate goes with
 * its last part. DTD entities are not expanded (an undefined entity is an error), so an entity bomb
 * cannot grow; more than `limit` bytes is a 413.
 */
export async function importAdxStream(db: Kysely<Database>, actor: Actor, body: Readable, opts: DataValueImportOptions = {}, so: StreamOptions = {}): Promise<ImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const batchRows = so.batchRows ?? BATCH_ROWS;

  const sax = new SaxesParser({ xmlns: false, position: true });
  let failure: Error | null = null;
  let depth = 0;
  let group: { set: RawSet; completeDate?: string } | null = null;
  let value: { attrs: Record<string, string>; annotation: string | undefined } | null = null;
  let inAnnotation = false;
  let pending: RawSet[] = [];
  let pendingValues = 0;
  let root = false;

  sax.on('error', (e) => { failure ??= badRequest(`The ADX document cannot be read: ${e.message}`, 'ADX दस्तावेज़ पढ़ा नहीं जा सका'); });
  sax.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const attrs = attributesOf(tag);
    depth++;
    if (depth === 1) root = true;
    if (depth === 1 && name !== 'adx') failure ??= notAdx();
    else if (depth === 2 && name === 'group') {
      const extra = Object.fromEntries(Object.entries(attrs).filter(([k]) => !GROUP_ATTRS.has(k)));
      group = {
        completeDate: attrs.completeDate,
        set: { dataSet: attrs.dataSet, period: attrs.period, orgUnit: attrs.orgUnit, attributeOptionCombo: attrs.attributeOptionCombo, attributeCategoryOptions: Object.keys(extra).length ? extra : undefined, dataValues: [] },
      };
      pending.push(group.set);
    } else if (depth === 3 && group && name === 'dataValue') value = { attrs, annotation: undefined };
    else if (depth === 4 && value && name === 'annotation') { inAnnotation = true; value.annotation ??= ''; }
  });
  sax.on('text', (text) => { if (inAnnotation && value) value.annotation += text; });
  sax.on('closetag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (depth === 4 && name === 'annotation') inAnnotation = false;
    else if (depth === 3 && value && group && name === 'dataValue') {
      const a = value.attrs;
      const cats = Object.fromEntries(Object.entries(a).filter(([k]) => !VALUE_ATTRS.has(k)));
      const annotation = (a.annotation ?? value.annotation)?.trim();
      const v: RawValue = {
        dataElement: a.dataElement, value: a.value ?? null, categoryOptionCombo: a.categoryOptionCombo, categoryOptions: Object.keys(cats).length ? cats : undefined,
        annotation, comment: a.comment ?? null, followup: a.followup?.toLowerCase() === 'true', deleted: a.deleted?.toLowerCase() === 'true',
      };
      group.set.dataValues.push(v);
      pendingValues++;
      value = null;
    } else if (depth === 2 && group && name === 'group') {
      if (group.completeDate !== undefined) group.set.completeDate = group.completeDate;
      group = null;
    }
    depth--;
  });

  const writer = new BatchWriter(db, actor);
  const flush = async () => {
    const sets = pending;
    pending = [];
    pendingValues = 0;
    // A group still open goes on in a new part with the same attributes.
    if (group) {
      group.set = { ...group.set, dataValues: [] };
      pending.push(group.set);
    }
    await writer.add(sets.filter((s) => s.dataValues.length || s.completeDate !== undefined), opts);
  };

  try {
    await pumpXml(body, sax, {
      limit: so.limit ?? BODY_LIMITS.dataValueSetStream,
      what: 'The ADX document',
      failure: () => failure,
      afterChunk: async () => { if (pendingValues >= batchRows) await flush(); },
    });
    if (!root) throw notAdx();
    await flush();
    return await writer.finish();
  } catch (e) {
    throw await writer.broken(e);
  }
}
