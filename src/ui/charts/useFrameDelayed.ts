// `value`, passed on `frames` animation frames after it changes (0: at once). Charts that update
// on the same event use different delays so that their redraws land in different tasks: one
// recharts redraw fits in a frame's budget where two in one task do not (docs/benchmarks.md,
// "UI frame time").
import { useEffect, useState } from 'react';

export function useFrameDelayed<T>(value: T, frames: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (frames <= 0) return;
    let left = frames;
    let id = 0;
    const tick = () => {
      left -= 1;
      if (left <= 0) setShown(() => value);
      else id = requestAnimationFrame(tick);
    };
    id = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(id);
  }, [value, frames]);
  return frames <= 0 ? value : shown;
}
