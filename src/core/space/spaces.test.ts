import { describe, expect, it } from 'vitest';
import { DEFAULT_SPACE_ID, SPACES, getSpace } from './spaces';

describe('space tables', () => {
  it('has the three published spaces, micro-mbv2 and the demo, bnnas-mbv2 by default', () => {
    expect(Object.keys(SPACES).sort()).toEqual(['bnnas-mbv2', 'demo-mbv2', 'fairnas-mbv2', 'micro-mbv2', 'spos-shufflenetv2']);
    // Roles: the UI names the demo as such; only the published spaces are 'paper'.
    expect(Object.values(SPACES).filter((s) => s.role === 'paper').map((s) => s.id).sort()).toEqual(['bnnas-mbv2', 'fairnas-mbv2', 'spos-shufflenetv2']);
    expect(SPACES['demo-mbv2'].role).toBe('demo');
    for (const s of Object.values(SPACES)) expect(s.title.length).toBeGreaterThan(0);
    expect(DEFAULT_SPACE_ID).toBe('bnnas-mbv2');
    for (const [id, s] of Object.entries(SPACES)) expect(s.id).toBe(id);
  });

  it('getSpace finds a space or names the known ones', () => {
    expect(getSpace('spos-shufflenetv2').family).toBe('shufflenetv2');
    expect(() => getSpace('x')).toThrow('Unknown search space "x"; known: bnnas-mbv2, fairnas-mbv2, spos-shufflenetv2');
  });

  it('MobileNetV2 choice order is k3e3 k3e6 k5e3 k5e6 k7e3 k7e6', () => {
    for (const id of ['bnnas-mbv2', 'fairnas-mbv2'] as const) {
      expect(SPACES[id].candidates.map((c) => c.label)).toEqual(['k3e3', 'k3e6', 'k5e3', 'k5e6', 'k7e3', 'k7e6']);
      expect(SPACES[id].candidates).toEqual([
        { kind: 'ir', label: 'k3e3', kernel: 3, expand: 3 },
        { kind: 'ir', label: 'k3e6', kernel: 3, expand: 6 },
        { kind: 'ir', label: 'k5e3', kernel: 5, expand: 3 },
        { kind: 'ir', label: 'k5e6', kernel: 5, expand: 6 },
        { kind: 'ir', label: 'k7e3', kernel: 7, expand: 3 },
        { kind: 'ir', label: 'k7e6', kernel: 7, expand: 6 },
      ]);
    }
  });

  it('ShuffleNetV2 choice order is shuffle k3, k5, k7, xception', () => {
    expect(SPACES['spos-shufflenetv2'].candidates).toEqual([
      { kind: 'shuffle', label: 'shuffle-k3', kernel: 3 },
      { kind: 'shuffle', label: 'shuffle-k5', kernel: 5 },
      { kind: 'shuffle', label: 'shuffle-k7', kernel: 7 },
      { kind: 'xception', label: 'xception' },
    ]);
  });

  it('bnnas-mbv2 layout matches docs/method.md', () => {
    const s = SPACES['bnnas-mbv2'];
    expect(s.stem).toEqual({ cout: 40, kernel: 3, stride: 2, act: 'relu6' });
    expect(s.fixed).toEqual([{ kind: 'ir', kernel: 3, expand: 1, cout: 24, stride: 1, act: 'relu6' }]);
    expect(s.layers.map((l) => l.cout)).toEqual([32, 32, 32, 32, 56, 56, 56, 56, 112, 112, 112, 112, 128, 128, 128, 128, 256, 256, 256, 256, 432]);
    expect(s.layers.map((l) => l.stride)).toEqual([2, 1, 1, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(s.head).toEqual({ cout: 1728, act: 'relu6' });
    expect([s.dropout, s.classifierBias, s.defaultMaxMacs]).toEqual([0.2, true, 475e6]);
  });

  it('fairnas-mbv2 layout matches docs/method.md', () => {
    const s = SPACES['fairnas-mbv2'];
    expect(s.stem).toEqual({ cout: 32, kernel: 3, stride: 2, act: 'relu6' });
    expect(s.fixed).toEqual([{ kind: 'ir', kernel: 3, expand: 1, cout: 16, stride: 1, act: 'relu6' }]);
    expect(s.layers.map((l) => l.cout)).toEqual([32, 32, 40, 40, 40, 40, 80, 80, 80, 80, 96, 96, 96, 96, 192, 192, 192, 192, 320]);
    expect(s.layers.map((l) => l.stride)).toEqual([2, 1, 2, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1]);
    expect(s.head).toEqual({ cout: 1280, act: 'relu6' });
    expect([s.dropout, s.classifierBias]).toEqual([0.2, true]);
  });

  it('spos-shufflenetv2 layout matches docs/method.md', () => {
    const s = SPACES['spos-shufflenetv2'];
    expect(s.stem).toEqual({ cout: 16, kernel: 3, stride: 2, act: 'relu' });
    expect(s.fixed).toEqual([]);
    expect(s.layers.map((l) => l.cout)).toEqual([...Array(4).fill(64), ...Array(4).fill(160), ...Array(8).fill(320), ...Array(4).fill(640)]);
    expect(s.layers.map((l, i) => (l.stride === 2 ? i : -1)).filter((i) => i >= 0)).toEqual([0, 4, 8, 16]);
    expect(s.head).toEqual({ cout: 1024, act: 'relu' });
    expect([s.dropout, s.classifierBias, s.defaultMaxMacs]).toEqual([0.1, false, 330e6]);
  });
});
