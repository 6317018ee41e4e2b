/** One schema change: applied once, in `version` order, and never edited after release. */
export interface Migration {
  /** Sortable and unique per engine, e.g. `001-initial`. */
  version: string;
  sql: string;
}
