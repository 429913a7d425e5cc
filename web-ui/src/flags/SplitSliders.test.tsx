import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithTheme } from '../../test/render';
import SplitSliders from './SplitSliders';
import type { Split } from '../api/types';

function Stateful({ initial, onChange }: { initial: Split[]; onChange?: (s: Split[]) => void }) {
  const [split, setSplit] = useState(initial);
  return (
    <SplitSliders
      label="Default rule split"
      split={split}
      onChange={(next) => {
        setSplit(next);
        onChange?.(next);
      }}
    />
  );
}

describe('SplitSliders', () => {
  it('labels one slider and one exact box per treatment', () => {
    renderWithTheme(<Stateful initial={[{ treatment: 'on', weight: 500 }, { treatment: 'off', weight: 9500 }]} />);
    expect(screen.getByRole('group', { name: 'Default rule split' })).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'Weight of on' })).toHaveAttribute('aria-valuenow', '500');
    expect(screen.getByRole('slider', { name: 'Weight of off' })).toHaveAttribute('aria-valuenow', '9500');
    expect(screen.getByLabelText('on %')).toHaveValue('5%');
  });

  it('ramps with the keyboard: one arrow step is 1%, the other arm follows', () => {
    const onChange = vi.fn();
    renderWithTheme(<Stateful initial={[{ treatment: 'on', weight: 500 }, { treatment: 'off', weight: 9500 }]} onChange={onChange} />);
    const on = screen.getByRole('slider', { name: 'Weight of on' });
    on.focus();
    fireEvent.keyDown(on, { key: 'ArrowRight' });
    expect(onChange).toHaveBeenLastCalledWith([
      { treatment: 'on', weight: 600 },
      { treatment: 'off', weight: 9400 },
    ]);
    expect(screen.getByRole('slider', { name: 'Weight of off' })).toHaveAttribute('aria-valuenow', '9400');
  });

  it('takes an exact percentage and keeps the total at 100%', async () => {
    const onChange = vi.fn();
    renderWithTheme(<Stateful initial={[{ treatment: 'on', weight: 500 }, { treatment: 'off', weight: 9500 }]} onChange={onChange} />);
    const box = screen.getByLabelText('on %');
    await userEvent.clear(box);
    await userEvent.type(box, '12.5');
    expect(onChange).toHaveBeenLastCalledWith([
      { treatment: 'on', weight: 1250 },
      { treatment: 'off', weight: 8750 },
    ]);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('says so when the weights do not add up (a configuration from elsewhere)', () => {
    renderWithTheme(<SplitSliders label="s" split={[{ treatment: 'on', weight: 500 }, { treatment: 'off', weight: 500 }]} onChange={() => {}} />);
    expect(screen.getByRole('alert')).toHaveTextContent('Weights add up to 10%; they must add up to 100%');
  });
});
