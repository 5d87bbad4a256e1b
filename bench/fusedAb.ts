// A/B of fused BN training (src/core/model/fused/) on the BN-only one-path step, interleaved by
// leverBench.ts's runInterleavedAB: one trainer steps with fusion on and off in alternating order
// (A B, B A, ...) on the same batch and the same path within a round. No Node APIs.
import type { TrainRecipe } from '../src/core/train/recipe.ts';
import { fusedBnActive, setFusedBn, type FusedBnMode } from '../src/core/model/fused/bnTrain.ts';
import { runInterleavedAB, type ABTimes } from './leverBench.ts';
import type { Clock } from './stepBench.ts';

export interface FusedBnAB extends ABTimes {
  lever: 'fusedBn';
  a: 'on';
  b: 'off';
  /** Whether the fused kernels ran in the A half (false: the backend has none, A = B). */
  fusedActive: boolean;
}

export async function runFusedBnAB(recipe: TrainRecipe, steps: number, warmupRounds: number, clock: Clock = () => performance.now()): Promise<FusedBnAB> {
  const prev = setFusedBn('on');
  const active = fusedBnActive();
  setFusedBn(prev);
  const times = await runInterleavedAB<FusedBnMode>(recipe, steps, warmupRounds, { a: 'on', b: 'off', set: setFusedBn }, clock);
  return { lever: 'fusedBn', a: 'on', b: 'off', fusedActive: active, ...times };
}
