import { describe, expect, it } from 'vitest';
import { backendBadgeText, expectedWasmThreads, threadsText, wasmThreadsWhy } from './backendBadge.ts';

describe('threadsText', () => {
  it('says thread for one and threads otherwise', () => {
    expect(threadsText(1)).toBe('1 thread');
    expect(threadsText(8)).toBe('8 threads');
    expect(threadsText(0)).toBe('0 threads');
    expect(threadsText(1024)).toBe('1,024 threads');
  });
});

describe('backendBadgeText', () => {
  const done = { status: 'done' as const, adapter: null };
  it('shows the wasm thread count', () => {
    expect(backendBadgeText({ ...done, backend: 'wasm', wasmThreads: 8 })).toBe('wasm · 8 threads');
    expect(backendBadgeText({ ...done, backend: 'wasm', wasmThreads: 1 })).toBe('wasm · 1 thread');
  });
  it('shows the adapter for webgpu and the bare name otherwise', () => {
    expect(backendBadgeText({ ...done, backend: 'webgpu', adapter: 'nvidia ampere' })).toBe('webgpu · nvidia ampere');
    expect(backendBadgeText({ ...done, backend: 'wasm' })).toBe('wasm');
    expect(backendBadgeText({ ...done, backend: 'cpu' })).toBe('cpu');
    // a thread count only belongs to wasm
    expect(backendBadgeText({ ...done, backend: 'webgl', wasmThreads: 4 })).toBe('webgl');
  });
  it('says when the engine is starting or failed', () => {
    expect(backendBadgeText({ status: 'starting', backend: null, adapter: null })).toBe('engine starting…');
    expect(backendBadgeText({ status: 'failed', backend: 'wasm', adapter: null, wasmThreads: 8 })).toBe('engine failed');
  });
});

describe('wasmThreadsWhy', () => {
  it('names cross-origin isolation as the reason for one thread', () => {
    expect(wasmThreadsWhy(1, false, 16)).toBe(
      'wasm runs on 1 thread: the page is not cross-origin isolated (it is served without the Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy headers), so the single-threaded build is used.',
    );
  });
  it('names the core count when isolated', () => {
    expect(wasmThreadsWhy(1, true, 2)).toBe("wasm runs on 1 thread: the page is cross-origin isolated, so the threaded build is used, with half of this device's 2 logical cores (1 to 8 threads).");
    expect(wasmThreadsWhy(8, true, 16)).toBe("wasm runs on 8 threads: the page is cross-origin isolated, so the threaded build is used, with half of this device's 16 logical cores (1 to 8 threads).");
    expect(wasmThreadsWhy(4, true)).toMatch(/with half of this device's logical cores \(1 to 8 threads\)\.$/);
  });
});

describe('expectedWasmThreads', () => {
  it('is half the logical cores, from 1 to 8', () => {
    expect([1, 2, 3, 4, 7, 8, 16, 17, 64].map(expectedWasmThreads)).toEqual([1, 1, 1, 2, 3, 4, 8, 8, 8]);
  });
});
