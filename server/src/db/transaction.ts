import type { Kysely, Transaction } from 'kysely';

/** Runs `fn` in a transaction: the caller's own when `db` already is one, else a new one. */
export function inTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute((trx: Transaction<DB>) => fn(trx));
}
