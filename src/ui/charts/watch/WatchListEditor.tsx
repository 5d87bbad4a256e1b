// The watch list's text box (grammar in src/core/isometry/watchList.ts) and the share of wall
// time watching may take. Applied on Enter or when the box loses focus; a list that does not parse
// or does not fit the built supernet is named and not sent. Kept in the URL as `watch=`.
import { useEffect, useState } from 'react';
import { useStore } from '../../store/index.ts';

export function WatchListEditor({ idPrefix }: { idPrefix: string }) {
  const text = useStore((s) => s.watchText);
  const problem = useStore((s) => s.watchTextProblem);
  const settings = useStore((s) => s.watchSettings);
  const modules = useStore((s) => s.watchModules);
  const workerProblem = useStore((s) => s.watchProblem);
  const share = useStore((s) => s.watchShare);
  const { setWatchText, setWatchShare } = useStore.getState();
  const [draft, setDraft] = useState(text);
  const [shareDraft, setShareDraft] = useState(String(settings.share));
  useEffect(() => setDraft(text), [text]);
  useEffect(() => setShareDraft(String(settings.share)), [settings.share]);
  const shareValue = Number(shareDraft);
  const shareOk = shareDraft.trim() !== '' && shareValue >= 0 && shareValue <= 1;
  return (
    <div className="watch-editor settings" data-testid={`${idPrefix}-watch-editor`}>
      <label htmlFor={`${idPrefix}-watch-list`}>
        <span>Watch list (layers[:candidates]; …)</span>
        <input
          id={`${idPrefix}-watch-list`}
          data-testid={`${idPrefix}-watch-list`}
          value={draft}
          placeholder="default"
          aria-invalid={problem !== null}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => draft !== text && void setWatchText(draft)}
          onKeyDown={(e) => e.key === 'Enter' && void setWatchText(draft)}
        />
        {problem !== null && <small className="error" data-testid={`${idPrefix}-watch-problem`}>{problem}</small>}
      </label>
      <label htmlFor={`${idPrefix}-watch-share`}>
        <span>Largest share of wall time</span>
        <input
          id={`${idPrefix}-watch-share`}
          data-testid={`${idPrefix}-watch-share`}
          inputMode="decimal"
          value={shareDraft}
          aria-invalid={!shareOk}
          onChange={(e) => setShareDraft(e.target.value)}
          onBlur={() => shareOk && shareValue !== settings.share && void setWatchShare(shareValue)}
          onKeyDown={(e) => e.key === 'Enter' && shareOk && void setWatchShare(shareValue)}
        />
        {!shareOk && <small className="error">a number from 0 to 1</small>}
      </label>
      <p className="note" data-testid={`${idPrefix}-watch-modules`} data-count={modules.length}>
        {modules.length === 0
          ? `List "${settings.list}": the modules are resolved when a supernet is built.`
          : `Watching ${modules.length} modules in layers ${[...new Set(modules.map((m) => m.layer))].join(', ')}${share === null ? '' : `; measured share ${(100 * share).toFixed(1)} %`}.`}
        {workerProblem !== null && <span className="error"> {workerProblem}</span>}
      </p>
    </div>
  );
}
