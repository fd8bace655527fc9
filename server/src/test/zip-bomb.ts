import zlib from 'node:zlib';

/**
 * A raw deflate stream of `mib` MiB of zeros, made cheaply: one MiB compressed with a full flush
 * (byte-aligned, no back-references across it) repeated, then an empty final block. About 1 KB per MiB.
 */
export function deflatedZeros(mib: number): Buffer {
  const one = zlib.deflateRawSync(Buffer.alloc(1024 * 1024), { level: 9, finishFlush: zlib.constants.Z_FULL_FLUSH });
  return Buffer.concat([...Array.from({ length: mib }, () => one), Buffer.from([0x03, 0x00])]);
}

export interface ZipEntry { name: string; data: Buffer; method?: 0 | 8; size: number; crc?: number }

/** A zip archive written by hand, so a test can make one whose declared sizes are whatever it needs. */
export function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.method ?? 8;
    const crc = (e.crc ?? 0) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc, 14); local.writeUInt32LE(e.data.length, 18); local.writeUInt32LE(e.size, 22); local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(e.data.length, 20); central.writeUInt32LE(e.size, 24); central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/** An .xlsx-looking zip bomb: `mib` MiB of zeros in one sheet, declared honestly (4 GiB at most). */
export function xlsxBomb(mib = 1024): Buffer {
  const data = deflatedZeros(mib);
  return zipOf([{ name: 'xl/worksheets/sheet1.xml', data, size: Math.min(mib * 1024 * 1024, 0xffffffff) }]);
}
