// One-time codes that confirm a mobile number before a citizen registers from home.
//
// The limits hold across server instances because PostgreSQL enforces them: a send counts and inserts
// under a transaction-scoped advisory lock on the number (and the address), and a check counts its try
// and uses the code in one UPDATE. A challenge is checked at most MAX_TRIES times; the right code uses
// it up at once, whatever the caller does next, so it works once and a failed step needs a new code.
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { sha256, uid } from '../../platform/ids.js';
import type { SmsSender } from '../../platform/sms.js';
import { outboxOf, type Outbox, type QueuedMessage } from '../../platform/outbox/index.js';

type Db = Kysely<Database>;

export const OTP_MINUTES = 10;
export const MAX_TRIES = 5;
/** Codes a number may be sent per 15 minutes, and an address may ask for per hour. */
export const PER_MOBILE = 3;
const PER_IP = 20;

const tooMany = (en: string, hi: string) => new AppError('rate_limited', { en, hi });

/** Runs `fn` in a transaction: the caller's, or a new one. */
const inTransaction = <T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> => (db.isTransaction ? fn(db) : db.transaction().execute(fn));

/** Waits for the transaction-scoped lock named `key` (released at commit or rollback). */
const lock = (db: Db, key: string) => sql`select pg_advisory_xact_lock(hashtext(${key}))`.execute(db);

/**
 * Sends a six-digit code to `mobile` (limits per number and per address); returns the challenge to
 * answer. The message is written to the outbox with the challenge (one transaction) and tried at once
 * after commit, so a gateway that is down delays the code rather than losing it. `via` is the app's
 * outbox, or the SMS sender it was made around (`deps.sms`).
 */
export async function sendOtp(db: Db, via: Outbox | SmsSender, mobile: string, purpose: string, ip: string | null, opts: { language?: 'hi' | 'en'; createdBy?: string | null; orgPath?: string | null } = {}) {
  const outbox = outboxOf(via);
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = uid();
  const expires = new Date(Date.now() + OTP_MINUTES * 60_000);
  const ownTransaction = !db.isTransaction;
  let message!: QueuedMessage;
  await inTransaction(db, async (trx) => {
    // Count and insert under the number's lock (then the address's, always in that order): parallel
    // sends to one number wait for each other, so no more than PER_MOBILE get through.
    await lock(trx, `otp:mobile:${mobile}`);
    if (ip) await lock(trx, `otp:ip:${ip}`);
    const recent = await trx.selectFrom('otp_challenges').select(sql<number>`count(*)::int`.as('n'))
      .where('mobile', '=', mobile).where('created_at', '>', sql<Date>`now() - interval '15 minutes'`).executeTakeFirstOrThrow();
    if (recent.n >= PER_MOBILE) throw tooMany('Too many codes sent to this number; wait 15 minutes and try again', 'इस नंबर पर बहुत अधिक कोड भेजे गए; 15 मिनट बाद फिर प्रयास करें');
    if (ip) {
      const fromIp = await trx.selectFrom('otp_challenges').select(sql<number>`count(*)::int`.as('n'))
        .where('ip', '=', ip).where('created_at', '>', sql<Date>`now() - interval '1 hour'`).executeTakeFirstOrThrow();
      if (fromIp.n >= PER_IP) throw tooMany('Too many codes requested from this connection; try again in an hour', 'इस कनेक्शन से बहुत अधिक कोड माँगे गए; एक घंटे बाद प्रयास करें');
    }
    await trx.insertInto('otp_challenges').values({ id, mobile, purpose, code_hash: sha256(`${id}:${code}`), ip, expires_at: expires, used_at: null }).execute();
    [message] = await outbox.queue(trx, {
      to: mobile, template: 'otp.code', params: { code, minutes: OTP_MINUTES }, language: opts.language ?? 'both', expiresAt: expires,
      about: { kind: 'otp', id: purpose.split(':')[0] }, createdBy: opts.createdBy ?? null, orgPath: opts.orgPath ?? null,
    }, { deliverAfterCommit: ownTransaction });
  });
  // Tried at once after commit (the development sender has printed it when this returns); inside a caller's transaction, the queue sends it.
  if (ownTransaction) await outbox.deliver([message.id]);
  return { challengeId: id, expiresAt: expires.toISOString(), sentTo: `${'X'.repeat(6)}${mobile.slice(-4)}` };
}

/**
 * Checks a code for the mobile it went to and the purpose it was sent for. Every call is a try,
 * counted in the same statement that checks it (five per challenge, however many arrive at once;
 * then 429); the right code marks the challenge used there and then, so it confirms one action only
 * and is gone even if that action fails. Call it outside the caller's transaction: a try counts
 * whatever happens next.
 */
export async function checkOtp(db: Db, challengeId: string, code: string, mobile: string, purpose: string): Promise<void> {
  const hash = sha256(`${challengeId}:${code.trim()}`);
  const tried = await db.updateTable('otp_challenges')
    .set({
      attempts: sql`attempts + 1`,
      used_at: sql<Date | null>`case when code_hash = ${hash} and mobile = ${mobile} and purpose = ${purpose} then now() end`,
    })
    .where('id', '=', challengeId).where('used_at', 'is', null).where('expires_at', '>', sql<Date>`now()`).where('attempts', '<', MAX_TRIES)
    .returning(sql<boolean>`used_at is not null`.as('ok'))
    .executeTakeFirst();
  if (tried?.ok) return;
  if (!tried) {
    const c = await db.selectFrom('otp_challenges').select(['attempts', 'used_at', 'expires_at']).where('id', '=', challengeId).executeTakeFirst();
    if (c && !c.used_at && c.expires_at.getTime() > Date.now() && c.attempts >= MAX_TRIES) {
      throw tooMany('Too many wrong codes for this one; ask for a new code', 'इस कोड के लिए बहुत अधिक गलत प्रयास; नया कोड मँगाएँ');
    }
  }
  throw wrongCode();
}

/**
 * Confirms, inside the transaction that acts on it, that the code was checked: checkOtp has already
 * used it up, so this only refuses a challenge that was never answered rightly.
 */
export async function consumeOtp(db: Db, challengeId: string): Promise<void> {
  const c = await db.selectFrom('otp_challenges').select('used_at').where('id', '=', challengeId).executeTakeFirst();
  if (!c?.used_at) throw wrongCode();
}

const wrongCode = () => badRequest('The code is wrong or has expired; ask for a new one', 'कोड गलत है या उसकी समय-सीमा समाप्त हो गई है; नया कोड मँगाएँ', { field: 'code' });
