// The live run's watched spectra on the main thread: frames streamed by the worker (`watchSpectra`)
// appended to one growing series, replaced by the stored series when a run is resumed
// (`watchHistory`; frames that streamed before it arrived are kept when they come after it), and
// forgotten when a new session starts. The watch slice publishes `snapshot()` to the charts at most
// once a frame. Pure (no DOM); unit-tested in watchStream.test.ts.
import { WatchBuffer, type WatchFrame, type WatchSeries } from '../../core/isometry/watchSeries.ts';

export class WatchStream {
  private buffer: WatchBuffer | null = null;
  /** Frames received since the last reset (re-applied over a history that arrives after them). */
  private live: WatchFrame[] = [];
  /** Why the last frame could not be kept (null when it was). */
  problem: string | null = null;

  /** A new session: nothing watched yet. */
  reset(): void {
    this.buffer = null;
    this.live = [];
    this.problem = null;
  }

  /** Appends a streamed frame; a frame computed differently from the series starts a new one. */
  frame(f: WatchFrame): void {
    this.live.push(f);
    try {
      if (this.buffer === null) this.buffer = WatchBuffer.empty(f.analysis);
      this.buffer.append(f);
      this.problem = null;
    } catch (e) {
      this.problem = (e as Error).message;
      this.buffer = WatchBuffer.empty(f.analysis);
      this.live = [f];
      this.buffer.append(f);
    }
  }

  /** A resumed run's stored series (null: none); the live frames of later steps stay on top of it. */
  history(series: WatchSeries | null): void {
    const later = this.live;
    this.buffer = series === null ? null : new WatchBuffer(series);
    this.live = [];
    const lastStored = series === null || series.step.length === 0 ? -1 : series.step[series.step.length - 1];
    for (const f of later) if (f.step > lastStored) this.frame(f);
  }

  get entries(): number {
    return this.buffer?.entries ?? 0;
  }

  /** An exact-length copy of the series so far (null before the first frame). */
  snapshot(): WatchSeries | null {
    return this.buffer === null ? null : this.buffer.series();
  }
}
