import type { ReactElement } from 'react';
import { render } from '@testing-library/react';
import { MantineProvider } from '@mantine/core';

/** Renders inside the app's theme provider, as main.tsx does. */
export function renderWithTheme(ui: ReactElement) {
  return render(<MantineProvider env="test">{ui}</MantineProvider>);
}
