// One-time codes that confirm a mobile number before a citizen registers from home.
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';
import { AppError, badRequest } from '../../platform/errors.js';
import { sha256, uid } from '../../platform/ids.js';
import type { SmsSender } from '../../platform/sms.js';

type Db = Kysely<Database>;

export const OTP_MINUTES = 10;
const MAX_TRIES = 5;
/** Codes a number may be sent per 15 minutes, and an address may ask for per hour. */
const PER_MOBILE = 3;
const PER_IP = 20;

const tooMany = (en: string, hi: string) => new AppError('rate_limited', { en, hi });

/** Sends a six-digit code to `mobile` (limits per number and per address); returns the challenge to answer. */
export async function sendOtp(db: Db, sms: SmsSender, mobile: string, purpose: string, ip: string | null) {
  const recent = await db.selectFrom('otp_challenges').select(sql<number>`count(*)::int`.as('n'))
    .where('mobile', '=', mobile).where('created_at', '>', sql<Date>`now() - interval '15 minutes'`).executeTakeFirstOrThrow();
  if (recent.n >= PER_MOBILE) throw tooMany('Too many codes sent to this number; wait 15 minutes and try again', 'इस नंबर पर बहुत अधिक कोड भेजे गए; 15 मिनट बाद फिर प्रयास करें');
  if (ip) {
    const fromIp = await db.selectFrom('otp_challenges').select(sql<number>`count(*)::int`.as('n'))
      .where('ip', '=', ip).where('created_at', '>', sql<Date>`now() - interval '1 hour'`).executeTakeFirstOrThrow();
    if (fromIp.n >= PER_IP) throw tooMany('Too many codes requested from this connection; try again in an hour', 'इस कनेक्शन से बहुत अधिक कोड माँगे गए; एक घंटे बाद प्रयास करें');
  }
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const id = uid();
  const expires = new Date(Date.now() + OTP_MINUTES * 60_000);
  await db.insertInto('otp_challenges').values({ id, mobile, purpose, code_hash: sha256(`${id}:${code}`), ip, expires_at: expires, used_at: null }).execute();
  await sms.send(mobile, `Swasthya: your code is ${code}. It is valid for ${OTP_MINUTES} minutes. / स्वास्थ्य: आपका कोड ${code} है, ${OTP_MINUTES} मिनट के लिए मान्य।`);
  return { challengeId: id, expiresAt: expires.toISOString(), sentTo: `${'X'.repeat(6)}${mobile.slice(-4)}` };
}

/**
 * Checks a code (five tries per challenge; a wrong try counts even if the caller's transaction
 * fails, so call it outside one). The mobile must be the one the code went to.
 */
export async function checkOtp(db: Db, challengeId: string, code: string, mobile: string, purpose: string): Promise<void> {
  const c = await db.selectFrom('otp_challenges').selectAll().where('id', '=', challengeId).executeTakeFirst();
  if (!c || c.purpose !== purpose || c.mobile !== mobile || c.used_at || c.expires_at.getTime() < Date.now() || c.attempts >= MAX_TRIES) throw wrongCode();
  if (c.code_hash !== sha256(`${c.id}:${code.trim()}`)) {
    await db.updateTable('otp_challenges').set({ attempts: sql`attempts + 1` }).where('id', '=', c.id).execute();
    throw wrongCode();
  }
}

/** Marks a checked code used, inside the transaction that acts on it: it works once. */
export async function consumeOtp(db: Db, challengeId: string): Promise<void> {
  const used = await db.updateTable('otp_challenges').set({ used_at: new Date() }).where('id', '=', challengeId).where('used_at', 'is', null).executeTakeFirst();
  if (!used.numUpdatedRows) throw wrongCode();
}

const wrongCode = () => badRequest('The code is wrong or has expired; ask for a new one', 'कोड गलत है या उसकी समय-सीमा समाप्त हो गई है; नया कोड मँगाएँ', { field: 'code' });
