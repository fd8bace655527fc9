import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { isPGlite } from '../../db/pglite-dialect.js';
import type { Database } from '../../db/types.js';
import type { Actor } from '../../platform/actor.js';
import type { DataValueImportOptions, ImportSummary, PreparedImport } from './hmis.datavalues.import.js';
import type { RawSet } from './hmis.datavalues.parse.js';
import type { ValueKey } from './hmis.datavalues.repository.js';
import { prepareSets, writeInTransaction } from './hmis.datavalues.run.js';
import { mergeSummaries, storedBeforeBreak } from './hmis.datavalues.summary.js';

/**
 * Batches written at once on a PostgreSQL server: each in its own transaction on its own
 * connection, so the database works on two while this process checks the next. PGlite has one
 * connection, so there one batch is written at a time.
 */
const WRITERS = 2;

/** The keys of a batch by facility-month (org unit, period, attribute option combo): a bulk file sends them in runs. */
type BatchKeys = Map<string, ValueKey[]>;
const SEP = '\u0001';

function batchKeys(p: PreparedImport): BatchKeys {
  const out: BatchKeys = new Map();
  let run: ValueKey[] | undefined;
  let last: ValueKey | undefined;
  for (const list of [p.rows, p.deletes]) {
    for (const k of list) {
      if (!run || !last || k.ou !== last.ou || k.period !== last.period || k.aoc !== last.aoc) {
        const g = k.ou + SEP + k.period + SEP + k.aoc;
        run = out.get(g);
        if (!run) out.set(g, run = []);
      }
      run.push(k);
      last = k;
    }
  }
  return out;
}

/** Whether two batches write a key in common (only facility-months in both are compared key by key). */
function overlap(a: BatchKeys, b: BatchKeys): boolean {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  for (const [g, keys] of small) {
    const other = large.get(g);
    if (!other) continue;
    const seen = new Set(keys.map((k) => k.de + SEP + k.coc));
    if (other.some((k) => seen.has(k.de + SEP + k.coc))) return true;
  }
  return false;
}

interface Writing { keys: BatchKeys; completes: boolean }

/**
 * Writes an import that arrives in batches (CSV, ADX, DXF2 read as they stream in; a large JSON body
 * cut into parts). Each batch is checked (prepareSets) in file order, then written in its own
 * transaction while the next is read and checked; on PostgreSQL up to two are written at once.
 * A batch waits for any batch before it that writes one of the same keys, so a key sent twice keeps
 * the later value, and a batch that completes a return waits for every batch before it, so the
 * return's validation rules see all its values. Memory holds the batches in flight and the one read.
 */
export class BatchWriter {
  private seen = 0;
  private readonly done: { base: number; upTo: number; summary: ImportSummary }[] = [];
  private readonly writing = new Map<Promise<void>, Writing>();
  private failure: { base: number; error: unknown } | undefined;
  private readonly writers: number;

  constructor(private readonly db: Kysely<Database>, private readonly actor: Actor, writers?: number) {
    this.writers = writers ?? (isPGlite(db) ? 1 : WRITERS);
  }

  /** Values handed to add so far: the index in the whole import of the next batch's first value. */
  get count(): number { return this.seen; }

  /** Checks `sets` (the next batch, in file order) and starts writing them as soon as the rules above let it. */
  async add(sets: RawSet[], opts: DataValueImportOptions): Promise<void> {
    const values = sets.reduce((n, s) => n + s.dataValues.length, 0);
    const base = this.seen;
    this.seen += values;
    const prepared = await prepareSets(this.db, this.actor, sets, opts);
    const keys = batchKeys(prepared);
    const completes = prepared.completions.length > 0;
    await this.until(() => this.writing.size < this.writers
      && ![...this.writing.values()].some((w) => completes || w.completes || overlap(w.keys, keys)));
    const p: Promise<void> = writeInTransaction(this.db, this.actor, prepared, opts).then(
      async (summary) => {
        this.done.push({ base, upTo: base + values, summary });
        await nextTurn(); // other requests are answered between batches
      },
      (error) => { if (!this.failure || base < this.failure.base) this.failure = { base, error }; },
    ).finally(() => { this.writing.delete(p); });
    this.writing.set(p, { keys, completes });
  }

  /** Waits for every batch in flight and answers the import's one summary (indexes in the whole import); throws the first batch's failure. */
  async finish(): Promise<ImportSummary> {
    await this.until(() => this.writing.size === 0);
    const parts = this.inOrder();
    return mergeSummaries(parts.map((d) => d.summary), parts.map((d) => d.base), this.seen);
  }

  /**
   * The error to answer with when the import stops at `e` (a body that breaks off, a batch that
   * failed): waits for the batches in flight, then says what was stored from the start of the file
   * (see storedBeforeBreak). A failed write is the first thing wrong with the file.
   */
  async broken(e: unknown): Promise<unknown> {
    while (this.writing.size) await Promise.race(this.writing.keys());
    const first = this.failure?.error ?? e;
    // Only the run of stored batches from the first value on is reported; a later batch that was
    // stored too is sent again with the rest and then counted as ignored.
    const prefix: { base: number; upTo: number; summary: ImportSummary }[] = [];
    let upTo = 0;
    for (const d of this.inOrder()) {
      if (d.base !== upTo) break;
      prefix.push(d);
      upTo = d.upTo;
    }
    return storedBeforeBreak(first, prefix.map((d) => d.summary), prefix.map((d) => d.base), upTo);
  }

  private inOrder() { return [...this.done].sort((a, b) => a.base - b.base); }

  private async until(ready: () => boolean): Promise<void> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      if (ready()) return;
      await Promise.race(this.writing.keys());
    }
  }
}
