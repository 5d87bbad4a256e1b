// Where runs are kept: the interface the run keeper writes through, and an in-memory
// implementation (unit tests; the fallback where IndexedDB is missing). The IndexedDB one is
// runStoreIdb.ts. Values are stored as copies: a caller mutating a record after `put` changes
// nothing stored, as with IndexedDB's structured clone.
import type { RunRecord, StoredCheckpoint } from './runRecord.ts';

export interface RunStore {
  /** Where the runs live, for messages ("IndexedDB isonas-lab", "memory"). */
  readonly label: string;
  list(): Promise<RunRecord[]>;
  get(id: string): Promise<RunRecord | null>;
  put(record: RunRecord): Promise<void>;
  /** The record and its checkpoint in one transaction (both or neither). */
  putWithCheckpoint(record: RunRecord, checkpoint: StoredCheckpoint): Promise<void>;
  checkpoint(runId: string): Promise<StoredCheckpoint | null>;
  /** The record and its checkpoint; no error when absent. */
  delete(id: string): Promise<void>;
}

export function memoryRunStore(): RunStore & { writes: number } {
  const records = new Map<string, RunRecord>();
  const checkpoints = new Map<string, StoredCheckpoint>();
  const store = {
    label: 'memory',
    writes: 0,
    list: async () => [...records.values()].map((r) => structuredClone(r)),
    get: async (id: string) => {
      const r = records.get(id);
      return r === undefined ? null : structuredClone(r);
    },
    put: async (record: RunRecord) => {
      store.writes++;
      records.set(record.id, structuredClone(record));
    },
    putWithCheckpoint: async (record: RunRecord, checkpoint: StoredCheckpoint) => {
      if (checkpoint.runId !== record.id) throw new Error(`checkpoint of ${checkpoint.runId} stored with run ${record.id}`);
      store.writes++;
      records.set(record.id, structuredClone(record));
      checkpoints.set(record.id, structuredClone(checkpoint));
    },
    checkpoint: async (runId: string) => {
      const c = checkpoints.get(runId);
      return c === undefined ? null : structuredClone(c);
    },
    delete: async (id: string) => {
      records.delete(id);
      checkpoints.delete(id);
    },
  };
  return store;
}
