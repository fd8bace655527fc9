// The S3 document store against a real S3-compatible server (s3rver, in-process on a random port),
// the SigV4 signer against AWS's published example, and the configuration of the store.
// s3rver 3.7.1 checks the access key but does not verify V4 signatures, so the server here gets a
// verifier in front that recomputes each signature from the request as it arrived on the wire.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fs from 'node:fs';
import net, { type AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { IncomingMessage } from 'node:http';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig, type S3Config } from '../config.js';
import { facilityBody, freshDb, startTestApp, testConfig, testEngines, type TestApp } from '../test/harness.js';
import { documentStoreFor, FileDocumentStore, ObjectStoreError, S3DocumentStore, S3WithEarlierFiles, signV4 } from './objectstore.js';
import { copyDocumentsToS3 } from '../modules/patients/patients.documents.js';

// ---- a real S3-compatible server -------------------------------------------------------------

interface KoaContext { req: IncomingMessage; method: string; status: number; type: string; body: unknown }
interface S3rverInstance {
  middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void> | void)[];
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: { getResourcePath(bucket: string, key: string, resource: string): string };
}
const S3rver = createRequire(import.meta.url)('s3rver') as new (opts: object) => S3rverInstance;

const BUCKET = 'swasthya-docs';
const KEYS = { S3RVER: 'S3RVER' } as Record<string, string>;

interface Seen { method: string; url: string; contentSha256: string; verified: boolean }

const hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** Recomputes the SigV4 signature from the raw request (path, query and headers as received); refuses a mismatch as S3 does. */
function verifier(seen: Seen[]) {
  return async (ctx: KoaContext, next: () => Promise<void>) => {
    const auth = String(ctx.req.headers.authorization ?? '');
    const m = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(auth);
    const entry: Seen = { method: ctx.method, url: ctx.req.url ?? '', contentSha256: String(ctx.req.headers['x-amz-content-sha256'] ?? ''), verified: false };
    seen.push(entry);
    if (!m || !(m[1] in KEYS)) return next(); // unsigned or an unknown key: s3rver answers itself
    const [, accessKey, day, region, signedHeaders, signature] = m;
    const [rawPath, rawQuery = ''] = (ctx.req.url ?? '/').split('?');
    const query = rawQuery.split('&').filter(Boolean).map((p) => p.split('=').map((x) => rfc3986(decodeURIComponent(x ?? ''))))
      .map(([k, v = '']) => `${k}=${v}`).sort().join('&');
    const headerLines = signedHeaders.split(';').map((h) => `${h}:${String(ctx.req.headers[h] ?? '').trim()}\n`).join('');
    const canonical = `${ctx.method}\n${rawPath}\n${query}\n${headerLines}\n${signedHeaders}\n${entry.contentSha256}`;
    const scope = `${day}/${region}/s3/aws4_request`;
    const toSign = `AWS4-HMAC-SHA256\n${ctx.req.headers['x-amz-date']}\n${scope}\n${hex(canonical)}`;
    let key: Buffer = createHmac('sha256', `AWS4${KEYS[accessKey]}`).update(day).digest();
    for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
    if (createHmac('sha256', key).update(toSign).digest('hex') !== signature) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>';
      return;
    }
    entry.verified = true;
    return next();
  };
}

async function startS3(): Promise<{ endpoint: string; seen: Seen[]; stored(key: string): Buffer; holds(key: string, bytes: Buffer): Promise<boolean>; close(): Promise<void> }> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-s3-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{ name: BUCKET }] });
  const seen: Seen[] = [];
  server.middleware.unshift(verifier(seen));
  const { port } = await server.run();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    seen,
    /** What the server holds for a key, read from its own files (not through our store). */
    stored: (key) => fs.readFileSync(server.store.getResourcePath(BUCKET, key, 'object')),
    // s3rver answers a PUT before its file write has finished, so its file may lag the answer briefly.
    async holds(key, bytes) {
      const file = server.store.getResourcePath(BUCKET, key, 'object');
      for (let i = 0; i < 40; i++) {
        if (fs.existsSync(file) && fs.readFileSync(file).equals(bytes)) return true;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return false;
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'), Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)), Buffer.from('\n%%EOF\n')]);
const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]), Buffer.from(Array.from({ length: 1500 }, (_, i) => (i * 7 + 3) % 256))]);

