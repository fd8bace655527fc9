// Where document bytes are kept: files under the data directory, or an S3-compatible object store
// (AWS S3, MinIO, Ceph RGW, SeaweedFS, …) spoken to over its REST API with path-style URLs
// (`endpoint/bucket/key`) and AWS Signature Version 4, signed here with node:crypto (no SDK).
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config, S3Config } from '../config.js';

/** Where document bytes are kept. */
export interface DocumentStore {
  put(key: string, bytes: Buffer): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** Fails with a message an operator can act on when the store cannot be used; run at startup. */
  check(): Promise<void>;
}

/** Files under `<data dir>/documents`, one per document, written before the row that names them. */
export class FileDocumentStore implements DocumentStore {
  constructor(private readonly root: string) {}
  private file(key: string) {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`bad document key ${key}`);
    return full;
  }
  async put(key: string, bytes: Buffer) {
    const file = this.file(key);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, bytes, { flag: 'wx' });
  }
  async get(key: string) {
    return fs.readFile(this.file(key));
  }
  /** Nothing to check: the folder is made at the first upload. */
  async check() {}
}

/**
 * The store the configuration asks for: S3 when SWASTHYA_S3_* are set, else files. With S3, a
 * document kept under the data directory before the switch is still read from there until
 * `swasthya documents copy-to-s3` has copied it.
 */
export function documentStoreFor(config: Pick<Config, 'dataDir' | 's3'>): DocumentStore {
  const files = new FileDocumentStore(path.join(config.dataDir, 'documents'));
  return config.s3 ? new S3WithEarlierFiles(new S3DocumentStore(config.s3), files) : files;
}

/** New documents go to S3; one S3 does not have (NoSuchKey) is read from the files kept before the switch. */
export class S3WithEarlierFiles implements DocumentStore {
  constructor(readonly s3: S3DocumentStore, readonly files: FileDocumentStore) {}
  put(key: string, bytes: Buffer) {
    return this.s3.put(key, bytes);
  }
  async get(key: string) {
    try {
      return await this.s3.get(key);
    } catch (e) {
      if (!(e instanceof ObjectStoreError && e.s3Code === 'NoSuchKey')) throw e;
      return this.files.get(key).catch(() => { throw e; });
    }
  }
  check() {
    return this.s3.check();
  }
}

// ---- Signature Version 4 -------------------------------------------------------------------

export interface SigningKeys { accessKey: string; secretKey: string; region: string; service?: string }

export interface SignableRequest {
  method: string;
  /** The path exactly as sent, already URI-encoded (S3 does not encode it a second time). */
  path: string;
  /** Query parameters, unencoded; encoded and sorted here. */
  query?: Record<string, string>;
  /** Headers to sign; must include `host`, `x-amz-date` (YYYYMMDDTHHMMSSZ) and `x-amz-content-sha256`. */
  headers: Record<string, string>;
}

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - . _ ~ as %XX (upper-case hex). */
export function uriEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `20130524T000000Z` for a moment. */
export function amzDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** Task 1 of SigV4: the canonical request. */
export function canonicalRequest(req: SignableRequest): { text: string; signedHeaders: string } {
  const headers = Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), v.trim().replace(/\s+/g, ' ')] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const signedHeaders = headers.map(([k]) => k).join(';');
  const query = Object.entries(req.query ?? {}).map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0)).map(([k, v]) => `${k}=${v}`).join('&');
  const payloadHash = req.headers['x-amz-content-sha256'];
  if (!payloadHash) throw new Error('x-amz-content-sha256 must be signed');
  const canonicalHeaders = headers.map(([k, v]) => `${k}:${v}\n`).join('');
  const text = [req.method.toUpperCase(), req.path || '/', query, canonicalHeaders, signedHeaders, payloadHash].join('\n');
  return { text, signedHeaders };
}

/** Signs a request; returns the Authorization header and the intermediate steps (for tests and debugging). */
export function signV4(req: SignableRequest, keys: SigningKeys) {
  const date = req.headers['x-amz-date'];
  if (!date || !/^\d{8}T\d{6}Z$/.test(date)) throw new Error('x-amz-date must be set as YYYYMMDDTHHMMSSZ');
  const day = date.slice(0, 8);
  const scope = `${day}/${keys.region}/${keys.service ?? 's3'}/aws4_request`;
  const canonical = canonicalRequest(req);
  const stringToSign = ['AWS4-HMAC-SHA256', date, scope, sha256Hex(canonical.text)].join('\n');
  const signingKey = hmac(hmac(hmac(hmac(`AWS4${keys.secretKey}`, day), keys.region), keys.service ?? 's3'), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return {
    canonicalRequest: canonical.text,
    stringToSign,
    signature,
    authorization: `AWS4-HMAC-SHA256 Credential=${keys.accessKey}/${scope},SignedHeaders=${canonical.signedHeaders},Signature=${signature}`,
  };
}

// ---- The S3 store ---------------------------------------------------------------------------

/** A failed call to the object store, with the S3 error code when the server gave one. */
export class ObjectStoreError extends Error {
  constructor(message: string, readonly status: number | null, readonly s3Code: string | null) {
    super(message);
    this.name = 'ObjectStoreError';
  }
}

const EMPTY_SHA256 = sha256Hex('');

/** The key as a path: each segment encoded, slashes kept; no empty, `.` or `..` segments (URLs would fold them). */
function encodeKey(key: string): string {
  const segments = key.split('/');
  if (!key || Buffer.byteLength(key) > 1024 || segments.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`bad document key ${JSON.stringify(key)}`);
  }
  return segments.map(uriEncode).join('/');
}

