// Escalation notices (written by asha.escalation.ts) shown to the officers they are for: a notice of
// level `mo` to those who approve claims (block officer, or a doctor of a facility in the block, whose
// acting area is the block), one of level `district` to the district's officers who keep the ASHA
// register (can_manage_asha at the district, or above it). Permission and area are settled from the
// caller alone before anything is read; the query is bounded by that area, so a caller of another
// block or district sees nothing of it, and marking a notice outside it answers 404 like a notice
// that does not exist. Each officer marks a notice seen for themself (asha_notice_reads).
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { forbidden, notFound } from '../../platform/errors.js';
import * as repo from './asha.repository.js';
import { actingArea, type Db } from './asha.service.js';

export type NoticeLevel = 'mo' | 'district';

/** The notice levels this caller is told of, or 403. */
function levelsOf(actor: Actor): NoticeLevel[] {
  const levels: NoticeLevel[] = [];
  if (actor.permissions.has('can_approve_asha_claims')) levels.push('mo');
  if (actor.permissions.has('can_manage_asha')) levels.push('district');
  if (!levels.length) {
    throw forbidden(`Your role (${actor.role}) is not told of escalated ASHA claims`, `आपकी भूमिका (${actor.role}) को आगे भेजे गए आशा दावों की सूचना नहीं दी जाती`);
  }
  return levels;
}

/** The caller's area and levels: checked before any read. */
async function scopeOf(db: Db, actor: Actor) {
  const levels = levelsOf(actor);
  return { levels, area: await actingArea(db, actor) };
}

const DAY_MS = 86_400_000;

/** Notices for the caller, newest first (cursor: the last id of the page before), with their claim as it is now. */
export async function listNotices(db: Db, actor: Actor, q: { cursor?: string; limit?: number; unseen?: boolean }, now = new Date()) {
  const { levels, area } = await scopeOf(db, actor);
  const limit = q.limit ?? 20;
  const rows = await repo.noticesIn(db, { path: area, levels, userId: actor.userId, before: q.cursor, unseen: !!q.unseen, limit: limit + 1 });
  const page = rows.slice(0, limit);
  await recordAudit(db, actor, { action: 'read', entity: 'asha_claim', orgPath: area, purpose: 'escalation notices', after: { results: page.length, claims: page.map((r) => r.claim_id) } });
  return {
    items: page.map((r) => {
      const at = new Date(r.at);
      const open = r.status === 'submitted' || r.status === 'recommended';
      // Days the claim has waited in its present status (as of the notice if the clock is behind it);
      // null once it has been decided.
      const since = new Date(r.status_at).getTime();
      return {
        id: String(r.id), level: r.level as NoticeLevel, text: r.text, at: at.toISOString(), seen: r.seen_at != null,
        claim: {
          id: r.claim_id, status: r.status, activityCode: r.activity_code, nameEn: r.name_en, nameHi: r.name_hi, amount: Number(r.amount),
          ashaName: r.asha_name, ashaNameHi: r.asha_name_hi, claimMonth: r.claim_month,
          daysWaiting: open ? Math.max(0, Math.floor((Math.max(now.getTime(), at.getTime()) - since) / DAY_MS)) : null,
        },
      };
    }),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  };
}

/** Marks a notice seen by the caller; again is the same. A notice outside the caller's area or level is 404, as one that does not exist. */
export async function markNoticeSeen(db: Db, actor: Actor, id: string, now = new Date()) {
  const { levels, area } = await scopeOf(db, actor);
  const n = await repo.noticeIn(db, id, area, levels);
  if (!n) throw notFound(`No escalation notice ${id} for you`, `आपके लिए ${id} की कोई सूचना नहीं है`);
  await repo.markNoticeSeen(db, id, actor.userId, now);
  return { id, seen: true };
}