// ---- the signer, independently of any server --------------------------------------------------

describe('SigV4 signer', () => {
  test('reproduces the "GET Object" example of the AWS SigV4 documentation for S3', () => {
    // docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html, "Example: GET Object"
    const signed = signV4({
      method: 'GET',
      path: '/test.txt',
      headers: {
        Host: 'examplebucket.s3.amazonaws.com',
        Range: 'bytes=0-9',
        'x-amz-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date': '20130524T000000Z',
      },
    }, { accessKey: 'AKIAIOSFODNN7EXAMPLE', secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' });
    assert.equal(signed.canonicalRequest, [
      'GET', '/test.txt', '',
      'host:examplebucket.s3.amazonaws.com', 'range:bytes=0-9',
      'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'x-amz-date:20130524T000000Z', '',
      'host;range;x-amz-content-sha256;x-amz-date', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ].join('\n'));
    assert.equal(signed.stringToSign, 'AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972');
    assert.equal(signed.signature, 'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    assert.equal(signed.authorization, 'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
  });
});

// ---- the store against s3rver -----------------------------------------------------------------

describe('S3DocumentStore against an S3-compatible server', () => {
  let s3: Awaited<ReturnType<typeof startS3>>;
  let settings: S3Config;
  before(async () => {
    s3 = await startS3();
    settings = { endpoint: s3.endpoint, bucket: BUCKET, accessKey: 'S3RVER', secretKey: 'S3RVER', region: 'ap-south-1' };
  });
  after(async () => { await s3.close(); });

  test('check() passes and binary PDF and PNG bytes come back identical; every request is signed and verified', async () => {
    const store = new S3DocumentStore(settings);
    await store.check();
    s3.seen.length = 0;
    await store.put('2026/11/a.pdf', pdf);
    await store.put('2026/11/b.png', png);
    assert.ok((await store.get('2026/11/a.pdf')).equals(pdf));
    assert.ok((await store.get('2026/11/b.png')).equals(png));
    assert.ok(await s3.holds('2026/11/a.pdf', pdf), 'the server holds the bytes under the key');
    assert.ok(await s3.holds('2026/11/b.png', png));
    assert.equal(s3.seen.length, 4);
    assert.ok(s3.seen.every((r) => r.verified), 'each signature matched what arrived');
    const puts = s3.seen.filter((r) => r.method === 'PUT');
    assert.deepEqual(puts.map((r) => r.url), [`/${BUCKET}/2026/11/a.pdf`, `/${BUCKET}/2026/11/b.png`], 'path-style URLs');
    assert.deepEqual(puts.map((r) => r.contentSha256), [hex(pdf), hex(png)], 'PUT carries the payload SHA-256');
  });

  test('keys with slashes, spaces, reserved and non-ASCII characters are encoded once and round-trip', async () => {
    const store = new S3DocumentStore(settings);
    const keys = ['patients/P06/2026/11/26/x.pdf', 'रिपोर्ट/एक्स-रे छाती (1).png', "odd/a+b=c&d;e,f$g@h!i*j'k~l%20m.pdf", 'ünïcödé/日本.pdf'];
    s3.seen.length = 0;
    for (const [i, key] of keys.entries()) {
      const bytes = i % 2 ? png : pdf;
      await store.put(key, bytes);
      assert.ok((await store.get(key)).equals(bytes), key);
      assert.ok(await s3.holds(key, bytes), `${key} is stored under its own name`);
    }
    assert.ok(s3.seen.every((r) => r.verified));
    assert.ok(s3.seen.some((r) => r.url === `/${BUCKET}/%E0%A4%B0%E0%A4%BF%E0%A4%AA%E0%A5%8B%E0%A4%B0%E0%A5%8D%E0%A4%9F/%E0%A4%8F%E0%A4%95%E0%A5%8D%E0%A4%B8-%E0%A4%B0%E0%A5%87%20%E0%A4%9B%E0%A4%BE%E0%A4%A4%E0%A5%80%20%281%29.png`));
    assert.ok(s3.seen.some((r) => r.url === `/${BUCKET}/odd/a%2Bb%3Dc%26d%3Be%2Cf%24g%40h%21i%2Aj%27k~l%2520m.pdf`));
    for (const bad of ['a/../b.pdf', './a.pdf', 'a//b.pdf', '/a.pdf', '']) {
      await assert.rejects(store.put(bad, pdf), /bad document key/, bad);
    }
  });

  test('a key that is not there is a 404 NoSuchKey, named', async () => {
    const err = await new S3DocumentStore(settings).get('2026/11/none.pdf').catch((e) => e);
    assert.ok(err instanceof ObjectStoreError);
    assert.equal(err.status, 404);
    assert.equal(err.s3Code, 'NoSuchKey');
    assert.match(err.message, /Reading document 2026\/11\/none\.pdf from bucket swasthya-docs failed: S3 answered 404 NoSuchKey/);
  });

  test('a wrong secret is refused: check() says to fix SWASTHYA_S3_SECRET_KEY, and nothing is stored', async () => {
    const store = new S3DocumentStore({ ...settings, secretKey: 'not-the-secret' });
    await assert.rejects(store.check(), (e: ObjectStoreError) => {
      assert.match(e.message, /bucket "swasthya-docs" at http:\/\/127\.0\.0\.1:\d+ cannot be used \(403 SignatureDoesNotMatch\): the secret key is wrong: check SWASTHYA_S3_SECRET_KEY/);
      return true;
    });
    await assert.rejects(store.put('2026/11/refused.pdf', pdf), /403 SignatureDoesNotMatch/);
    assert.throws(() => s3.stored('2026/11/refused.pdf'), /ENOENT/);
  });

  test('an unknown access key is refused with its own message', async () => {
    const store = new S3DocumentStore({ ...settings, accessKey: 'NOBODY' });
    await assert.rejects(store.check(), /403 InvalidAccessKeyId\): the access key is not known there: check SWASTHYA_S3_ACCESS_KEY/);
  });

  test('a missing bucket: check() says to create it; a PUT there fails as NoSuchBucket', async () => {
    const store = new S3DocumentStore({ ...settings, bucket: 'no-such-bucket' });
    await assert.rejects(store.check(), /The S3 bucket "no-such-bucket" at http:\/\/127\.0\.0\.1:\d+ does not exist; create it or correct SWASTHYA_S3_BUCKET/);
    await assert.rejects(store.put('2026/11/x.pdf', pdf), /failed: S3 answered 404 NoSuchBucket/);
  });

  test('an endpoint nobody answers on is named in the error', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve)); // the port is now free: nobody answers there
    const store = new S3DocumentStore({ ...settings, endpoint: `http://127.0.0.1:${port}` });
    await assert.rejects(store.check(), new RegExp(`Cannot reach the S3 endpoint http://127\\.0\\.0\\.1:${port} \\(SWASTHYA_S3_ENDPOINT\\): ECONNREFUSED`));
  });

  for (const engine of testEngines()) {
    describe(`patient documents in the bucket [${engine}]`, () => {
      let t: TestApp;
      let dataDir: string;
      before(async () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-s3docs-'));
        t = await startTestApp(engine, { config: { dataDir, s3: settings } });
      });
      after(async () => {
        await t.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      });

      test('an uploaded PDF and PNG land in the bucket and download identical; nothing under the data directory', async () => {
        const fac = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Adampur S3' }));
        assert.equal(fac.status, 201, JSON.stringify(fac.body));
        const other = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Nerchowk S3', orgUnit: 22, latitude: 31.6, longitude: 76.9 }));
        const hisar = (await t.userWith('facility_operator', fac.body.id)).token;
        const mandi = (await t.userWith('facility_operator', other.body.id)).token;
        const patient = await t.req('POST', '/api/patients', hisar, { name: 'Kamla Devi', sex: 'female', age: 52, address: { district: 63 } });
        assert.equal(patient.status, 201, JSON.stringify(patient.body));

        for (const [bytes, type] of [[pdf, 'application/pdf'], [png, 'image/png']] as const) {
          const up = await t.app.inject({ method: 'POST', url: `/api/patients/${patient.body.id}/documents?title=X-ray`, headers: { authorization: `Bearer ${hisar}`, 'content-type': type }, payload: bytes });
          assert.equal(up.statusCode, 201, up.body);
          const doc = JSON.parse(up.body);
          assert.equal(doc.sha256, hex(bytes));
          const row = await t.db.kysely.selectFrom('patient_documents').select('storage_key').where('id', '=', doc.id).executeTakeFirstOrThrow();
          assert.ok(await s3.holds(row.storage_key, bytes), 'the bucket holds the upload under the row\'s key');
          const down = await t.app.inject({ method: 'GET', url: `/api/documents/${doc.id}`, headers: { authorization: `Bearer ${hisar}` } });
          assert.equal(down.statusCode, 200);
          assert.equal(down.headers['content-type'], type);
          assert.ok(down.rawPayload.equals(bytes), 'the same bytes come back');
          assert.equal((await t.req('GET', `/api/documents/${doc.id}`, mandi)).status, 403, 'another district may not read it');
        }
        assert.equal(fs.existsSync(path.join(dataDir, 'documents')), false, 'no file store was used');
      });

      test('switching to S3: earlier documents are still read from the data directory, then copied once, checked', async () => {
        // A district that kept documents on disk ...
        const filesDir = fs.mkdtempSync(path.join(os.tmpdir(), 'swasthya-s3switch-'));
        const before = await buildApp({ db: t.db, config: testConfig({ dataDir: filesDir }) });
        const fac = await t.req('POST', '/api/facilities', t.adminToken, facilityBody({ name: 'PHC Barwala S3' }));
        const token = (await t.userWith('facility_operator', fac.body.id)).token;
        const patient = await t.req('POST', '/api/patients', token, { name: 'Santosh Devi', sex: 'female', age: 47, address: { district: 63 } });
        const upload = async (app: typeof before, bytes: Buffer, type: string) => {
          const up = await app.inject({ method: 'POST', url: `/api/patients/${patient.body.id}/documents`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: bytes });
          assert.equal(up.statusCode, 201, up.body);
          const { id } = JSON.parse(up.body) as { id: string };
          const row = await t.db.kysely.selectFrom('patient_documents').select('storage_key').where('id', '=', id).executeTakeFirstOrThrow();
          return { id, key: row.storage_key };
        };
        const kept = await upload(before, pdf, 'application/pdf');
        const lost = await upload(before, png, 'image/png');
        const spoilt = await upload(before, pdf, 'application/pdf');
        await before.close();
        const file = (key: string) => path.join(filesDir, 'documents', key);
        fs.rmSync(file(lost.key));
        fs.writeFileSync(file(spoilt.key), png);

        // ... switches to S3: the earlier PDF still opens (from the disk), before anything is copied.
        const config = testConfig({ dataDir: filesDir, s3: settings });
        const after = await buildApp({ db: t.db, config });
        try {
          const read = async (id: string) => after.inject({ method: 'GET', url: `/api/documents/${id}`, headers: { authorization: `Bearer ${token}` } });
          const early = await read(kept.id);
          assert.equal(early.statusCode, 200, early.body);
          assert.ok(early.rawPayload.equals(pdf));
          assert.equal(await s3.holds(kept.key, pdf), false, 'not in the bucket yet');

          const store = documentStoreFor(config);
          assert.ok(store instanceof S3WithEarlierFiles);
          const progress: number[] = [];
          const r = await copyDocumentsToS3(t.db.kysely, store, (done) => progress.push(done));
          assert.equal(r.copied, 1);
          assert.deepEqual(r.problems.map((p) => [p.id, p.reason]).sort(), [
            [lost.id, 'no file under the data directory'],
            [spoilt.id, 'the file no longer matches the checksum taken at upload'],
          ].sort());
          assert.ok(await s3.holds(kept.key, pdf), 'the bucket holds the PDF under its key');
          assert.ok(progress.length >= 2);
          const again = await copyDocumentsToS3(t.db.kysely, store);
          assert.equal(again.copied, 0);
          assert.ok(again.alreadyThere >= 1, 'a second run copies nothing twice');

          // The disk copy can go: the document now comes from the bucket.
          fs.rmSync(file(kept.key));
          const late = await read(kept.id);
          assert.equal(late.statusCode, 200, late.body);
          assert.ok(late.rawPayload.equals(pdf));
        } finally {
          await after.close();
          fs.rmSync(filesDir, { recursive: true, force: true });
        }
      });

      test('the app does not start when the bucket is missing or the secret is wrong, and says which', async () => {
        for (const [over, message] of [[{ bucket: 'missing-bucket' }, /"missing-bucket" .* does not exist/], [{ secretKey: 'wrong' }, /SWASTHYA_S3_SECRET_KEY/]] as const) {
          const db = await freshDb(engine);
          try {
            const app = await buildApp({ db, config: testConfig({ s3: { ...settings, ...over } }) }).catch((e) => e);
            const err = app instanceof Error ? app : await app.ready().then(() => null, (e: Error) => e);
            if (!(app instanceof Error)) await app.close();
            assert.ok(err instanceof ObjectStoreError, String(err));
            assert.match(err.message, message);
          } finally {
            await db.close();
          }
        }
      });
    });
  }
});

