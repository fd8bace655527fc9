import yauzl from 'yauzl';
import { zipSync } from 'fflate';
import { AppError, badRequest } from './errors.js';

/** How far a zip archive (an .xlsx workbook is one) may unpack. */
export interface ZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxTotalBytes: number;
  /** Uncompressed ÷ compressed size of any entry larger than 1 MB unpacked (ordinary XML packs about 10:1). */
  maxRatio: number;
  maxEntries: number;
}

export const XLSX_LIMITS: ZipLimits = { maxTotalBytes: 50 * 1024 * 1024, maxRatio: 100, maxEntries: 1000 };
const RATIO_FLOOR = 1024 * 1024;
const mb = (n: number) => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

const tooLarge = (en: string, hi: string, details: Record<string, unknown>) => new AppError('payload_too_large', { en, hi }, details);

/**
 * Unpacks a zip held in memory within `limits`. The central directory's sizes are checked before
 * anything is inflated (too many entries, too much in total, a compression ratio only a zip bomb
 * has: 413); then each entry is inflated by yauzl, which stops an entry that inflates past the size
 * the directory declared (400: the archive lies about itself). Returns the entries by name.
 */
export async function unpackZip(body: Buffer, limits: ZipLimits = XLSX_LIMITS): Promise<Map<string, Buffer>> {
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(body, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch (e) {
    throw badRequest(`The file is not a readable zip archive: ${(e as Error).message}`, 'फ़ाइल पढ़ने योग्य zip संग्रह नहीं है');
  }
  const entries: yauzl.Entry[] = [];
  let total = 0;
  for (;;) {
    const entry = await nextEntry(zip);
    if (!entry) break;
    entries.push(entry);
    if (entries.length > limits.maxEntries) {
      throw tooLarge(`The archive holds more than ${limits.maxEntries} files; a workbook has a few dozen`, `संग्रह में ${limits.maxEntries} से अधिक फ़ाइलें हैं`, { limit: limits.maxEntries });
    }
    total += entry.uncompressedSize;
    if (total > limits.maxTotalBytes) {
      throw tooLarge(`The archive unpacks to more than ${mb(limits.maxTotalBytes)} (the limit); it may be a zip bomb, or the workbook is far larger than a return needs`,
        `संग्रह खुलने पर ${mb(limits.maxTotalBytes)} की सीमा से बड़ा हो जाता है`, { limit: limits.maxTotalBytes });
    }
    const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
    if (entry.uncompressedSize > RATIO_FLOOR && ratio > limits.maxRatio) {
      throw tooLarge(`${entry.fileName} is compressed ${Math.round(ratio)}:1, beyond the ${limits.maxRatio}:1 a real workbook reaches: refused as a zip bomb`,
        `${entry.fileName} ${Math.round(ratio)}:1 के अनुपात में संकुचित है (सीमा ${limits.maxRatio}:1): zip बम मानकर अस्वीकार`, { limit: limits.maxRatio, ratio: Math.round(ratio) });
    }
  }
  const out = new Map<string, Buffer>();
  for (const entry of entries) {
    if (entry.fileName.endsWith('/')) continue;
    out.set(entry.fileName, await readEntry(zip, entry));
  }
  zip.close();
  return out;
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | null> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: yauzl.Entry) => { cleanup(); resolve(e); };
    const onEnd = () => { cleanup(); resolve(null); };
    const onError = (e: Error) => { cleanup(); reject(badRequest(`The zip archive is damaged: ${e.message}`, 'zip संग्रह क्षतिग्रस्त है')); };
    const cleanup = () => { zip.off('entry', onEntry); zip.off('end', onEnd); zip.off('error', onError); };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

async function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Buffer> {
  try {
    const stream = await zip.openReadStreamPromise(entry);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  } catch (e) {
    throw badRequest(`The zip archive is damaged (${entry.fileName}: ${(e as Error).message})`, 'zip संग्रह क्षतिग्रस्त है');
  }
}

/** The entries packed again without compression: what a reader gets is exactly what was checked. */
export function repackStored(entries: Map<string, Buffer>): Buffer {
  return Buffer.from(zipSync(Object.fromEntries([...entries].map(([name, data]) => [name, [new Uint8Array(data.buffer, data.byteOffset, data.length), { level: 0 }]])) as never));
}
