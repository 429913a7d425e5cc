import { createTheme, type CSSVariablesResolver } from '@mantine/core';

/**
 * One theme for every screen; Mantine's components carry labels, focus rings and dark mode. Shades are one step
 * darker than Mantine's defaults so text on filled buttons and dimmed text keep a 4.5:1 contrast (WCAG AA, checked by
 * axe-core in the browser tests).
 */
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});

/**
 * In light mode, filled badges and buttons and the text of light variants use shade 9 of their color darkened by
 * 30%: Mantine's own shades give white 11 px badge text 3.3–4.4:1, below the 4.5:1 axe-core asks for.
 */
export const cssVariables: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.keys(t.colors).flatMap((color) => {
        const strong = `color-mix(in srgb, var(--mantine-color-${color}-9) 70%, black)`;
        return [
          [`--mantine-color-${color}-filled`, strong],
          [`--mantine-color-${color}-filled-hover`, `color-mix(in srgb, var(--mantine-color-${color}-9) 60%, black)`],
          [`--mantine-color-${color}-light-color`, strong],
          [`--mantine-color-${color}-outline`, strong],
        ];
      }),
    ),
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});
