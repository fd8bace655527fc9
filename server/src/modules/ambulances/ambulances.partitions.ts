import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/types.js';

type Db = Kysely<Database>;
const DAY_MS = 86_400_000;

/** How many days of positions are kept: SWASTHYA_POSITION_RETENTION_DAYS, else 120. */
export function retentionDays(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.SWASTHYA_POSITION_RETENTION_DAYS);
  return Number.isInteger(n) && n >= 1 && n <= 3650 ? n : 120;
}

const dayStart = (t: Date) => new Date(Math.floor(t.getTime() / DAY_MS) * DAY_MS);
export const partitionName = (day: Date) => `ambulance_positions_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;

/** The day partitions of ambulance_positions that exist, by name. */
export async function positionPartitions(db: Db): Promise<string[]> {
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
    join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'ambulance_positions'::regclass
    order by c.relname`.execute(db);
  return r.rows.map((x) => x.name);
}

/** Makes the partition of the day holding `t` (UTC) unless it exists; two makers at once are fine. */
export async function ensureDayPartition(db: Db, t: Date): Promise<void> {
  const from = dayStart(t);
  const to = new Date(from.getTime() + DAY_MS);
  try {
    await sql`create table if not exists ${sql.id(partitionName(from))} partition of ambulance_positions for values from (${sql.lit(from.toISOString())}) to (${sql.lit(to.toISOString())})`.execute(db);
  } catch (e) {
    // Another request made it between our look and our create (duplicate table or type).
    const code = (e as { code?: string }).code;
    if (code !== '42P07' && code !== '23505') throw e;
  }
}

/**
 * Daily upkeep: makes the partitions of today and the next `ahead` days, and drops whole the days
 * that ended more than `keepDays` ago (no row-by-row delete). Returns what it made and dropped.
 */
export async function maintainPositionPartitions(db: Db, opts: { keepDays?: number; ahead?: number; now?: Date } = {}): Promise<{ created: string[]; dropped: string[] }> {
  const keep = opts.keepDays ?? retentionDays();
  const now = opts.now ?? new Date();
  const before = new Set(await positionPartitions(db));
  const today = dayStart(now);
  for (let d = 0; d <= (opts.ahead ?? 3); d++) await ensureDayPartition(db, new Date(today.getTime() + d * DAY_MS));
  const oldest = partitionName(new Date(today.getTime() - keep * DAY_MS));
  const dropped: string[] = [];
  for (const name of before) {
    // Names sort as dates (pYYYYMMDD): every day before the oldest kept day goes.
    if (/^ambulance_positions_p\d{8}$/.test(name) && name < oldest) {
      await sql`drop table if exists ${sql.id(name)}`.execute(db);
      dropped.push(name);
    }
  }
  const after = await positionPartitions(db);
  return { created: after.filter((n) => !before.has(n)), dropped };
}

/** The earliest fix time still kept. */
export function oldestKept(now: Date, keepDays = retentionDays()): Date {
  return new Date(dayStart(now).getTime() - keepDays * DAY_MS);
}
