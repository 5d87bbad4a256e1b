import { describe, expect, it } from 'vitest';
import { CATEGORICAL, categorical, inkOn, luminance, viridis, VIRIDIS_STOPS } from './palette.ts';

const rgb = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));

describe('viridis', () => {
  it('hits its stops exactly and clamps outside [0, 1]', () => {
    VIRIDIS_STOPS.forEach((s, i) => expect(rgb(viridis(i / (VIRIDIS_STOPS.length - 1)))).toEqual([...s]));
    expect(viridis(-3)).toBe(viridis(0));
    expect(viridis(7)).toBe(viridis(1));
    expect(viridis(Number.NaN)).toBe(viridis(0));
  });

  it('interpolates linearly between stops', () => {
    const t = 0.5 / (VIRIDIS_STOPS.length - 1); // half way between the first two stops
    const want = VIRIDIS_STOPS[0].map((a, k) => Math.round((a + VIRIDIS_STOPS[1][k]) / 2));
    rgb(viridis(t)).forEach((v, k) => expect(Math.abs(v - want[k])).toBeLessThanOrEqual(1));
  });

  it('is perceptually ordered: luminance rises monotonically from 0 to 1', () => {
    let prev = -1;
    for (let i = 0; i <= 100; i++) {
      const l = luminance(viridis(i / 100));
      expect(l).toBeGreaterThan(prev);
      prev = l;
    }
  });
});

describe('categorical palette', () => {
  it('has eight distinct colours and wraps around', () => {
    expect(new Set(CATEGORICAL).size).toBe(8);
    expect(categorical(0)).toBe(CATEGORICAL[0]);
    expect(categorical(8)).toBe(CATEGORICAL[0]);
    expect(categorical(-1)).toBe(CATEGORICAL[7]);
  });

  it('picks readable ink', () => {
    expect(inkOn('#ffffff')).toBe('#000000');
    expect(inkOn('#000000')).toBe('#ffffff');
    expect(inkOn(viridis(0))).toBe('#ffffff');
    expect(inkOn(viridis(1))).toBe('#000000');
  });
});
