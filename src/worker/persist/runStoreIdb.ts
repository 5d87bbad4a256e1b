// The RunStore in IndexedDB: database `isonas-lab`, object store `runs` (RunRecord by id, the
// metrics as typed arrays) and `checkpoints` (the ISONASCK blob by run id), apart so that listing
// runs never loads a checkpoint.
import { openDatabase, request, transact } from './idb.ts';
import type { RunRecord, StoredCheckpoint } from './runRecord.ts';
import type { RunStore } from './runStore.ts';

export const RUNS_DB_NAME = 'isonas-lab';
const DB_VERSION = 1;
const RUNS = 'runs';
const CHECKPOINTS = 'checkpoints';

export async function openIdbRunStore(name = RUNS_DB_NAME): Promise<RunStore> {
  const db = await openDatabase(name, DB_VERSION, (d, oldVersion) => {
    if (oldVersion < 1) {
      d.createObjectStore(RUNS, { keyPath: 'id' });
      d.createObjectStore(CHECKPOINTS, { keyPath: 'runId' });
    }
  });
  return {
    label: `IndexedDB ${name}`,
    list: () => transact(db, [RUNS], 'readonly', (tx) => request(tx.objectStore(RUNS).getAll() as IDBRequest<RunRecord[]>, 'list runs')),
    get: async (id) =>
      (await transact(db, [RUNS], 'readonly', (tx) => request(tx.objectStore(RUNS).get(id) as IDBRequest<RunRecord | undefined>, `read run ${id}`))) ?? null,
    put: (record) =>
      transact(db, [RUNS], 'readwrite', (tx) => {
        tx.objectStore(RUNS).put(record);
      }),
    putWithCheckpoint: (record, checkpoint) =>
      transact(db, [RUNS, CHECKPOINTS], 'readwrite', (tx) => {
        tx.objectStore(RUNS).put(record);
        tx.objectStore(CHECKPOINTS).put(checkpoint);
      }),
    checkpoint: async (runId) =>
      (await transact(db, [CHECKPOINTS], 'readonly', (tx) =>
        request(tx.objectStore(CHECKPOINTS).get(runId) as IDBRequest<StoredCheckpoint | undefined>, `read checkpoint of ${runId}`),
      )) ?? null,
    delete: (id) =>
      transact(db, [RUNS, CHECKPOINTS], 'readwrite', (tx) => {
        tx.objectStore(RUNS).delete(id);
        tx.objectStore(CHECKPOINTS).delete(id);
      }),
  };
}
