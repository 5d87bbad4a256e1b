import { describe, expect, it } from 'vitest';
import { backendOrderFromQuery, fusedBnFromQuery } from './backendOrder.ts';

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

describe('fusedBnFromQuery', () => {
  it('reads ?fusedBn=on|off, absent = undefined (the default), anything else is an error naming it', () => {
    expect(fusedBnFromQuery('')).toBeUndefined();
    expect(fusedBnFromQuery('?fusedBn=off')).toBe('off');
    expect(fusedBnFromQuery('?preset=tiny&fusedBn=on')).toBe('on');
    expect(() => fusedBnFromQuery('?fusedBn=no')).toThrow(/fusedBn.*"no"/);
  });
});
