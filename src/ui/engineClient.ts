// Main-thread handle on the engine worker: sends typed commands, resolves each with the event
// that answers it (matched by id). Holds no tensors and imports no tfjs.

import type {
  BackendName,
  EngineCommand,
  EngineEvent,
  ReadyEvent,
  SmokeResultEvent,
  TrainCommand,
  TrainDoneEvent,
  TrainProgressEvent,
} from '../worker/protocol.ts';

type Answer = Exclude<EngineEvent, { type: 'error' } | { type: 'trainProgress' }>;
type Pending = { resolve: (ev: Answer) => void; reject: (err: Error) => void };

// Distributes Omit over the union so each command keeps its own fields.
type CommandBody = EngineCommand extends infer C ? (C extends EngineCommand ? Omit<C, 'id'> : never) : never;

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly progress = new Map<number, (ev: TrainProgressEvent) => void>();
  private nextId = 1;

  /** `onFatal` hears failures not tied to a command (worker load errors, unmatched errors). */
  constructor(private readonly onFatal: (message: string) => void) {
    // This exact form lets Vite bundle the worker as a separate ES module chunk.
    this.worker = new Worker(new URL('../worker/engine.worker.ts', import.meta.url), {
      type: 'module',
      name: 'engine',
    });
    this.worker.addEventListener('message', (ev: MessageEvent<EngineEvent>) => this.receive(ev.data));
    this.worker.addEventListener('error', (ev: ErrorEvent) => {
      ev.preventDefault();
      this.failAll(`engine worker error: ${ev.message || 'failed to load'}`);
    });
  }

  async init(backends: BackendName[]): Promise<ReadyEvent> {
    const ev = await this.request({ type: 'init', backends });
    if (ev.type !== 'ready') throw new Error(`init answered with ${ev.type}`);
    return ev;
  }

  async smoke(): Promise<SmokeResultEvent> {
    const ev = await this.request({ type: 'smoke' });
    if (ev.type !== 'smokeResult') throw new Error(`smoke answered with ${ev.type}`);
    return ev;
  }

  /** Train on the built-in data; `onStep` hears every step before the promise resolves. */
  async train(opts: Omit<TrainCommand, 'type' | 'id'>, onStep: (ev: TrainProgressEvent) => void): Promise<TrainDoneEvent> {
    const id = this.nextId;
    this.progress.set(id, onStep);
    try {
      const ev = await this.request({ type: 'train', ...opts });
      if (ev.type !== 'trainDone') throw new Error(`train answered with ${ev.type}`);
      return ev;
    } finally {
      this.progress.delete(id);
    }
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll('engine terminated');
  }

  private request(body: CommandBody): Promise<Answer> {
    const id = this.nextId++;
    const cmd = { ...body, id } as EngineCommand;
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage(cmd);
    });
  }

  private receive(ev: EngineEvent): void {
    switch (ev.type) {
      case 'ready':
      case 'smokeResult':
      case 'trainDone':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'trainProgress':
        this.progress.get(ev.id)?.(ev);
        return;
      case 'error':
        if (ev.id === null || !this.pending.has(ev.id)) this.onFatal(ev.message);
        else this.settle(ev.id, (p) => p.reject(new Error(ev.message)));
        return;
      default: {
        const unreachable: never = ev;
        this.onFatal(`unknown engine event ${JSON.stringify(unreachable)}`);
      }
    }
  }

  private settle(id: number, f: (p: Pending) => void): void {
    const p = this.pending.get(id);
    if (p === undefined) return;
    this.pending.delete(id);
    f(p);
  }

  private failAll(message: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length === 0) this.onFatal(message);
    for (const p of waiting) p.reject(new Error(message));
  }
}
