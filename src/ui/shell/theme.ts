// The colour theme: 'auto' follows prefers-color-scheme; 'light' / 'dark' are set by the top
// bar's toggle and kept in localStorage. Applied as data-theme on <html> (tokens.css).
export type ThemeChoice = 'auto' | 'light' | 'dark';
export const THEME_KEY = 'isonas-theme';

export function readTheme(): ThemeChoice {
  try {
    const v = window.localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : 'auto';
  } catch {
    return 'auto';
  }
}

export function applyTheme(t: ThemeChoice): void {
  const root = document.documentElement;
  if (t === 'auto') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', t);
  try {
    if (t === 'auto') window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, t);
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}

/** The theme in effect now (what 'auto' resolves to). */
export function effectiveTheme(t: ThemeChoice): 'light' | 'dark' {
  if (t !== 'auto') return t;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}
