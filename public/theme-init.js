// Sets data-theme ('light' | 'dark') on <html> before the first paint: the toggle's saved choice,
// else the system's prefers-color-scheme. tokens.css styles only [data-theme='dark'], so the page
// never paints in the other theme while the app's module loads. A classic script from this origin
// (the CSP allows no inline script); src/ui/shell/theme.ts takes over once the app runs.
(function () {
  var t = null;
  try {
    t = window.localStorage.getItem('isonas-theme');
  } catch (e) {
    // storage unavailable: follow the system
  }
  if (t !== 'light' && t !== 'dark') t = window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  document.documentElement.setAttribute('data-theme', t);
})();
