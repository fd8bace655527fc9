// What the live map hears: vehicles moving and changing status, calls coming in and moving on.
// Writers announce in their transaction (PostgreSQL NOTIFY, so every server instance hears it once
// committed); the live stream (GET /api/ambulances/live) listens on LIVE_CHANNEL.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

export const LIVE_CHANNEL = 'ambulance_live';

export type LiveEvent =
  | { type: 'position'; ambulanceId: string; latitude: number; longitude: number; fixTime: string; speedKmh: number | null }
  | { type: 'vehicle'; ambulanceId: string; status: string }
  | { type: 'call'; callId: string; districtId: string; status: string }
  | { type: 'event'; eventId: string; ambulanceId: string; kind: string; at: string; latitude: number | null; longitude: number | null; facilityId: string | null };

/** Announces events to every instance's live streams when the transaction commits (NOTIFY payloads stay under 8,000 bytes). */
export async function announceLive(db: Kysely<Database>, events: LiveEvent[]): Promise<void> {
  let chunk: LiveEvent[] = [];
  let size = 2;
  const flush = async () => {
    if (!chunk.length) return;
    await sql`select pg_notify(${LIVE_CHANNEL}, ${JSON.stringify(chunk)})`.execute(db);
    chunk = [];
    size = 2;
  };
  for (const e of events) {
    const n = JSON.stringify(e).length + 1;
    if (size + n > 7_500) await flush();
    chunk.push(e);
    size += n;
  }
  await flush();
}
