// Files the user gives the Data panel, as (File, relative path) pairs for loadData: a multi-file
// pick, a folder pick (webkitRelativePath), or a drop, where dropped directories are walked with
// repeated readEntries() calls (Chromium returns at most 100 entries per call; an empty batch
// ends the directory).
import type { DataFileRef } from '../../worker/protocol/index.ts';

/** Picked files; a folder pick names each by its path inside the picked folder. */
export function filesFromInput(list: FileList | null): DataFileRef[] {
  return Array.from(list ?? [], (file) => ({ file, path: file.webkitRelativePath || file.name }));
}

const fileOf = (entry: FileSystemFileEntry): Promise<File> => new Promise((resolve, reject) => entry.file(resolve, reject));

const batchOf = (reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> =>
  new Promise((resolve, reject) => reader.readEntries(resolve, reject));

async function walk(entry: FileSystemEntry, out: DataFileRef[]): Promise<void> {
  if (entry.isFile) {
    out.push({ file: await fileOf(entry as FileSystemFileEntry), path: entry.fullPath.replace(/^\/+/, '') });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await batchOf(reader);
      if (batch.length === 0) break;
      for (const e of batch) await walk(e, out);
    }
  }
}

/**
 * The dropped files, directories walked. Call it synchronously inside the drop handler: the
 * entries must be taken before the event returns (the promise may settle later).
 */
export function filesFromDrop(dt: DataTransfer): Promise<DataFileRef[]> {
  const entries = Array.from(dt.items)
    .filter((i) => i.kind === 'file')
    .map((i) => i.webkitGetAsEntry())
    .filter((e): e is FileSystemEntry => e !== null);
  if (entries.length === 0) return Promise.resolve(filesFromInput(dt.files));
  return filesOfEntries(entries);
}

/** The files under `entries`, directories walked depth-first in the order the browser lists them. */
export async function filesOfEntries(entries: readonly FileSystemEntry[]): Promise<DataFileRef[]> {
  const out: DataFileRef[] = [];
  for (const e of entries) await walk(e, out);
  return out;
}
