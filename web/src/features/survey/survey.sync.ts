// Sends the households waiting on this phone to the server, in batches, and records each answer:
// synced (with the family number) or refused (with the reasons, to correct and send again).
import { ApiError } from '../../api.ts';
import { sendHouseholds, SYNC_BATCH, type SyncResult } from './survey.api.ts';
import { loadHouseholds, updateHouseholds } from './survey.store.ts';
import { toHouseholdBody, type LocalHousehold } from './household.ts';

export interface SyncOutcome {
  sent: number;
  synced: number;
  refused: number;
  /** The server could not be reached: what is left stays waiting. */
  offline: boolean;
  /** Any other failure of the whole request (the session ended, no permission). */
  error?: string;
}

let running: Promise<SyncOutcome> | null = null;

/** One sync at a time: a second call while one runs gets the same answer. */
export function syncPending(userId: string): Promise<SyncOutcome> {
  running ??= run(userId).finally(() => {
    running = null;
  });
  return running;
}

export const isSyncing = () => running !== null;

async function run(userId: string): Promise<SyncOutcome> {
  const out: SyncOutcome = { sent: 0, synced: 0, refused: 0, offline: false };
  const pending = loadHouseholds(userId).filter((h) => h.status === 'pending');
  for (let i = 0; i < pending.length; i += SYNC_BATCH) {
    const batch = pending.slice(i, i + SYNC_BATCH);
    let results: SyncResult[];
    try {
      results = await send(batch);
    } catch (err) {
      if (err instanceof ApiError && err.status === 0) out.offline = true;
      else out.error = err instanceof Error ? err.message : String(err);
      break;
    }
    record(userId, batch, results, out);
  }
  return out;
}

/**
 * The batch in one request; if the server refuses the request as a whole (one household it cannot
 * even read), each household is sent on its own so that only that one is refused.
 */
async function send(batch: LocalHousehold[]): Promise<SyncResult[]> {
  try {
    return (await sendHouseholds(batch.map(toHouseholdBody))).results;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 400 && batch.length > 1)) {
      if (err instanceof ApiError && err.status === 400) return [refusal(batch[0]!.clientId, err)];
      throw err;
    }
  }
  const results: SyncResult[] = [];
  for (const h of batch) {
    try {
      results.push(...(await sendHouseholds([toHouseholdBody(h)])).results);
    } catch (err) {
      if (err instanceof ApiError && err.status === 400) results.push(refusal(h.clientId, err));
      else throw err;
    }
  }
  return results;
}

/** A household the server could not read at all, refused with the server's words. */
function refusal(clientId: string, err: ApiError): SyncResult {
  const problems = err.fields.length
    ? err.fields.map((f) => {
      // Fields are named like households.0.members.1.mobile.
      const m = /^households\.\d+\.members\.(\d+)\.(\w+)/.exec(f.field);
      return { member: m ? Number(m[1]) : undefined, field: m?.[2] ?? f.field, message: f.message, messageHi: f.messageHi ?? f.message };
    })
    : [{ message: err.message, messageHi: err.message }];
  return { clientId, status: 'refused', problems };
}

function record(userId: string, batch: LocalHousehold[], results: SyncResult[], out: SyncOutcome): void {
  const byId = new Map(results.map((r) => [r.clientId, r]));
  const sent = new Set(batch.map((h) => h.clientId));
  const now = new Date().toISOString();
  updateHouseholds(userId, (h) => {
    const r = sent.has(h.clientId) ? byId.get(h.clientId) : undefined;
    // Only households still waiting take the answer (one removed meanwhile is gone).
    if (!r || h.status !== 'pending') return h;
    out.sent++;
    if (r.status === 'refused') {
      out.refused++;
      return { ...h, status: 'refused', problems: r.problems ?? [], syncedAt: now };
    }
    out.synced++;
    return { ...h, status: 'synced', familyNumber: r.familyNumber, stateNumbers: r.stateNumbers, problems: undefined, syncedAt: now };
  });
}
