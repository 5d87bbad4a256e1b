// Main-thread handle on the engine worker: sends typed commands, resolves each with the event
// that answers it (matched by id), and hands the training stream (progress, indicator tables,
// state changes the worker made by itself) to `onStream`. Holds no tensors and imports no tfjs.

import type {
  BackendName,
  BuiltEvent,
  EngineCommand,
  EngineEvent,
  IndicatorsEvent,
  PresetName,
  ReadyEvent,
  SmokeResultEvent,
  TrainControlCommand,
  TrainProgressEvent,
  TrainSettings,
  TrainStateEvent,
} from '../worker/protocol.ts';

/** Events not tied to a command. */
export type StreamEvent = TrainProgressEvent | IndicatorsEvent | TrainStateEvent;

type Answer = ReadyEvent | SmokeResultEvent | BuiltEvent | TrainStateEvent;
type Pending = { resolve: (ev: Answer) => void; reject: (err: Error) => void };

// Distributes Omit over the union so each command keeps its own fields.
type CommandBody = EngineCommand extends infer C ? (C extends EngineCommand ? Omit<C, 'id'> : never) : never;

export interface EngineListeners {
  /** Failures not tied to a command (worker load errors, errors of the training loop). */
  onFatal: (message: string) => void;
  onStream: (ev: StreamEvent) => void;
}

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly listeners: EngineListeners) {
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
    return expectType(await this.request({ type: 'init', backends }), 'ready');
  }

  async smoke(): Promise<SmokeResultEvent> {
    return expectType(await this.request({ type: 'smoke' }), 'smokeResult');
  }

  /** A fresh supernet and trainer for these settings on the built-in synthetic data. */
  async build(preset: PresetName, settings: TrainSettings): Promise<BuiltEvent> {
    return expectType(await this.request({ type: 'build', preset, settings }), 'built');
  }

  /** Start / pause / resume / stop; resolves once the worker applied it (pause: after the step in flight). */
  async control(type: TrainControlCommand['type']): Promise<TrainStateEvent> {
    return expectType(await this.request({ type }), 'trainState');
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
      case 'built':
        this.settle(ev.id, (p) => p.resolve(ev));
        return;
      case 'trainState':
        if (ev.id !== null && this.pending.has(ev.id)) this.settle(ev.id, (p) => p.resolve(ev));
        else this.listeners.onStream(ev);
        return;
      case 'trainProgress':
      case 'indicators':
        this.listeners.onStream(ev);
        return;
      case 'error':
        if (ev.id === null || !this.pending.has(ev.id)) this.listeners.onFatal(ev.message);
        else this.settle(ev.id, (p) => p.reject(new Error(ev.message)));
        return;
      default: {
        const unreachable: never = ev;
        this.listeners.onFatal(`unknown engine event ${JSON.stringify(unreachable)}`);
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
    if (waiting.length === 0) this.listeners.onFatal(message);
    for (const p of waiting) p.reject(new Error(message));
  }
}

function expectType<T extends Answer['type']>(ev: Answer, type: T): Extract<Answer, { type: T }> {
  if (ev.type !== type) throw new Error(`expected ${type}, the engine answered ${ev.type}`);
  return ev as Extract<Answer, { type: T }>;
}
