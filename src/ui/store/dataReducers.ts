// Pure updates of the Data panel's values from the worker's data stream (unit-tested without a worker).
import type { DataIssueEvent, DataLoadedEvent, DataProgressEvent, DataSummary, DataThumbnail } from '../../worker/protocol/index.ts';

/** A reported bad input, as listed in the panel. */
export interface DataIssueView {
  file: string;
  code: string;
  key?: string;
  offset?: number;
  reason: string;
}

export type DataProgress = Omit<DataProgressEvent, 'type' | 'id'>;

export interface DataValues {
  /** The data the next build trains on; null = the built-in synthetic data. */
  dataSelected: DataSummary | null;
  /** A load is running. */
  dataLoading: boolean;
  /** The running (or last) load's progress. */
  dataProgress: DataProgress | null;
  /** Issues of the last load and of training on its data, deduplicated, oldest first (at most MAX_ISSUES_SHOWN). */
  dataIssues: DataIssueView[];
  /** Every issue counted, including those beyond the list. */
  dataIssueCount: number;
  /** Decoded samples of the last load. */
  dataThumbnails: DataThumbnail[];
  /** Why the last load selected nothing (no usable sample, one class, cancelled), else null. */
  dataNote: string | null;
  /** Loads ask for the OPFS decode cache while training (the panel's checkbox). */
  dataCache: boolean;
  /** Held-out fraction the next load asks for when no file is named as validation (the panel's input; 0 = none). */
  dataValFraction: number;
}

export const MAX_ISSUES_SHOWN = 200;

export const DATA_DEFAULT: DataValues = {
  dataSelected: null,
  dataLoading: false,
  dataProgress: null,
  dataIssues: [],
  dataIssueCount: 0,
  dataThumbnails: [],
  dataNote: null,
  dataCache: false,
  dataValFraction: 0.01,
};

/** A new load starts: the previous load's values go (the selection stays until this one ends). */
export function withLoadStarted(): Partial<DataValues> {
  return { dataLoading: true, dataProgress: null, dataIssues: [], dataIssueCount: 0, dataThumbnails: [], dataNote: null };
}

/** Same file, sample (key, else byte offset) and code: the same issue. */
const issueKey = (i: DataIssueView): string => [i.file, i.key ?? `@${i.offset ?? ''}`, i.code].join('\u0000');

/**
 * Adds an issue unless the same file / sample / code is listed already (the training pipeline
 * reports again what the load found).
 */
export function withIssue(s: DataValues, ev: DataIssueEvent): Partial<DataValues> {
  const view: DataIssueView = { file: ev.file, code: ev.code, reason: ev.reason };
  if (ev.key !== undefined) view.key = ev.key;
  if (ev.offset !== undefined) view.offset = ev.offset;
  const k = issueKey(view);
  if (s.dataIssues.some((i) => issueKey(i) === k)) return {};
  return {
    dataIssueCount: s.dataIssueCount + 1,
    dataIssues: s.dataIssues.length < MAX_ISSUES_SHOWN ? [...s.dataIssues, view] : s.dataIssues,
  };
}

export function withProgress(ev: DataProgressEvent): Partial<DataValues> {
  const { type: _t, id: _i, ...progress } = ev;
  return { dataProgress: progress };
}

export function withLoaded(ev: DataLoadedEvent): Partial<DataValues> {
  if (ev.summary === null) return { dataLoading: false, dataNote: ev.reason ?? 'nothing was selected' };
  return { dataLoading: false, dataSelected: ev.summary, dataNote: null };
}

/** The `count` largest classes of a per-class count vector, largest first (ties: lower index first). */
export function topClasses(perClass: ArrayLike<number>, count: number): { classIndex: number; n: number }[] {
  const all: { classIndex: number; n: number }[] = [];
  for (let c = 0; c < perClass.length; c++) if (perClass[c] > 0) all.push({ classIndex: c, n: perClass[c] });
  all.sort((a, b) => b.n - a.n || a.classIndex - b.classIndex);
  return all.slice(0, count);
}
