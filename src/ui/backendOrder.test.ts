import { describe, expect, it } from 'vitest';
import { backendOrderFromQuery, fusedBnFromQuery } from './backendOrder.ts';

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

describe('fusedBnFromQuery', () => {
  it('reads ?fusedBn=on|off, absent = undefined (the default), anything else is an error naming it', () => {
    expect(fusedBnFromQuery('')).toBeUndefined();
    expect(fusedBnFromQuery('?fusedBn=off')).toBe('off');
    expect(fusedBnFromQuery('?preset=tiny&fusedBn=on')).toBe('on');
    expect(() => fusedBnFromQuery('?fusedBn=no')).toThrow(/fusedBn.*"no"/);
  });
});
