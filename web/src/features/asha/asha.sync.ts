// Sends the claims waiting on the phone, one by one, oldest first. Each carries the client id it was
// given when it was kept, so a claim sent again (the answer lost on the way back, a second tab) is the
// same claim on the server (200 with it), never a second one. Taken by the server: removed from the
// phone. Refused (4xx): kept with the reason, for the ASHA to see and remove. No network or the server
// away: left waiting for the next try.
import { ApiError } from '../../api.ts';
import { sendClaim, type Flag } from './asha.api.ts';
import { loadClaims, updateClaim } from './asha.store.ts';

export interface SyncOutcome {
  sent: number;
  refused: number;
  flagged: { nameEn: string; nameHi: string | null; flags: Flag[] }[];
  /** The server could not be reached (or is away): what is left stays waiting. */
  offline: boolean;
  /** A failure that ends the run (the session ended, no permission). */
  error?: string;
}

let running: Promise<SyncOutcome> | null = null;

/** One sync at a time in this tab (and across tabs where the browser has Web Locks). */
export function syncClaims(userId: string): Promise<SyncOutcome> {
  running ??= withLock(userId, () => run(userId)).finally(() => {
    running = null;
  });
  return running;
}

export const isSyncing = () => running !== null;

function withLock<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(`swasthya-asha-sync-${userId}`, fn) as Promise<T>) : fn();
}

/** A refusal of this one claim (its content), as opposed to a failure of the network or the session. */
const refusedClaim = (err: unknown) =>
  err instanceof ApiError && err.status >= 400 && err.status < 500 && ![401, 403, 408, 429].includes(err.status);

async function run(userId: string): Promise<SyncOutcome> {
  const out: SyncOutcome = { sent: 0, refused: 0, flagged: [], offline: false };
  const pending = (await loadClaims(userId)).filter((c) => c.status === 'pending');
  for (const claim of pending) {
    try {
      const answer = await sendClaim(claim.body);
      out.sent++;
      if (answer.flags?.length) out.flagged.push({ nameEn: claim.nameEn, nameHi: claim.nameHi, flags: answer.flags });
      await updateClaim(claim.clientId, () => null);
    } catch (err) {
      if (refusedClaim(err)) {
        out.refused++;
        const e = err as ApiError;
        const problem = [e.message, ...e.fields.map((f) => f.message)].filter((m, i, all) => m && all.indexOf(m) === i).join(' · ');
        await updateClaim(claim.clientId, (c) => ({ ...c, status: 'refused', problem }));
        continue;
      }
      if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) out.offline = true;
      else out.error = err instanceof Error ? err.message : String(err);
      break;
    }
  }
  return out;
}
