import { StringDecoder } from 'node:string_decoder';
import { parse, type Parser } from 'csv-parse';
import { parse as parseCsv } from 'csv-parse/sync';
import { badRequest, fieldErrors } from '../../platform/errors.js';

/** One data value as sent, before any identifier is resolved. */
export interface RawValue {
  dataElement?: string;
  period?: string;
  orgUnit?: string;
  categoryOptionCombo?: string;
  attributeOptionCombo?: string;
  /** ADX: category code → category option, instead of an option combo. */
  categoryOptions?: Record<string, string>;
  value?: string | null;
  comment?: string | null;
  /** ADX: the dataValue's annotation: the value of a non-numeric element, else the value's comment. */
  annotation?: string;
  followup?: boolean;
  storedBy?: string;
  deleted?: boolean;
}

/** A data value set (DHIS2 JSON object, CSV file or one ADX group) with its defaults for every value. */
export interface RawSet {
  dataSet?: string;
  period?: string;
  orgUnit?: string;
  attributeOptionCombo?: string;
  attributeCategoryOptions?: Record<string, string>;
  completeDate?: string;
  dataValues: RawValue[];
}

const str = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
const bool = (v: unknown) => v === true || (typeof v === 'string' && v.toLowerCase() === 'true');

/** DHIS2's JSON data value set (single set; `completedDate` accepted as DHIS2 e2e fixtures write it). */
export function fromJson(body: unknown): RawSet[] {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a DHIS2 data value set: an object with dataValues', 'बॉडी dataValues वाला DHIS2 डेटा वैल्यू सेट होनी चाहिए');
  const o = body as Record<string, any>;
  if (o.dataValues !== undefined && !Array.isArray(o.dataValues)) throw badRequest('dataValues must be a list', 'dataValues एक सूची होनी चाहिए');
  const notObject = (o.dataValues ?? []).findIndex((v: unknown) => !v || typeof v !== 'object' || Array.isArray(v));
  if (notObject >= 0) {
    throw fieldErrors([{ field: `dataValues[${notObject}]`, message: 'must be an object with dataElement, period, orgUnit and value', messageHi: 'dataElement, period, orgUnit और value वाला ऑब्जेक्ट होना चाहिए' }]);
  }
  return [{
    dataSet: str(o.dataSet), period: str(o.period), orgUnit: str(o.orgUnit), attributeOptionCombo: str(o.attributeOptionCombo),
    completeDate: str(o.completeDate ?? o.completedDate),
    dataValues: (o.dataValues ?? []).map((v: Record<string, unknown>) => ({
      dataElement: str(v.dataElement), period: str(v.period), orgUnit: str(v.orgUnit), categoryOptionCombo: str(v.categoryOptionCombo),
      attributeOptionCombo: str(v.attributeOptionCombo), value: v.value === null ? null : str(v.value), comment: str(v.comment) ?? null,
      followup: bool(v.followup ?? v.followUp), storedBy: str(v.storedBy), deleted: bool(v.deleted),
    })),
  }];
}

const CSV_COLUMNS = ['dataelement', 'period', 'orgunit', 'categoryoptioncombo', 'attributeoptioncombo', 'value', 'storedby', 'lastupdated', 'comment', 'followup', 'deleted'];

/** Where each field sits in a CSV row: DHIS2's order, or the order a header row names. */
export interface CsvColumns { de: number; pe: number; ou: number; coc: number; aoc: number; value: number; storedBy: number; comment: number; followup: number; deleted: number }

const norm = (c: string) => c.toLowerCase().replace(/[^a-z]/g, '').replace(/^timestamp$/, 'lastupdated');

/**
 * The column layout, whether `first` was a header row, and the data set a header names. A first row
 * is a header when it names dataelement or at least two of DHIS2's columns (DHIS2's own test file spells
 * it "dataelelement"). Its columns are used by name when they include dataelement, period and orgunit,
 * else DHIS2's order. DHIS2 reads a 12th header cell as the data set's id.
 */
export function csvColumns(first: string[] | undefined): { columns: CsvColumns; header: boolean; dataSet?: string } {
  let names = CSV_COLUMNS;
  const given = (first ?? []).map(norm);
  const header = given[0] === 'dataelement' || given.filter((c) => CSV_COLUMNS.includes(c) || c === 'dataset').length >= 2;
  if (header && ['dataelement', 'period', 'orgunit'].every((c) => given.includes(c))) names = given;
  const twelfth = header ? first![11]?.trim() : undefined;
  const at = (name: string) => names.indexOf(name);
  return {
    header,
    dataSet: twelfth && !CSV_COLUMNS.includes(norm(twelfth)) ? twelfth : undefined,
    columns: { de: at('dataelement'), pe: at('period'), ou: at('orgunit'), coc: at('categoryoptioncombo'), aoc: at('attributeoptioncombo'), value: at('value'), storedBy: at('storedby'), comment: at('comment'), followup: at('followup'), deleted: at('deleted') },
  };
}

