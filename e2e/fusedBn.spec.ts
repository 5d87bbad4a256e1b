import { expect, test } from '@playwright/test';
import { buildBenchPage, runFusedModeInBrowser } from '../bench/browserRun.ts';

// Fused BN training (src/core/model/fused/) on WebGPU and WebGL (both SwiftShader) against the
// composed ops:
// the bench page's check (bench/fusedCheck.ts) runs in the worker, this test asserts on its figures.
// Op check: relative error = max |fused - composed| / max |composed| per tensor, <= 1e-5.
// Fair steps: every element within 1e-4 relative plus the float32 noise floor of
// bench/fairTolerance.ts (worstRatio <= 1), and the trainers moved at least 100 noise floors from
// their initial state in every kind of quantity (so the tolerance could not hide a wrong kernel).
// Sized for CI: demo-mbv2 at 8 px, batch 4, two op shapes, 4 leak steps (measured on the 2-core
// dev machine at load avg ~14-25: 2.0 min on webgpu, 1.2-1.9 min on webgl, mostly shader compilation;
// the earlier micro-mbv2 version took 5-7 min on webgpu alone).
for (const backend of ['webgpu', 'webgl'] as const) {
  test(`fused BN on ${backend} equals the composed ops and leaks nothing`, async () => {
    test.setTimeout(420_000);
    await buildBenchPage();
    const leakSteps = 4;
    const { reply } = await runFusedModeInBrowser(
      { config: 'tiny', backend, steps: 1, warmupRounds: 1, memorySteps: 0, skipFair: true, extras: false, maxStepMs: null, convGrad: 'forward', ab: false, fusedCheckSteps: leakSteps },
      { timeoutMs: 400_000 },
    );
    if (reply.type === 'error') throw new Error(reply.message);
    expect(reply.type).toBe('fusedCheck');
    if (reply.type !== 'fusedCheck') return;
    const c = reply.check;
    const fair = JSON.stringify(c.fair);
    console.log(`fused check (${backend}): ${fair}`);
    expect(c.backend).toBe(backend);
    expect(c.fusedActive).toBe(true);
    const keys = Object.keys(c.op);
    expect(keys.length).toBe(6); // 3 activations x 2 shapes
    for (const key of keys) {
      for (const [q, err] of Object.entries(c.op[key])) expect(err, `${key} ${q}`).toBeLessThanOrEqual(1e-5);
    }
    expect(c.fair.tensorsCompared, fair).toBeGreaterThan(10);
    expect(c.fair.worstRatio, fair).toBeLessThanOrEqual(1);
    expect(c.fair.minResolution, fair).toBeGreaterThanOrEqual(100);
    expect(c.leak.afterN.tensors).toBe(c.leak.after2.tensors);
    expect(c.leak.afterN.programs).toBe(c.leak.after2.programs);
  });
}
