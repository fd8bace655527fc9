import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../../db/types.js';
import { actorOf } from '../../../platform/http.js';
import { todayIst } from '../../../platform/periods.js';
import { exportDataValues, toAdxXml, toCsv } from '../hmis.datavalues.export.js';
import { readIdSchemes } from './dhis2.datavalues.schemes.js';
import { toDxf2Xml } from './dhis2.datavalues.xml.js';

const list = Type.Union([Type.String(), Type.Array(Type.String())]);
const Scheme = Type.String({ minLength: 1, maxLength: 80 });
/** GET /api/dataValueSets: DHIS2's filters and id schemes (UID, CODE, NAME) for what is written. */
export const ExportQuery = Type.Object({
  dataSet: Type.Optional(list), period: Type.Optional(list), orgUnit: Type.Optional(list), startDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  endDate: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })), children: Type.Optional(Type.Boolean()),
  idScheme: Type.Optional(Scheme), dataElementIdScheme: Type.Optional(Scheme), orgUnitIdScheme: Type.Optional(Scheme), categoryOptionComboIdScheme: Type.Optional(Scheme), dataSetIdScheme: Type.Optional(Scheme),
  categoryIdScheme: Type.Optional(Scheme), categoryOptionIdScheme: Type.Optional(Scheme),
  format: Type.Optional(Type.String({ enum: ['json', 'csv', 'adx', 'xml'] })),
}, { additionalProperties: false });

export type ExportFormat = 'json' | 'csv' | 'adx' | 'xml';
const asList = (v: string | string[] | undefined) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).flatMap((x) => x.split(';')).filter(Boolean));

/**
 * The format asked for: a path suffix (/api/dataValueSets.xml), format=, else Accept: ADX for
 * application/adx+xml, DHIS2's DXF2 XML for any other XML type, CSV, else JSON.
 */
export function exportFormat(request: FastifyRequest, suffix?: string): ExportFormat {
  const q = request.query as { format?: ExportFormat };
  if (suffix) return suffix as ExportFormat;
  if (q.format) return q.format;
  const accept = String(request.headers.accept ?? '').toLowerCase();
  return /adx\+xml/.test(accept) ? 'adx' : /csv/.test(accept) ? 'csv' : /xml/.test(accept) ? 'xml' : 'json';
}

/** Answers a data value set export in the format asked for. */
export async function answerDataValueSet(db: Kysely<Database>, request: FastifyRequest, reply: FastifyReply, format: ExportFormat) {
  const q = request.query as Record<string, any>;
  const schemes = readIdSchemes(q);
  const out = await exportDataValues(db, actorOf(request), {
    dataSet: asList(q.dataSet), period: asList(q.period), orgUnit: asList(q.orgUnit), startDate: q.startDate, endDate: q.endDate, children: q.children, ...schemes,
  });
  // DHIS2 writes completeDate as the calendar date; the day is India's, so 2019-06-05 stays 2019-06-05.
  // A set is one attribute option combo in DHIS2: its completion is that combo's (or the only one there is).
  const aocs = new Set(out.values.map((v) => v.attributeOptionCombo));
  const completeDate = !out.single ? undefined
    : aocs.size === 1 ? out.completeDates.get(`${out.single.period}|${out.single.orgUnit}|${[...aocs][0]}`)
      : out.complete.length === 1 ? todayIst(out.complete[0].completed_at) : undefined;
  if (format === 'csv') return reply.type('application/csv; charset=utf-8').send(toCsv(out.values));
  if (format === 'adx') return reply.type('application/adx+xml; charset=utf-8').send(toAdxXml(out.values, out.dataSet ?? '', out.textElements, out.completeDates));
  if (format === 'xml') return reply.type('application/xml; charset=utf-8').send(toDxf2Xml(out.values, { dataSet: out.dataSet, ...(out.single ?? {}), completeDate }));
  return { dataSet: out.dataSet, ...(out.single ?? {}), ...(completeDate ? { completeDate } : {}), dataValues: out.values };
}
