// Main-thread handle on the engine worker, derived from the protocol's `Commands` map: one generic
// `call(type, body, onStream?)` sends a command, resolves with the event that answers it (matched
// by id; an `error` with its id rejects), and hands the events it streams to `onStream`. Events
// not tied to a command go to the one listener of their channel (`listen`). Holds no tensors and
// imports no tfjs.

import {
  BROADCAST_OF,
  COMMAND_EVENTS,
  type AnswerOf,
  type BroadcastChannel,
  type Broadcasts,
  type CommandBody,
  type CommandType,
  type EngineCommand,
  type EngineEvent,
  type StreamOf,
} from '../worker/protocol/index.ts';

interface Pending {
  type: CommandType;
  resolve: (ev: EngineEvent) => void;
  reject: (err: Error) => void;
  onStream?: (ev: EngineEvent) => void;
}

export interface EngineListeners {
  /** Failures not tied to a command (worker load errors, errors of the training loop). */
  onFatal: (message: string) => void;
}

export class EngineClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private readonly channels: { [C in BroadcastChannel]?: (ev: Broadcasts[C]) => void } = {};
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

  /**
   * Sends command `type` with `body`; resolves with its answer (protocol `Commands[type].answer`),
   * rejects with the worker's error. `onStream` gets the events it streams meanwhile.
   */
  call<K extends CommandType>(type: K, body: CommandBody<K>, onStream?: (ev: StreamOf<K>) => void): Promise<AnswerOf<K>> {
    const id = this.nextId++;
    const cmd = { ...body, type, id } as unknown as EngineCommand;
    return new Promise<AnswerOf<K>>((resolve, reject) => {
      this.pending.set(id, { type, resolve: resolve as (ev: EngineEvent) => void, reject, onStream: onStream as ((ev: EngineEvent) => void) | undefined });
      this.worker.postMessage(cmd);
    });
  }

  /** The one listener of a channel of events not tied to a command (replaces the previous one). */
  listen<C extends BroadcastChannel>(channel: C, handler: (ev: Broadcasts[C]) => void): void {
    (this.channels as Record<C, (ev: Broadcasts[C]) => void>)[channel] = handler;
  }

  terminate(): void {
    this.worker.terminate();
    this.failAll('engine terminated');
  }

  private receive(ev: EngineEvent): void {
    const id = 'id' in ev ? ev.id : null;
    const p = id === null ? undefined : this.pending.get(id);
    if (ev.type === 'error') {
      if (p === undefined || id === null) this.listeners.onFatal(ev.message);
      else {
        this.pending.delete(id);
        p.reject(new Error(ev.message));
      }
      return;
    }
    const channel = BROADCAST_OF[ev.type];
    if (p !== undefined && id !== null) {
      const expected = COMMAND_EVENTS[p.type];
      if (expected.answer === ev.type) {
        this.pending.delete(id);
        p.resolve(ev);
        // a device loss and the watch settings also concern their channel when they answer a command
        if (ev.type === 'deviceLost' || ev.type === 'watchConfig') this.broadcast(channel, ev);
        return;
      }
      if ((expected.stream as readonly string[]).includes(ev.type)) {
        p.onStream?.(ev);
        return;
      }
    }
    if (channel === undefined) {
      if (p === undefined || id === null) return; // an answer or stream event of a command no longer waited for
      this.pending.delete(id);
      p.reject(new Error(`expected ${COMMAND_EVENTS[p.type].answer}, the engine answered ${ev.type}`));
      return;
    }
    // a resume and a data issue with an id belong to their command alone (late ones are dropped)
    if (id !== null && (ev.type === 'runResumed' || ev.type === 'dataIssue')) return;
    this.broadcast(channel, ev);
  }

  private broadcast(channel: BroadcastChannel | undefined, ev: EngineEvent): void {
    if (channel === undefined) return;
    (this.channels[channel] as ((ev: EngineEvent) => void) | undefined)?.(ev);
  }

  private failAll(message: string): void {
    const waiting = [...this.pending.values()];
    this.pending.clear();
    if (waiting.length === 0) this.listeners.onFatal(message);
    for (const p of waiting) p.reject(new Error(message));
  }
}
