import { StoreUnavailable } from '../errors.js';
import type { Store } from '../types.js';

/**
 * The PostgreSQL store at `url` with at most `poolSize` connections.
 * TODO(#2): the engine lands in the next commit; until then it refuses to open.
 */
export async function openPostgresStore(url: string, poolSize: number): Promise<Store> {
  void url;
  void poolSize;
  throw new StoreUnavailable('the PostgreSQL engine is not built yet');
}
