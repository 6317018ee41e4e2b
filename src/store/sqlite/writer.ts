/**
 * Group commit for SQLite. better-sqlite3 is synchronous, so each write would otherwise be a
 * transaction of its own with a sync of the WAL file on the event loop: about 0.8 ms apiece on the
 * benchmark machine, and nothing else runs meanwhile. Instead, the writes asked for in one turn of
 * the event loop run together in one transaction, each inside a savepoint of its own (a failing
 * write is rolled back alone and rejects alone), and one `fdatasync` of the WAL file, on the libuv
 * thread pool, makes the whole group durable before any of its callers hears that it succeeded.
 *
 * SQLite's own per-commit sync is turned off (synchronous=NORMAL) because this sync replaces it:
 * in WAL mode a commit is a set of frames appended to the WAL file, and once that file's data is
 * on disk the commit survives a power cut, exactly as with synchronous=FULL. Checkpoints keep
 * their own syncs under NORMAL.
 */
import { closeSync, existsSync, fdatasync, openSync } from 'node:fs';
import type { Db } from './database.js';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** Runs writes in group commits on one connection. */
export class Writer {
  private queue: Pending[] = [];
  private walFd: number | null = null;
  private syncing: Promise<void> | null = null;
  private nextSync: Promise<void> | null = null;

  /** `walPath` is the database's `-wal` file, or null for an in-memory database. */
  constructor(
    private readonly db: Db,
    private readonly walPath: string | null,
  ) {
    db.pragma('synchronous = NORMAL');
  }

  /**
   * Runs `work` (synchronous statements on the connection) in the next group commit; answers
   * its result once the commit is on disk, or its error (nothing of it was kept).
   */
  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.length === 0) setImmediate(() => this.commitGroup());
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  /**
   * Answers once every commit made so far is on disk: a sync started after this call covers
   * them all, so a call during a sync in flight waits for the next one.
   */
  sync(): Promise<void> {
    if (this.walPath === null) return Promise.resolve();
    if (this.syncing === null) {
      this.syncing = this.syncWal().finally(() => {
        this.syncing = null;
      });
      return this.syncing;
    }
    this.nextSync ??= this.syncing.then(() => {
      this.nextSync = null;
      return this.sync();
    });
    return this.nextSync;
  }

  /** Stops syncing; the connection itself is closed by the store. */
  close(): void {
    if (this.walFd !== null) closeSync(this.walFd);
    this.walFd = null;
  }

  private commitGroup(): void {
    const group = this.queue;
    this.queue = [];
    const done: [Pending, unknown][] = [];

    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const item of group) item.reject(error);
      return;
    }
    for (const item of group) {
      this.db.exec('SAVEPOINT group_write');
      try {
        done.push([item, item.work()]);
        this.db.exec('RELEASE group_write');
      } catch (error) {
        this.db.exec('ROLLBACK TO group_write');
        this.db.exec('RELEASE group_write');
        item.reject(error);
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      for (const [item] of done) item.reject(error);
      return;
    }

    this.sync().then(
      () => {
        for (const [item, result] of done) item.resolve(result);
      },
      (error) => {
        for (const [item] of done) item.reject(error);
      },
    );
  }

  private syncWal(): Promise<void> {
    if (this.walFd === null) {
      // The WAL file exists from the first commit on, and stays while a connection is open.
      if (!existsSync(this.walPath!)) return Promise.resolve();
      this.walFd = openSync(this.walPath!, 'r');
    }
    const fd = this.walFd;
    return new Promise((resolve, reject) => {
      fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    });
  }
}
