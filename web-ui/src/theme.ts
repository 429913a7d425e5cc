import { createTheme } from '@mantine/core';

/** One theme for every screen; Mantine's components carry labels, focus rings and dark mode. */
export const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'sm',
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
});
