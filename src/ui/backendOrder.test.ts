import { describe, expect, it } from 'vitest';
import { backendOrderFromQuery } from './backendOrder.ts';

describe('backendOrderFromQuery', () => {
  it('defaults to webgpu -> webgl -> wasm -> cpu', () => {
    expect(backendOrderFromQuery('')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
    expect(backendOrderFromQuery('?backends=')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });
  it('reads ?backends= in the given order', () => {
    expect(backendOrderFromQuery('?backends=webgl,cpu')).toEqual(['webgl', 'cpu']);
    expect(backendOrderFromQuery('?x=1&backends=cpu')).toEqual(['cpu']);
    expect(backendOrderFromQuery('?backends=wasm')).toEqual(['wasm']);
  });
  it('rejects unknown names', () => {
    expect(() => backendOrderFromQuery('?backends=wasm,tpu,cpu')).toThrow(/tpu/);
  });
});
