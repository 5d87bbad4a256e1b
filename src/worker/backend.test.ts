import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendEngine } from './backend.ts';
import type { BackendName } from './protocol/index.ts';

/** A fake tfjs engine: `works` backends initialise, `broken` ones answer false, others are unregistered. */
function fakeEngine(opts: { works: BackendName[]; broken?: BackendName[]; throws?: BackendName[] }) {
  const calls: string[] = [];
  let active = 'none';
  const registered = new Set<string>([...opts.works, ...(opts.broken ?? []), ...(opts.throws ?? [])]);
  const engine: BackendEngine = {
    findBackendFactory: (name) => (registered.has(name) ? () => null : null),
    setBackend: async (name) => {
      calls.push(`set:${name}`);
      if (opts.throws?.includes(name as BackendName)) throw new Error(`${name} exploded`);
      if (!opts.works.includes(name as BackendName)) return false;
      active = name;
      return true;
    },
    ready: async () => {
      calls.push('ready');
    },
    getBackend: () => active,
  };
  return { engine, calls };
}

describe('selectBackend', () => {
  it('takes the first backend when it works, with no fallbacks', async () => {
    const { engine, calls } = fakeEngine({ works: ['webgpu', 'webgl', 'cpu'] });
    expect(await selectBackend(['webgpu', 'webgl', 'cpu'], engine)).toEqual({ backend: 'webgpu', fallbacks: [] });
    expect(calls).toEqual(['set:webgpu', 'ready']);
  });

  it('checks the boolean from setBackend and falls back in order, recording each reason', async () => {
    const { engine, calls } = fakeEngine({ works: ['cpu'], broken: ['webgpu'] });
    const choice = await selectBackend(['webgpu', 'webgl', 'cpu'], engine);
    expect(choice.backend).toBe('cpu');
    expect(choice.fallbacks.map((f) => f.backend)).toEqual(['webgpu', 'webgl']);
    expect(choice.fallbacks[0].reason).toMatch(/returned false/);
    expect(choice.fallbacks[1].reason).toMatch(/not registered/);
    expect(calls).toEqual(['set:webgpu', 'set:cpu', 'ready']);
  });

  it('uses the probe reason and does not call setBackend for a probed-out backend', async () => {
    const { engine, calls } = fakeEngine({ works: ['webgpu', 'cpu'] });
    const probe = async (name: BackendName) => (name === 'webgpu' ? 'no adapter' : null);
    const choice = await selectBackend(['webgpu', 'cpu'], engine, probe);
    expect(choice).toEqual({ backend: 'cpu', fallbacks: [{ backend: 'webgpu', reason: 'no adapter' }] });
    expect(calls).toEqual(['set:cpu', 'ready']);
  });

  it('turns a throwing initialisation into a fallback reason', async () => {
    const { engine } = fakeEngine({ works: ['cpu'], throws: ['webgl'] });
    const choice = await selectBackend(['webgl', 'cpu'], engine);
    expect(choice.backend).toBe('cpu');
    expect(choice.fallbacks[0].reason).toMatch(/webgl exploded/);
  });

  it('throws with every reason when nothing works, and on an empty order', async () => {
    const { engine } = fakeEngine({ works: [], broken: ['webgl'] });
    await expect(selectBackend(['webgpu', 'webgl'], engine)).rejects.toThrow(/webgpu: not registered.*webgl: .*returned false/);
    await expect(selectBackend([], engine)).rejects.toThrow(/empty/);
  });
});
