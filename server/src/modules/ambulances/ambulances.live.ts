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

/**
 * Announces events to every instance's live streams when the transaction commits: payloads of under
 * 7,500 bytes (NOTIFY's limit is 8,000), all sent in one statement.
 */
export async function announceLive(db: Kysely<Database>, events: LiveEvent[]): Promise<void> {
  const payloads: string[] = [];
  let chunk: string[] = [];
  let size = 2;
  for (const e of events) {
    const json = JSON.stringify(e);
    if (chunk.length && size + json.length + 1 > 7_500) {
      payloads.push(`[${chunk.join(',')}]`);
      chunk = [];
      size = 2;
    }
    chunk.push(json);
    size += json.length + 1;
  }
  if (chunk.length) payloads.push(`[${chunk.join(',')}]`);
  if (!payloads.length) return;
  if (payloads.length === 1) await sql`select pg_notify(${LIVE_CHANNEL}, ${payloads[0]})`.execute(db);
  // unnest yields the array in order, so the payloads are sent in order.
  else await sql`select pg_notify(${LIVE_CHANNEL}, p) from unnest(${payloads}::text[]) as p`.execute(db);
}
