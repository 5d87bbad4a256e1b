// The PyTorch peer, interleaved with the lab's own BN-only step on the Node cpu backend: a
// long-lived `python3 bench/torch/peer.py --serve` process takes one step on request, and each
// round runs one step of ours and one of PyTorch's on the same path (order alternating), so a
// shared machine's varying load hits both alike. Node only (spawns a process).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import type { PresetName, TrainRecipe } from '../src/core/train/recipe.ts';
import { Trainer } from '../src/core/train/trainer.ts';
import { benchBatch, benchPaths, median, timeStep } from './stepBench.ts';

const PEER_PY = fileURLToPath(new URL('./torch/peer.py', import.meta.url));
/** Debian's python3-torch lives in the system interpreter. */
export const PYTHON = process.env.BENCH_PYTHON ?? '/usr/bin/python3';

export interface PeerAB {
  peer: string;
  threads: number;
  steps: number;
  warmupRounds: number;
  oursStepMs: number[];
  peerStepMs: number[];
  oursMedianMs: number;
  peerMedianMs: number;
  /** ours / peer: above 1 = PyTorch is faster. */
  ratioOursToPeer: number;
}

/** `threads`: PyTorch's thread count (set_num_threads); undefined = the peer's default, the core count. */
export async function runTorchPeerAB(name: PresetName, recipe: TrainRecipe, steps: number, warmupRounds: number, threads?: number, warmUpCandidates = false): Promise<PeerAB> {
  const threadArgs = threads === undefined ? [] : ['--threads', String(threads)];
  const py = spawn(PYTHON, [PEER_PY, '--config', name, '--serve', ...threadArgs], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  py.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: py.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines.next();
    if (r.done) throw new Error(`${PYTHON} ${PEER_PY} exited: ${stderr.trim().split('\n').pop() ?? 'no output'}`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  const trainer = new Trainer({ ...recipe, mode: 'bn', sampler: 'uniform' });
  const { x, y } = benchBatch(recipe);
  try {
    const hello = await next();
    // As the step bench: every candidate once before round 0 (Trainer.warmUp, state unchanged).
    if (warmUpCandidates) await trainer.warmUp(x, y);
    const paths = benchPaths(trainer.supernet.resolved.layers, 'uniform', warmupRounds + steps, 2);
    const ours: number[] = [];
    const peer: number[] = [];
    for (let round = 0; round < paths.length; round++) {
      const arch = paths[round][0];
      const runOurs = async () => timeStep(trainer, x, y, paths[round], () => performance.now());
      const runPeer = async () => {
        py.stdin.write(`${JSON.stringify({ arch })}\n`);
        return (await next()).ms as number;
      };
      let o: number;
      let q: number;
      if (round % 2 === 0) {
        o = await runOurs();
        q = await runPeer();
      } else {
        q = await runPeer();
        o = await runOurs();
      }
      if (round >= warmupRounds) {
        ours.push(o);
        peer.push(q);
      }
    }
    const om = median(ours);
    const pm = median(peer);
    return { peer: String(hello.peer), threads: Number(hello.threads), steps, warmupRounds, oursStepMs: ours, peerStepMs: peer, oursMedianMs: om, peerMedianMs: pm, ratioOursToPeer: om / pm };
  } finally {
    py.stdin.end();
    py.kill();
    trainer.dispose();
    tf.dispose([x, y]);
  }
}