const xmlField = (xml: string, tag: string) => new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1] ?? null;

/** Documents as objects in one bucket of an S3-compatible server. */
export class S3DocumentStore implements DocumentStore {
  private readonly base: URL;
  constructor(private readonly s3: S3Config, private readonly now: () => Date = () => new Date()) {
    this.base = new URL(s3.endpoint);
  }

  private url(key?: string): URL {
    const prefix = this.base.pathname.replace(/\/+$/, '');
    const url = new URL(this.base.origin);
    url.pathname = `${prefix}/${uriEncode(this.s3.bucket)}${key === undefined ? '' : `/${encodeKey(key)}`}`;
    return url;
  }

  private async send(method: 'GET' | 'PUT' | 'HEAD', url: URL, opts: { body?: Buffer; query?: Record<string, string>; timeoutMs: number }): Promise<Response> {
    const headers: Record<string, string> = {
      host: url.host,
      'x-amz-content-sha256': opts.body ? sha256Hex(opts.body) : EMPTY_SHA256,
      'x-amz-date': amzDate(this.now()),
    };
    const { authorization } = signV4({ method, path: url.pathname, query: opts.query, headers }, this.s3);
    for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
    const { host: _host, ...sent } = headers; // fetch sends Host from the URL, the same value
    try {
      return await fetch(url, {
        method,
        headers: { ...sent, authorization, ...(opts.body ? { 'content-type': 'application/octet-stream' } : {}) },
        body: opts.body ? new Uint8Array(opts.body) : undefined, // a typed copy: fetch's types want an ArrayBuffer view
        redirect: 'manual',
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const why = (e as Error).name === 'TimeoutError' ? `no answer in ${opts.timeoutMs / 1000} s`
        : cause?.message === 'bad port' ? `port ${url.port} is one that fetch refuses to use; run the store on another port`
        : cause?.code ?? cause?.message ?? (e as Error).message;
      throw new ObjectStoreError(`Cannot reach the S3 endpoint ${this.base.origin} (SWASTHYA_S3_ENDPOINT): ${why}`, null, null);
    }
  }

  private async failure(what: string, res: Response): Promise<ObjectStoreError> {
    const body = await res.text().catch(() => '');
    const code = xmlField(body, 'Code');
    const message = xmlField(body, 'Message') || res.statusText;
    return new ObjectStoreError(`${what} failed: S3 answered ${res.status}${code ? ` ${code}` : ''}${message ? ` (${message})` : ''}`, res.status, code);
  }

  async put(key: string, bytes: Buffer) {
    const res = await this.send('PUT', this.url(key), { body: bytes, timeoutMs: 120_000 });
    if (!res.ok) throw await this.failure(`Storing document ${key} in bucket ${this.s3.bucket}`, res);
    await res.arrayBuffer();
  }

  /** Whether the bucket holds `key` (HEAD). */
  async has(key: string): Promise<boolean> {
    const res = await this.send('HEAD', this.url(key), { timeoutMs: 30_000 });
    if (res.status === 404) return false;
    if (!res.ok) throw await this.failure(`Looking for document ${key} in bucket ${this.s3.bucket}`, res);
    return true;
  }

  async get(key: string) {
    const res = await this.send('GET', this.url(key), { timeoutMs: 60_000 });
    if (!res.ok) throw await this.failure(`Reading document ${key} from bucket ${this.s3.bucket}`, res);
    return Buffer.from(await res.arrayBuffer());
  }

  /** HEAD bucket; on refusal, asks the bucket's location to learn why (a HEAD answer has no body). */
  async check() {
    const where = `bucket "${this.s3.bucket}" at ${this.base.origin}`;
    const head = await this.send('HEAD', this.url(), { timeoutMs: 10_000 });
    if (head.ok) return;
    const region = head.headers.get('x-amz-bucket-region');
    if (region && region !== this.s3.region) {
      throw new ObjectStoreError(`The S3 ${where} is in region ${region}; set SWASTHYA_S3_REGION=${region} (it is ${this.s3.region})`, head.status, null);
    }
    if (head.status === 404) {
      throw new ObjectStoreError(`The S3 ${where} does not exist; create it or correct SWASTHYA_S3_BUCKET`, 404, 'NoSuchBucket');
    }
    let code: string | null = null;
    if (head.status === 400 || head.status === 401 || head.status === 403) {
      const res = await this.send('GET', this.url(), { query: { location: '' }, timeoutMs: 10_000 });
      const body = await res.text().catch(() => '');
      code = res.ok ? null : xmlField(body, 'Code');
    }
    const why: Record<string, string> = {
      SignatureDoesNotMatch: 'the secret key is wrong: check SWASTHYA_S3_SECRET_KEY',
      InvalidAccessKeyId: 'the access key is not known there: check SWASTHYA_S3_ACCESS_KEY',
      AccessDenied: 'the access key may not use this bucket: grant it read and write on the bucket',
      AuthorizationHeaderMalformed: 'the request was refused as malformed; check SWASTHYA_S3_REGION',
      RequestTimeTooSkewed: 'this server\'s clock differs from the store\'s by more than 15 minutes; set the clock',
    };
    const reason = (code && why[code]) ?? (head.status === 403 || head.status === 401
      ? 'the credentials were refused: check SWASTHYA_S3_ACCESS_KEY and SWASTHYA_S3_SECRET_KEY'
      : 'check SWASTHYA_S3_ENDPOINT');
    throw new ObjectStoreError(`The S3 ${where} cannot be used (${head.status}${code ? ` ${code}` : ''}): ${reason}`, head.status, code);
  }
}
