// Saved analytics selections per user (see modules/hmis/hmis.favourites.ts).
import type { Generated } from 'kysely';

export interface AnalyticsFavouritesTable {
  id: string;
  user_id: string;
  name: string;
  /** The Analytics screen's selection, as the schema in hmis.favourites.routes.ts allows. */
  selection: unknown;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface FavouriteTables {
  hmis_analytics_favourites: AnalyticsFavouritesTable;
}
