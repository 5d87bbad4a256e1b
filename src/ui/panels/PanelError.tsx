// The last failure of an action taken in a panel, shown next to that action's controls; it can be
// dismissed and the panel's next success clears it (src/ui/store/feedbackSlice.ts).
import type { PanelName } from '../store/feedbackSlice.ts';
import { useStore } from '../store/index.ts';

export function PanelError({ panel }: { panel: PanelName }) {
  const message = useStore((s) => s.panelErrors[panel]);
  if (message === undefined) return null;
  return (
    <p role="alert" className="error panel-error" data-testid="panel-error" data-panel={panel}>
      <span>{message}</span>{' '}
      <button type="button" className="dismiss" data-testid="panel-error-dismiss" aria-label="Dismiss this message" onClick={() => useStore.getState().clearIn(panel)}>
        Dismiss
      </button>
    </p>
  );
}

/** Why an action is off because of an invalid box (its message), beside the action's button. */
export function BlockedReason({ reason, testId }: { reason: string | null; testId: string }) {
  if (reason === null) return null;
  return (
    <small className="error blocked-reason" data-testid={testId}>
      {reason}
    </small>
  );
}
