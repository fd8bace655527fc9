// Template databases on a PostgreSQL server (for tests), shared by the server suites' harness and the browser
// tests' harness: a database made ready once per code and day (under an advisory lock, by whichever
// test comes first) and copied for each test with CREATE DATABASE … TEMPLATE. Only `pg` is imported, so
// the browser tests' TypeScript settings check this file alone.
import pg from 'pg';

/** A single connection to `url` for the length of `run`. */
export async function withClient<T>(url: string, run: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await run(c);
  } finally {
    await c.end();
  }
}

/** `url` with its database replaced by `name`. */
export function databaseUrl(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/**
 * The template `<prefix>_<yyyymmdd>_<key>`: made when missing by `fill` (given the URL of a new
 * database named `…_part`, renamed once filled), under advisory lock `lock`. Named by day and code, so
 * a run of other code the same day keeps its own; templates of the prefix from earlier days are
 * dropped (one still being copied from stays: the drop fails).
 */
export function preparedTemplate(url: string, o: { prefix: string; key: string; lock: number; fill: (partUrl: string) => Promise<void> }): Promise<string> {
  return withClient(url, async (c) => {
    const day = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    const name = `${o.prefix}_${day}_${o.key}`;
    await c.query(`select pg_advisory_lock(${o.lock})`);
    try {
      const have = await c.query('select 1 from pg_database where datname = $1', [name]);
      if (have.rowCount) return name;
      const part = `${name}_part`;
      await c.query(`drop database if exists ${pg.escapeIdentifier(part)} with (force)`);
      await c.query(`create database ${pg.escapeIdentifier(part)}`);
      await o.fill(databaseUrl(url, part));
      await c.query(`alter database ${pg.escapeIdentifier(part)} rename to ${pg.escapeIdentifier(name)}`);
      const like = (s: string) => s.replace(/[\\_%]/g, (x) => `\\${x}`);
      const old = await c.query<{ datname: string }>('select datname from pg_database where datname like $1 and datname not like $2',
        [`${like(o.prefix)}\\_%`, `${like(`${o.prefix}_${day}_`)}%`]);
      for (const { datname } of old.rows) await c.query(`drop database if exists ${pg.escapeIdentifier(datname)}`).catch(() => undefined);
      return name;
    } finally {
      await c.query(`select pg_advisory_unlock(${o.lock})`);
    }
  });
}
