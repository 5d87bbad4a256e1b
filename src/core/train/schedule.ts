// Learning-rate schedule: cosine annealing from lrMax to lrMin over totalSteps, as a pure function
// of the 0-based step index (steps past the horizon stay at lrMin).
export function cosineLr(step: number, totalSteps: number, lrMax: number, lrMin = 0): number {
  if (totalSteps <= 0) return lrMax;
  const t = Math.min(Math.max(step, 0), totalSteps) / totalSteps;
  return lrMin + 0.5 * (lrMax - lrMin) * (1 + Math.cos(Math.PI * t));
}
