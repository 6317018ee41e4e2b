import type { Migration } from '../../migration.js';
import { sql as initial } from './001-initial.js';

/** PostgreSQL migrations in the order they apply. Append; never reorder or edit a released one. */
export const migrations: Migration[] = [{ version: '001-initial', sql: initial }];
