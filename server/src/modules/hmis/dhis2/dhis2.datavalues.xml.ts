import { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { requirePermission, type Actor } from '../../../platform/actor.js';
import { BODY_LIMITS } from '../../../platform/body-limits.js';
import { badRequest } from '../../../platform/errors.js';
import type { DataValueImportOptions, ImportSummary } from '../hmis.datavalues.import.js';
import type { RawSet, RawValue } from '../hmis.datavalues.parse.js';
import { BatchWriter } from '../hmis.datavalues.batches.js';
import { importAdxStream } from '../hmis.datavalues.adx.js';
import { BATCH_ROWS, type StreamOptions } from '../hmis.datavalues.stream.js';
import { readIdSchemes, SCHEME_PARAMS } from './dhis2.datavalues.schemes.js';
import { attributesOf, localName, pumpXml } from '../hmis.datavalues.xmlstream.js';

export const DXF2_NS = 'http://dhis2.org/schema/dxf/2.0';
const neither = () => badRequest(
  'The document is not ADX nor a DHIS2 data value set: its root element must be <adx xmlns="urn:ihe:qrph:adx:2015"> or <dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">',
  'दस्तावेज़ न ADX है न DHIS2 डेटा वैल्यू सेट');
/** How far into a body its root element is looked for (past the XML declaration, comments and a DOCTYPE). */
const SNIFF_BYTES = 64 * 1024;

/**
 * The root element's local name of an XML body, read from its first bytes, and the body again whole
 * (those bytes followed by the rest, still streamed); null when none is found in the first 64 KB.
 */
export async function sniffRoot(body: Readable): Promise<{ root: string | null; stream: Readable }> {
  const it = body[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let root: string | null = null;
  let ended = false;
  while (size < SNIFF_BYTES) {
    const r = await it.next();
    if (r.done) { ended = true; break; }
    const chunk = Buffer.isBuffer(r.value) ? r.value : Buffer.from(String(r.value));
    head.push(chunk);
    size += chunk.length;
    const text = Buffer.concat(head).toString('utf8').replace(/^\uFEFF/, '').replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, '');
    if (/<!--/.test(text)) continue;
    const m = /<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)/.exec(text);
    if (m) { root = m[2]; break; }
  }
  async function* all() {
    for (const c of head) yield c;
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value as Buffer;
    }
  }
  return { root, stream: Readable.from(all(), { objectMode: false }) };
}

/** Imports an XML body by what its root element says it is: ADX (<adx>) or DHIS2's DXF2 data value set (<dataValueSet>). */
export async function importXmlStream(db: Kysely<Database>, actor: Actor, body: Readable, opts: DataValueImportOptions = {}, so: StreamOptions = {}): Promise<ImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const { root, stream } = await sniffRoot(body);
  if (root === 'dataValueSet') return importDxf2Stream(db, actor, stream, opts, so);
  if (root === 'adx') return importAdxStream(db, actor, stream, opts, so);
  stream.resume();
  throw neither();
}

const SET_ATTRS = ['dataSet', 'completeDate', 'period', 'orgUnit', 'attributeOptionCombo'] as const;

/**
 * Imports DHIS2's DXF2 XML data value set (<dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0">
 * with <dataValue/> elements) as it arrives, like ADX: saxes reads it incrementally, values are
 * imported in batches of BATCH_ROWS, each in its own transaction. The root's dataSet, period,
 * orgUnit and attributeOptionCombo are every value's defaults; its completeDate completes the return
 * with the last batch. Id schemes the root names (idScheme="code", as in DHIS2's dataValueSetACode.xml)
 * apply where the request's query names none. created, lastUpdated and timestamp are ignored, as
 * DHIS2 ignores them: the server keeps its own dates.
 */