/** One CSV row as a data value. */
export function csvValue(r: string[], c: CsvColumns): RawValue {
  const cell = (i: number) => (i >= 0 && r[i] !== undefined && r[i] !== '' ? r[i] : undefined);
  return {
    dataElement: cell(c.de), period: cell(c.pe), orgUnit: cell(c.ou), categoryOptionCombo: cell(c.coc), attributeOptionCombo: cell(c.aoc),
    value: cell(c.value) ?? null, storedBy: cell(c.storedBy), comment: cell(c.comment) ?? null, followup: bool(cell(c.followup)), deleted: bool(cell(c.deleted)),
  };
}

/** DHIS2's CSV layout held in memory (offline sheets): a header row (optional) and the columns in DHIS2's order. */
export function fromCsv(text: string): RawSet[] {
  let rows: string[][];
  const body = text.replace(/^\uFEFF/, '');
  if (!body.includes('"')) {
    // Unquoted CSV (what machines send in bulk) is split directly; quoted CSV goes to the full parser.
    rows = body.split(/\r?\n/).filter((l) => l.trim() !== '').map((l) => l.split(',').map((c) => c.trim()));
  } else {
    try {
      rows = parseCsv(body, { relax_column_count: true, skip_empty_lines: true, trim: true });
    } catch (e) {
      throw badRequest(`The CSV cannot be read: ${(e as Error).message}`, 'CSV पढ़ी नहीं जा सकी');
    }
  }
  const { columns, header, dataSet } = csvColumns(rows[0]);
  if (header) rows = rows.slice(1);
  return [{ dataSet, dataValues: rows.map((r) => csvValue(r, columns)) }];
}

/**
 * The records of a CSV stream, as csv-parse reads them with { relax_column_count, skip_empty_lines,
 * trim, bom }, but unquoted text (what machines send in bulk) is split directly, several times faster:
 * lines on \n (a \r before it dropped), cells on commas, each trimmed, blank lines skipped. From the
 * first double quote or lone \r on, the rest goes to csv-parse, after as many empty lines as were
 * split already, so that its errors name the line in the whole file.
 */
export async function* csvRecords(source: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let lines = 0;
  let crlf = false;
  let first = true;
  let slow: SlowCsv | null = null;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (!slow) {
      const all = rest + text;
      // A \r at the very end may be followed by \n in the next chunk.
      if (!all.includes('"') && !/\r(?!\n)/.test(all.slice(0, -1))) {
        const parts = all.split('\n');
        rest = parts.pop()!;
        for (let line of parts) {
          lines++;
          if (line.endsWith('\r')) { line = line.slice(0, -1); crlf = true; }
          if (line.trim() === '') continue;
          yield splitLine(line);
        }
        continue;
      }
      slow = new SlowCsv();
      text = (crlf ? '\r\n' : '\n').repeat(lines) + all;
      rest = '';
    }
    yield* await slow.write(text);
  }
  const tail = decoder.end();
  if (!slow) {
    const last = (rest + tail).replace(/\r$/, '');
    if (!last.includes('"') && !last.includes('\r')) {
      if (last.trim() !== '') yield splitLine(last);
      return;
    }
    slow = new SlowCsv();
    yield* await slow.write((crlf ? '\r\n' : '\n').repeat(lines) + rest + tail);
  } else if (tail) yield* await slow.write(tail);
  yield* await slow.end();
}

function splitLine(line: string): string[] {
  const cells = line.split(',');
  for (let i = 0; i < cells.length; i++) cells[i] = cells[i].trim();
  return cells;
}

/** csv-parse fed text by the caller, handing back the records each piece completes, or its error. */
class SlowCsv {
  private readonly parser: Parser = parse({ relax_column_count: true, skip_empty_lines: true, trim: true });
  private records: string[][] = [];
  private failure: Error | null = null;
  private ended = false;
  private readonly waiting: (() => void)[] = [];
  constructor() {
    this.parser.on('readable', () => { let r: string[] | null; while ((r = this.parser.read()) !== null) this.records.push(r); });
    this.parser.on('error', (e) => { this.failure ??= e; this.wake(); });
    this.parser.on('end', () => { this.ended = true; this.wake(); });
  }
  private wake() { for (const w of this.waiting.splice(0)) w(); }
  private take(): string[][] {
    if (this.failure) throw this.failure;
    const out = this.records;
    this.records = [];
    return out;
  }
  async write(text: string): Promise<string[][]> {
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      this.parser.write(text, () => this.wake());
    });
    return this.take();
  }
  async end(): Promise<string[][]> {
    await new Promise<void>((resolve) => {
      if (this.ended || this.failure) return resolve();
      this.waiting.push(resolve);
      this.parser.end();
    });
    return this.take();
  }
}
