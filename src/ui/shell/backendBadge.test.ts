import { describe, expect, it } from 'vitest';
import { backendBadgeText, threadsText, wasmThreadsWhy } from './backendBadge.ts';

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
    expect(wasmThreadsWhy(1, false)).toMatch(/^wasm runs on 1 thread: the page is not cross-origin isolated/);
    expect(wasmThreadsWhy(1, true)).toMatch(/^wasm runs on 1 thread: the page is cross-origin isolated, but/);
    expect(wasmThreadsWhy(8, true)).toMatch(/^wasm runs its kernels on 8 threads: the page is cross-origin isolated/);
  });
});
