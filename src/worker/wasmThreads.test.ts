// configureWasmThreads: the threaded build only when cross-origin isolated, and then only blob:
// worker URLs (tfjs's pthread workers) are sent to the same-origin pthread script. The emitted
// script itself (scripts/wasmThreads.ts) imports the factory from this origin and no Blob.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm'; // registers the WASM_* flags
import { afterEach, describe, expect, it } from 'vitest';
import { wasmThreadScripts } from '../../scripts/wasmThreads.ts';
import { configureWasmThreads } from './wasmThreads.ts';

/** A stand-in Worker constructor that records the URL it was given. */
function fakeScope(isolated: boolean) {
  const made: string[] = [];
  class FakeWorker {
    constructor(url: string | URL) {
      made.push(String(url));
    }
  }
  const scope = { crossOriginIsolated: isolated, Worker: FakeWorker as unknown as new (url: string | URL) => Worker, location: { href: 'https://lab.example/app/assets/engine.worker.js' } };
  return { scope, made, original: scope.Worker };
}

afterEach(() => tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false));

describe('configureWasmThreads', () => {
  it('not isolated: single-threaded build, Worker untouched', () => {
    const { scope, original } = fakeScope(false);
    expect(configureWasmThreads(scope)).toBe(false);
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(scope.Worker).toBe(original);
  });

  it('isolated: threaded build; blob: workers go to the same-origin pthread script, others unchanged', () => {
    const { scope, made } = fakeScope(true);
    expect(configureWasmThreads(scope, '/app/')).toBe(true);
    expect(tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(true);
    new scope.Worker(URL.createObjectURL(new Blob(['x'], { type: 'application/javascript' })));
    new scope.Worker('https://lab.example/app/other.js');
    expect(made).toEqual(['https://lab.example/app/tfjs-wasm/pthread.js', 'https://lab.example/app/other.js']);
  });
});

describe('wasmThreadScripts', () => {
  it('pthread.js imports the factory from this origin and never builds a blob: URL', () => {
    const s = wasmThreadScripts();
    const pthread = s['tfjs-wasm/pthread.js'];
    expect(pthread).toContain("importScripts('threaded-simd.js');");
    expect(pthread).not.toContain('createObjectURL');
    expect(pthread).toContain('WasmBackendModuleThreadedSimd(Module)');
    expect(s['tfjs-wasm/threaded-simd.js']).toMatch(/^\s*var WasmBackendModuleThreadedSimd = /);
  });
});
