// The shown view, kept in the URL's `view=` (pushState, so Back returns to the previous view;
// every other parameter is kept). Rail links are real links (`href="?…&view=train"`), so opening
// one in a new tab works too.
import { useCallback, useEffect, useState } from 'react';
import { encodeSetup } from '../config/urlState.ts';
import { useStore } from '../store/index.ts';
import { searchWithView, viewFromSearch, type ViewName } from './views.ts';

/** The link to `view` with the current setup (re-rendered when the setup changes, so it is never stale). */
export function useViewHref(view: ViewName): string {
  const preset = useStore((s) => s.preset);
  const settings = useStore((s) => s.settings);
  return searchWithView(encodeSetup(preset, settings, window.location.search), view);
}

export function useView(): [ViewName, (v: ViewName) => void] {
  const [view, setView] = useState<ViewName>(() => viewFromSearch(window.location.search));
  useEffect(() => {
    const onPop = () => setView(viewFromSearch(window.location.search));
    window.addEventListener('popstate', onPop);
    window.addEventListener('isonas-view', onPop);
    return () => {
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('isonas-view', onPop);
    };
  }, []);
  const go = useCallback((v: ViewName) => {
    const { pathname, hash, search } = window.location;
    const next = searchWithView(search, v);
    if (next !== search) window.history.pushState(window.history.state, '', `${pathname}${next}${hash}`);
    setView(v);
    window.dispatchEvent(new Event('isonas-view'));
  }, []);
  return [view, go];
}

/** Shows `view` from anywhere (empty-state links): same as clicking its rail entry. */
export function showView(view: ViewName): void {
  const { pathname, hash, search } = window.location;
  const next = searchWithView(search, view);
  if (next !== search) window.history.pushState(window.history.state, '', `${pathname}${next}${hash}`);
  window.dispatchEvent(new Event('isonas-view'));
}
