#!/bin/sh
# On a machine with a hardware GPU: the paper and small configs on webgpu in headless Chromium
# WITHOUT the SwiftShader flags (BENCH_CHROMIUM=hardware, bench/browserRun.ts), one JSON line each:
# BN-only and all-weights step medians, their ratio, kernels per BN-only step (fused on), adapter.
# Usage: sh bench/gpu.sh [steps]   (default 5). Not yet run on a hardware GPU (docs/benchmarks.md).
set -eu
cd "$(dirname "$0")/.."
STEPS="${1:-5}"
export BENCH_CHROMIUM=hardware
for CONFIG in small paper; do
  STEP_JSON=$(npm run -s bench -- --config "$CONFIG" --backend webgpu --steps "$STEPS" --memory-steps 0 --skip-fair --skip-extras --json)
  CENSUS_JSON=$(npm run -s bench -- --config "$CONFIG" --backend webgpu --census --json)
  node -e '
    const s = JSON.parse(process.argv[1]); const c = JSON.parse(process.argv[2]);
    const f = s.figures ?? s; const on = c.census.sides.find((x) => x.fusedBn === "on");
    console.log(JSON.stringify({ config: process.argv[3], backend: "webgpu", runtime: c.machine.runtime,
      bnOnlyStepMs: f.bnOnlyMedianStepMs, allWeightsStepMs: f.allWeightsMedianStepMs, ratioBnOnlyToAll: f.ratioBnOnlyToAll,
      kernelsPerBnOnlyStep: on.bnOnlyStep.total, kernelsPerFairStep: on.fairStep.total, fusedActive: on.fusedActive }));
  ' "$STEP_JSON" "$CENSUS_JSON" "$CONFIG"
done
