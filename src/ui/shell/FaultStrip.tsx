// The latest reported error, shown over every view (the full list is in the Engine view), so an
// error is never hidden behind another view. Dismissing hides the errors seen so far.
import { useState } from 'react';
import { useStore } from '../store/index.ts';
import { StageLink } from './EmptyState.tsx';
import type { ViewName } from './views.ts';

export function FaultStrip({ go }: { go: (v: ViewName) => void }) {
  const errors = useStore((s) => s.errors);
  const [seen, setSeen] = useState(0);
  if (errors.length <= seen) return null;
  return (
    <div className="fault-strip" role="status" data-testid="fault-strip">
      <span className="fault-text">{errors.at(-1)}</span>
      {errors.length - seen > 1 && <span className="muted"> (+{errors.length - seen - 1} earlier)</span>}
      <StageLink to="engine" go={go} />
      <button type="button" className="ghost" data-testid="fault-dismiss" onClick={() => setSeen(errors.length)}>
        Dismiss
      </button>
    </div>
  );
}
