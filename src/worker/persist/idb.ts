// A small typed layer over the raw IndexedDB API (no dependencies): open a database with an
// upgrade callback, and run one transaction whose result resolves only once it has committed.
// Works in a window and in a worker (`indexedDB` is on both global scopes).

/** The request's result, or its error as an Error naming `what`. */
export function request<T>(req: IDBRequest<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(new Error(`${what}: ${req.error?.message ?? 'IndexedDB request failed'}`));
  });
}

/** Opens (creating or upgrading) database `name` at `version`; `upgrade` gets the old version. */
export function openDatabase(
  name: string,
  version: number,
  upgrade: (db: IDBDatabase, oldVersion: number) => void,
): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined') return Promise.reject(new Error('IndexedDB is not available here'));
  return new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(name, version);
    req.onupgradeneeded = (ev) => upgrade(req.result, ev.oldVersion);
    req.onsuccess = () => {
      const db = req.result;
      // Another tab upgrading the schema: let it, this connection is done.
      db.onversionchange = () => db.close();
      resolve(db);
    };
    req.onerror = () => reject(new Error(`cannot open IndexedDB ${name}: ${req.error?.message ?? 'unknown error'}`));
    req.onblocked = () => reject(new Error(`cannot open IndexedDB ${name}: blocked by another open tab`));
  });
}

/**
 * Runs `body` in one transaction over `stores` and resolves with its result once the
 * transaction has committed (rejects if it aborts). `body` must only queue requests
 * synchronously or chain them through `request` without awaiting anything else, as IndexedDB
 * commits a transaction as soon as no request is pending.
 */
export function transact<T>(
  db: IDBDatabase,
  stores: string[],
  mode: IDBTransactionMode,
  body: (tx: IDBTransaction) => Promise<T> | T,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const tx = db.transaction(stores, mode);
    let result: T;
    let failed: unknown = null;
    tx.oncomplete = () => (failed === null ? resolve(result) : reject(failed));
    tx.onabort = () => reject(failed ?? new Error(`IndexedDB transaction aborted: ${tx.error?.message ?? 'unknown reason'}`));
    tx.onerror = () => undefined; // reported by onabort
    const abort = (err: unknown) => {
      failed = err;
      try {
        tx.abort();
      } catch {
        // already finished
      }
    };
    let out: Promise<T> | T;
    try {
      out = body(tx); // synchronously, while the transaction is active
    } catch (err) {
      abort(err);
      return;
    }
    Promise.resolve(out).then((r) => {
      result = r;
    }, abort);
  });
}
