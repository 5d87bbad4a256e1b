import { describe, expect, it } from 'vitest';
import { defaultWatchLayers, formatWatchList, parseWatchList, resolveWatchList, watchListProblem } from './watchList.ts';

// A 4-layer supernet: layers 0 and 2 start a stage (no identity), 1 and 3 offer it.
const CHOICES = [[0, 1, 2], [-1, 0, 1, 2], [0, 1, 2], [-1, 0, 1, 2]];

describe('watch list text', () => {
  it('parses the documented forms', () => {
    expect(parseWatchList('')).toBe('default');
    expect(parseWatchList(' default ')).toBe('default');
    expect(parseWatchList('none')).toEqual([]);
    expect(parseWatchList('3,10,17')).toEqual([{ layers: [3, 10, 17], choices: null }]);
    expect(parseWatchList('3:0,1,-1;10')).toEqual([
      { layers: [3], choices: [0, 1, -1] },
      { layers: [10], choices: null },
    ]);
    expect(parseWatchList('10,3,3 : -1')).toEqual([{ layers: [3, 10], choices: [-1] }]);
  });

  it('round-trips through its canonical text', () => {
    for (const t of ['default', 'none', '3,10,17', '3:0,1,-1;10', '0;1:2;3:-1,0']) expect(formatWatchList(parseWatchList(t))).toBe(t);
  });

  it('refuses bad text with a message naming the list and the bad part', () => {
    expect(() => parseWatchList('3;;4')).toThrow('watch list "3;;4": empty group');
    expect(() => parseWatchList('a')).toThrow('layer "a" is not an integer');
    expect(() => parseWatchList('-1')).toThrow('layer -1 must be an integer >= 0');
    expect(() => parseWatchList('2:-2')).toThrow('candidate -2 must be an integer >= -1');
    expect(() => parseWatchList('2:')).toThrow('candidate "" is not an integer');
    expect(() => parseWatchList('1.5')).toThrow('is not an integer');
  });
});

describe('default and resolved watch lists', () => {
  it('spreads three layers over the depth, fewer for shallow spaces', () => {
    expect(defaultWatchLayers(21)).toEqual([3, 10, 17]);
    expect(defaultWatchLayers(6)).toEqual([1, 3, 5]);
    expect(defaultWatchLayers(3)).toEqual([0, 1, 2]);
    expect(defaultWatchLayers(2)).toEqual([0, 1]);
    expect(defaultWatchLayers(1)).toEqual([0]);
    expect(defaultWatchLayers(0)).toEqual([]);
  });

  it('resolves to modules in layer then candidate order, identity included, each once', () => {
    expect(resolveWatchList('default', CHOICES).map((k) => `${k.layer}:${k.choice}`)).toEqual(['0:0', '0:1', '0:2', '2:0', '2:1', '2:2', '3:-1', '3:0', '3:1', '3:2']);
    expect(resolveWatchList(parseWatchList('3:2,-1;1:0;3:2'), CHOICES)).toEqual([
      { layer: 1, choice: 0 },
      { layer: 3, choice: -1 },
      { layer: 3, choice: 2 },
    ]);
    expect(resolveWatchList([], CHOICES)).toEqual([]);
  });

  it('names a layer out of range or a candidate the layer lacks', () => {
    expect(() => resolveWatchList(parseWatchList('4'), CHOICES)).toThrow('watch list "4": layer 4 is not in 0..3');
    expect(() => resolveWatchList(parseWatchList('0:-1'), CHOICES)).toThrow('layer 0 has no candidate -1 (candidates 0,1,2)');
    expect(watchListProblem('0:-1', CHOICES)).toContain('layer 0 has no candidate -1');
    expect(watchListProblem('0:-1')).toBeNull();
    expect(watchListProblem('x')).toContain('is not an integer');
  });
});
