// Colours the charts share. CATEGORICAL: the Okabe-Ito palette (safe for the common forms of
// colour blindness), in the order series take them (initialisations, candidates, runs). The same
// colours are CSS custom properties --cat-1..--cat-8 in tokens.css (black there is the ink colour,
// so it stays readable in dark mode). viridis(t): a perceptual sequential map from dark purple
// (t = 0) to yellow (t = 1), linear interpolation between 9 stops of matplotlib's viridis.

export const CATEGORICAL = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442', '#000000'] as const;

/** The i-th categorical colour (wraps around). */
export function categorical(i: number): string {
  const n = CATEGORICAL.length;
  return CATEGORICAL[((Math.trunc(i) % n) + n) % n];
}

/** The categorical colours as CSS variables (charts in SVG can use `var(--cat-1)` and so on). */
export const CATEGORICAL_VARS = CATEGORICAL.map((_, i) => `var(--cat-${i + 1})`);

/** Viridis at t = 0, 1/8, ..., 1 (RGB 0..255). */
export const VIRIDIS_STOPS: readonly (readonly [number, number, number])[] = [
  [68, 1, 84],
  [71, 44, 122],
  [59, 81, 139],
  [44, 113, 142],
  [33, 144, 141],
  [39, 173, 129],
  [92, 200, 99],
  [170, 220, 50],
  [253, 231, 37],
];

function hex2(v: number): string {
  return Math.round(v).toString(16).padStart(2, '0');
}

/** The viridis colour at t in [0, 1] (clamped; NaN reads as 0) as '#rrggbb'. */
export function viridis(t: number): string {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (VIRIDIS_STOPS.length - 1);
  const i = Math.min(VIRIDIS_STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  const a = VIRIDIS_STOPS[i];
  const b = VIRIDIS_STOPS[i + 1];
  return `#${hex2(a[0] + (b[0] - a[0]) * f)}${hex2(a[1] + (b[1] - a[1]) * f)}${hex2(a[2] + (b[2] - a[2]) * f)}`;
}

/** Relative luminance (WCAG) of '#rrggbb', 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const ch = [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16) / 255);
  const lin = ch.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
}

/** Black or white text, whichever reads better on `hex`. */
export function inkOn(hex: string): '#000000' | '#ffffff' {
  const l = luminance(hex);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000000' : '#ffffff';
}
