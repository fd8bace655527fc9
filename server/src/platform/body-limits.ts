import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

const MB = 1024 * 1024;

/**
 * The largest body each kind of request may send. JSON is read whole and kept small; imports that
 * stream (DHIS2 CSV and ADX data values) may be large, since they are never held in memory whole.
 * Documents, offline sheets, metadata and FHIR have their own limits beside their routes.
 */
export const BODY_LIMITS = {
  /** Any JSON body (the server's default). */
  json: 1 * MB,
  /** A DHIS2 JSON data value set: parsed whole, so a month of a district at most; larger sets go as CSV. */
  dataValueSetJson: 10 * MB,
  /** DHIS2 CSV and ADX data values: streamed and imported in batches, never held whole. */
  dataValueSetStream: 200 * MB,
  /** One position from a GPS device (OsmAnd query, form or JSON): public, so kept tiny. */
  devicePosition: 16 * 1024,
  /** A batch of positions a device buffered while out of coverage (at most 2,000 fixes). */
  positionBatch: 512 * 1024,
} as const;

export const megabytes = (bytes: number) => `${Math.round((bytes / MB) * 10) / 10} MB`;

/** 413 naming the limit, in English and Hindi. */
export function bodyTooLarge(limit: number, what = 'The request body'): AppError {
  return new AppError('payload_too_large', {
    en: `${what} is larger than the ${megabytes(limit)} allowed here; send it in parts`,
    hi: `अनुरोध ${megabytes(limit)} की सीमा से बड़ा है; इसे भागों में भेजें`,
  }, { limit });
}

/** 413 at once when the request says (Content-Length) it is larger than `limit`. */
export function refuseDeclaredOver(request: FastifyRequest, limit: number, what?: string): void {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw bodyTooLarge(limit, what);
}

/** Passes bytes through, failing with a 413 once more than `limit` have come. */
export function byteLimit(limit: number, what?: string): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      seen += chunk.length;
      if (seen > limit) done(bodyTooLarge(limit, what));
      else done(null, chunk);
    },
  });
}

/**
 * Reads a whole stream as UTF-8 text, refusing (413) past `limit` bytes. The rest of a refused body
 * is drained rather than the stream destroyed, so the answer still reaches the client.
 */
export function readText(stream: Readable, limit: number, what?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        cleanup();
        stream.resume();
        reject(bodyTooLarge(limit, what));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(Buffer.concat(chunks).toString('utf8')); };
    const onError = (e: Error) => { cleanup(); reject(e); };
    const cleanup = () => { stream.off('data', onData); stream.off('end', onEnd); stream.off('error', onError); };
    stream.on('data', onData).on('end', onEnd).on('error', onError);
  });
}