// ---- configuration ----------------------------------------------------------------------------

describe('S3 configuration', () => {
  const all = { SWASTHYA_S3_ENDPOINT: 'https://minio.example.in:9000/', SWASTHYA_S3_BUCKET: 'hisar-docs', SWASTHYA_S3_ACCESS_KEY: 'AK', SWASTHYA_S3_SECRET_KEY: 'SK' };

  test('none set: documents stay under the data directory; all set: the S3 store (earlier files still read), region ap-south-1 by default', () => {
    const files = loadConfig({ SWASTHYA_DATA_DIR: '/tmp/x' });
    assert.equal(files.s3, null);
    assert.ok(documentStoreFor(files) instanceof FileDocumentStore);
    const c = loadConfig(all);
    assert.deepEqual(c.s3, { endpoint: 'https://minio.example.in:9000', bucket: 'hisar-docs', accessKey: 'AK', secretKey: 'SK', region: 'ap-south-1' });
    const store = documentStoreFor(c);
    assert.ok(store instanceof S3WithEarlierFiles && store.s3 instanceof S3DocumentStore, 'S3, reading earlier files from the data directory');
    assert.equal(loadConfig({ ...all, SWASTHYA_S3_REGION: 'us-east-1' }).s3?.region, 'us-east-1');
  });

  test('all or none: the missing ones are named; bad values named together in one error, the secret never', () => {
    const partial = (() => { try { loadConfig({ SWASTHYA_S3_BUCKET: 'hisar-docs', SWASTHYA_S3_SECRET_KEY: 'top-secret-value' }); } catch (e) { return e; } })();
    assert.ok(partial instanceof ConfigError);
    assert.equal(partial.problems.length, 1);
    assert.match(partial.message, /SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_ACCESS_KEY must be set too/);
    assert.ok(!partial.message.includes('top-secret-value'));
    assert.throws(() => loadConfig({ SWASTHYA_S3_REGION: 'ap-south-1' }), /SWASTHYA_S3_ENDPOINT, SWASTHYA_S3_BUCKET, SWASTHYA_S3_ACCESS_KEY, SWASTHYA_S3_SECRET_KEY must be set too/);
    const bad = (() => { try { loadConfig({ ...all, SWASTHYA_S3_ENDPOINT: 'ftp://x', SWASTHYA_S3_BUCKET: 'Hisar_Docs', SWASTHYA_S3_REGION: 'Mumbai!', PORT: 'x' }); } catch (e) { return e; } })();
    assert.ok(bad instanceof ConfigError);
    assert.equal(bad.problems.length, 4);
    for (const name of ['SWASTHYA_S3_ENDPOINT', 'SWASTHYA_S3_BUCKET', 'SWASTHYA_S3_REGION', 'PORT']) assert.match(bad.message, new RegExp(name));
    assert.throws(() => loadConfig({ ...all, SWASTHYA_S3_ENDPOINT: 'https://user:pw@minio.example.in' }), (e: ConfigError) => !e.message.includes('pw') && /without query or credentials/.test(e.message));
  });
});
