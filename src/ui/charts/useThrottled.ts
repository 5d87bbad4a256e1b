// `value`, passed on at most once every `ms` milliseconds: a change within `ms` of the last one
// passed is held and passed when the interval ends (the newest value then; nothing is lost at the
// end of a stream). Live charts redraw at this rate however fast steps arrive (on a real GPU the
// tiny config takes a step every few milliseconds; one recharts redraw costs several).
import { useEffect, useRef, useState } from 'react';

export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = last.current + ms - performance.now();
    const pass = () => {
      last.current = performance.now();
      setShown(() => value);
    };
    if (wait <= 0) {
      pass();
      return;
    }
    const id = setTimeout(pass, wait);
    return () => clearTimeout(id);
  }, [value, shown, ms]);
  return shown;
}