export async function importDxf2Stream(db: Kysely<Database>, actor: Actor, body: Readable, opts: DataValueImportOptions = {}, so: StreamOptions = {}): Promise<ImportSummary> {
  requirePermission(actor, 'can_submit_data');
  const batchRows = so.batchRows ?? BATCH_ROWS;

  const sax = new SaxesParser({ xmlns: false, position: true });
  let failure: Error | null = null;
  let depth = 0;
  let set: RawSet | null = null;
  let completeDate: string | undefined;
  let options = opts;
  let pending: RawValue[] = [];
  let comment: { v: RawValue; text: string } | null = null;

  sax.on('error', (e) => { failure ??= badRequest(`The XML data value set cannot be read: ${e.message}`, 'XML डेटा वैल्यू सेट पढ़ा नहीं जा सका'); });
  sax.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const attrs = attributesOf(tag);
    depth++;
    if (depth === 1) {
      if (name !== 'dataValueSet') { failure ??= neither(); return; }
      const a = (k: (typeof SET_ATTRS)[number]) => (attrs[k] === '' ? undefined : attrs[k]);
      set = { dataSet: a('dataSet'), period: a('period'), orgUnit: a('orgUnit'), attributeOptionCombo: a('attributeOptionCombo'), dataValues: [] };
      completeDate = a('completeDate');
      try {
        const fromFile = readIdSchemes(Object.fromEntries(SCHEME_PARAMS.map((p) => [p, attrs[p]])));
        options = { ...fromFile, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
      } catch (e) { failure ??= e as Error; }
    } else if (depth === 2 && set && name === 'dataValue') {
      const t = (k: string) => (attrs[k] === undefined ? undefined : attrs[k]);
      const v: RawValue = {
        dataElement: t('dataElement'), period: t('period'), orgUnit: t('orgUnit'), categoryOptionCombo: t('categoryOptionCombo') || undefined,
        attributeOptionCombo: t('attributeOptionCombo') || undefined, value: t('value') ?? null, comment: t('comment') ?? null, storedBy: t('storedBy'),
        followup: (t('followup') ?? t('followUp'))?.toLowerCase() === 'true', deleted: t('deleted')?.toLowerCase() === 'true',
      };
      pending.push(v);
      comment = { v, text: '' };
    } else if (depth === 3 && comment && name === 'comment') comment.text = '';
  });
  sax.on('text', (text) => { if (depth === 3 && comment) comment.text += text; });
  sax.on('closetag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    // <comment> as a child element, as DHIS2's XML writer may put it, is read like the attribute.
    if (depth === 3 && comment && name === 'comment' && comment.text.trim()) comment.v.comment = comment.text.trim();
    if (depth === 2) comment = null;
    depth--;
  });

  const writer = new BatchWriter(db, actor);
  const flush = async (last: boolean) => {
    const values = pending;
    pending = [];
    const part: RawSet = { ...set!, dataValues: values, completeDate: last ? completeDate : undefined };
    await writer.add(values.length || part.completeDate !== undefined ? [part] : [], options);
  };

  try {
    await pumpXml(body, sax, {
      limit: so.limit ?? BODY_LIMITS.dataValueSetStream,
      what: 'The XML data value set',
      failure: () => failure,
      afterChunk: async () => { if (pending.length >= batchRows) await flush(false); },
    });
    if (!set) throw neither();
    await flush(true);
    return await writer.finish();
  } catch (e) {
    throw await writer.broken(e);
  }
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
const attr = (name: string, v: unknown) => (v === undefined || v === null ? '' : ` ${name}="${xml(String(v))}"`);

/** One value as DHIS2's DXF2 XML writes it. */
export interface Dxf2Value {
  dataElement: string; period: string; orgUnit: string; categoryOptionCombo: string; attributeOptionCombo: string;
  value: string; storedBy: string | null; created: string; lastUpdated: string; comment: string | null; followup: boolean;
}

/** DHIS2's DXF2 XML data value set: the set's attributes on the root (completeDate where the return is completed), one <dataValue/> per value. */
export function toDxf2Xml(values: Dxf2Value[], head: { dataSet?: string; period?: string; orgUnit?: string; completeDate?: string }): string {
  const rows = values.map((v) => `  <dataValue${attr('dataElement', v.dataElement)}${attr('period', v.period)}${attr('orgUnit', v.orgUnit)}${attr('categoryOptionCombo', v.categoryOptionCombo)}`
    + `${attr('attributeOptionCombo', v.attributeOptionCombo)}${attr('value', v.value)}${attr('storedBy', v.storedBy)}${attr('created', v.created)}${attr('lastUpdated', v.lastUpdated)}`
    + `${attr('comment', v.comment)}${attr('followup', v.followup)}/>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<dataValueSet xmlns="${DXF2_NS}"${attr('dataSet', head.dataSet)}${attr('completeDate', head.completeDate)}${attr('period', head.period)}${attr('orgUnit', head.orgUnit)}>\n${rows.join('\n')}${rows.length ? '\n' : ''}</dataValueSet>\n`;
}
