/**
 * What the streamed XML imports (ADX, DHIS2's DXF2) share: tag names and attributes without their
 * namespace prefix, and feeding a request body, capped in bytes, to a saxes parser chunk by chunk.
 */
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { SaxesParser, SaxesTagPlain } from 'saxes';
import { byteLimit } from '../../platform/body-limits.js';

/** A name without its namespace prefix (`adx:group` → `group`). */
export const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** A tag's attributes by local name, namespace declarations left out. */
export const attributesOf = (tag: SaxesTagPlain): Record<string, string> =>
  Object.fromEntries(Object.entries(tag.attributes).filter(([k]) => !k.startsWith('xmlns')).map(([k, v]) => [localName(k), String(v)]));

/**
 * Feeds `body` to `sax`, at most `limit` bytes (413 past it, naming `what`). After each chunk the
 * parser's failure, if any, is thrown, else `afterChunk` runs (an import flushes a full batch there).
 * Returns when the document has been read whole; the body is released either way.
 */
export async function pumpXml(body: Readable, sax: SaxesParser, o: { limit: number; what: string; failure: () => Error | null; afterChunk: () => Promise<void> }): Promise<void> {
  const limiter = byteLimit(o.limit, o.what);
  body.pipe(limiter);
  body.on('error', (e) => limiter.destroy(e));
  const decoder = new StringDecoder('utf8');
  const check = () => {
    const failure = o.failure();
    if (failure) throw failure;
  };
  try {
    for await (const chunk of limiter) {
      sax.write(decoder.write(chunk as Buffer));
      check();
      await o.afterChunk();
    }
    sax.write(decoder.end());
    sax.close();
    check();
  } finally {
    body.unpipe(limiter);
    if (!body.readableEnded) body.resume();
  }
}
