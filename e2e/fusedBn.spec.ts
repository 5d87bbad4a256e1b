import { expect, test } from '@playwright/test';
import { buildBenchPage, runFusedModeInBrowser } from '../bench/browserRun.ts';

// Fused BN training (src/core/model/fused/) on WebGPU (SwiftShader) against the composed ops:
// the bench page's check (bench/fusedCheck.ts) runs in the worker, this test asserts on its figures.
// Relative error = max |fused - composed| / max |composed| per tensor.
test('fused BN on webgpu equals the composed ops and leaks nothing', async () => {
  test.setTimeout(300_000);
  await buildBenchPage();
  const leakSteps = 6;
  const { reply } = await runFusedModeInBrowser(
    { config: 'tiny', backend: 'webgpu', steps: 1, warmupRounds: 1, memorySteps: 0, skipFair: true, extras: false, maxStepMs: null, convGrad: 'forward', ab: false, fusedCheckSteps: leakSteps },
    { timeoutMs: 280_000 },
  );
  if (reply.type === 'error') throw new Error(reply.message);
  expect(reply.type).toBe('fusedCheck');
  if (reply.type !== 'fusedCheck') return;
  const c = reply.check;
  expect(c.backend).toBe('webgpu');
  expect(c.fusedActive).toBe(true);
  const keys = Object.keys(c.op);
  expect(keys.length).toBe(6); // 3 activations x 2 shapes
  for (const key of keys) {
    for (const [q, err] of Object.entries(c.op[key])) expect(err, `${key} ${q}`).toBeLessThanOrEqual(1e-5);
  }
  expect(c.fair.tensorsCompared).toBeGreaterThan(10);
  expect(c.fair.maxRelErr, `worst: ${c.fair.worst}`).toBeLessThanOrEqual(1e-4);
  expect(c.leak.afterN.tensors).toBe(c.leak.after2.tensors);
  expect(c.leak.afterN.programs).toBe(c.leak.after2.programs);
});
