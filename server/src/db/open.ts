import type { Config } from '../config.js';
import { openPglite, openPostgres, type Db } from './connect.js';

/** PostgreSQL when DATABASE_URL is set, else the embedded PGlite database in the data folder. */
export function openDatabase(config: Config): Promise<Db> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
