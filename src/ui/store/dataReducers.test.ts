import { describe, expect, it } from 'vitest';
import type { DataIssueEvent } from '../../worker/protocol/index.ts';
import { DATA_DEFAULT, MAX_ISSUES_SHOWN, topClasses, withIssue, withLoaded, withLoadStarted, type DataValues } from './dataReducers.ts';

const issue = (key: string | undefined, code = 'undecodable-image', id: number | null = 1, offset?: number): DataIssueEvent => ({
  type: 'dataIssue', id, file: 'a.tar', code, reason: `a.tar, sample "${key}": broken`, ...(key === undefined ? {} : { key }), ...(offset === undefined ? {} : { offset }),
});

const apply = (s: DataValues, p: Partial<DataValues>): DataValues => ({ ...s, ...p });

describe('data reducers', () => {
  it('lists each issue once, whether the load or the training found it', () => {
    let s = apply(DATA_DEFAULT, withLoadStarted());
    s = apply(s, withIssue(s, issue('k1')));
    s = apply(s, withIssue(s, issue('k1', 'undecodable-image', null))); // the pipeline reports it again
    s = apply(s, withIssue(s, issue('k1', 'label-invalid')));
    s = apply(s, withIssue(s, issue(undefined, 'truncated', 1, 512)));
    s = apply(s, withIssue(s, issue(undefined, 'truncated', 1, 1024)));
    expect(s.dataIssues.map((i) => [i.key, i.offset, i.code])).toEqual([
      ['k1', undefined, 'undecodable-image'],
      ['k1', undefined, 'label-invalid'],
      [undefined, 512, 'truncated'],
      [undefined, 1024, 'truncated'],
    ]);
    expect(s.dataIssueCount).toBe(4);
  });

  it('keeps counting beyond the listed issues', () => {
    let s = DATA_DEFAULT;
    for (let i = 0; i < MAX_ISSUES_SHOWN + 5; i++) s = apply(s, withIssue(s, issue(`k${i}`)));
    expect(s.dataIssues).toHaveLength(MAX_ISSUES_SHOWN);
    expect(s.dataIssueCount).toBe(MAX_ISSUES_SHOWN + 5);
  });

  it('selects a loaded summary, and keeps the selection when a load selects nothing', () => {
    const summary = { name: '1 file (a.tar)', files: 1, bytes: 10, samples: 4, skipped: 1, issues: 1, classIndices: [0, 5], classCounts: [3, 1], classNames: ['x', 'y'], synsetLabels: false, decoded: 4, decodePerSec: 2, split: { kind: 'fraction' as const, fraction: 0.01 } };
    let s = apply(DATA_DEFAULT, withLoaded({ type: 'dataLoaded', id: 1, summary, cancelled: false }));
    expect(s.dataSelected).toBe(summary);
    s = apply(s, withLoadStarted());
    expect(s.dataLoading).toBe(true);
    s = apply(s, withLoaded({ type: 'dataLoaded', id: 2, summary: null, cancelled: false, reason: 'no usable sample' }));
    expect(s.dataSelected).toBe(summary);
    expect(s.dataNote).toBe('no usable sample');
    expect(s.dataLoading).toBe(false);
  });

  it('ranks classes by count', () => {
    const per = new Uint32Array(10);
    per[7] = 3;
    per[2] = 3;
    per[4] = 9;
    expect(topClasses(per, 2)).toEqual([{ classIndex: 4, n: 9 }, { classIndex: 2, n: 3 }]);
    expect(topClasses(per, 10)).toHaveLength(3);
  });
});
