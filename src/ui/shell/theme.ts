// The colour theme: 'auto' follows prefers-color-scheme; 'light' / 'dark' are set by the top
// bar's toggle and kept in localStorage. Applied as data-theme = the effective theme ('light' or
// 'dark', never absent) on <html>: tokens.css styles only [data-theme='dark']. public/theme-init.js
// sets it the same way before the first paint (THEME_KEY is spelled there too).
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
  document.documentElement.setAttribute('data-theme', effectiveTheme(t));
  try {
    if (t === 'auto') window.localStorage.removeItem(THEME_KEY);
    else window.localStorage.setItem(THEME_KEY, t);
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}

const SYSTEM_DARK = '(prefers-color-scheme: dark)';

/** The theme in effect now (what 'auto' resolves to). */
export function effectiveTheme(t: ThemeChoice): 'light' | 'dark' {
  if (t !== 'auto') return t;
  return window.matchMedia(SYSTEM_DARK).matches ? 'dark' : 'light';
}

/** While the choice is 'auto', data-theme follows the system's scheme as it changes. Returns a cleanup. */
export function followSystemTheme(): () => void {
  const query = window.matchMedia(SYSTEM_DARK);
  const onChange = () => {
    if (readTheme() === 'auto') document.documentElement.setAttribute('data-theme', query.matches ? 'dark' : 'light');
  };
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
