// The decode cache's store in the Origin Private File System (navigator.storage.getDirectory):
// one file per image under `isonas-decode-cache/<side>/`, named by the bytes' key, holding
// width and height (uint32 LE) then side x side RGBA. The origin's storage quota bounds it; the
// browser may evict it; nothing leaves the page.
import type { CachedImage, PixelStore } from './decodeCache.ts';

const ROOT = 'isonas-decode-cache';

export class OpfsPixelStore implements PixelStore {
  private dir: Promise<FileSystemDirectoryHandle> | null = null;

  constructor(private readonly side: number) {}

  /** True where this worker can reach the Origin Private File System. */
  static available(): boolean {
    return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
  }

  private folder(): Promise<FileSystemDirectoryHandle> {
    this.dir ??= navigator.storage
      .getDirectory()
      .then((root) => root.getDirectoryHandle(ROOT, { create: true }))
      .then((d) => d.getDirectoryHandle(String(this.side), { create: true }));
    return this.dir;
  }

  async get(key: string): Promise<CachedImage | null> {
    let handle: FileSystemFileHandle;
    try {
      handle = await (await this.folder()).getFileHandle(key);
    } catch {
      return null; // NotFoundError: not cached yet
    }
    const buf = await (await handle.getFile()).arrayBuffer();
    const n = this.side * this.side * 4;
    if (buf.byteLength !== 8 + n) return null; // a torn write: decode again
    const head = new DataView(buf, 0, 8);
    return {
      width: head.getUint32(0, true),
      height: head.getUint32(4, true),
      pixels: { width: this.side, height: this.side, data: new Uint8ClampedArray(buf, 8, n) },
    };
  }

  async put(key: string, img: CachedImage): Promise<void> {
    const out = new Uint8Array(8 + img.pixels.data.length);
    const head = new DataView(out.buffer, 0, 8);
    head.setUint32(0, img.width, true);
    head.setUint32(4, img.height, true);
    out.set(img.pixels.data, 8);
    const handle = await (await this.folder()).getFileHandle(key, { create: true });
    const w = await handle.createWritable();
    await w.write(out);
    await w.close();
  }
}
