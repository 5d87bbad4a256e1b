import { describe, expect, it } from 'vitest';
import { backendOrderFromQuery } from './backendOrder.ts';

describe('backendOrderFromQuery', () => {
  it('defaults to webgpu -> webgl -> cpu', () => {
    expect(backendOrderFromQuery('')).toEqual(['webgpu', 'webgl', 'cpu']);
    expect(backendOrderFromQuery('?backends=')).toEqual(['webgpu', 'webgl', 'cpu']);
  });
  it('reads ?backends= in the given order', () => {
    expect(backendOrderFromQuery('?backends=webgl,cpu')).toEqual(['webgl', 'cpu']);
    expect(backendOrderFromQuery('?x=1&backends=cpu')).toEqual(['cpu']);
  });
  it('rejects unknown names', () => {
    expect(() => backendOrderFromQuery('?backends=wasm,cpu')).toThrow(/wasm/);
  });
});
