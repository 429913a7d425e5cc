import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithTheme } from '../../test/render';
import StageEditor, { localStageProblems } from './StageEditor';
import { ApiError, localErrors, mergeErrors } from '../api/problem';
import type { StageRequest } from '../api/types';

/** The editor as the plan form uses it: local checks merged with what the server said. */
function Editor({ initial = [], server = null }: { initial?: StageRequest[]; server?: ApiError | null }) {
  const [stages, setStages] = useState<StageRequest[]>(initial);
  return (
    <>
      <StageEditor stages={stages} onChange={setStages} segments={['dev-team', 'employees']} errors={mergeErrors(server, localErrors(localStageProblems(stages)))} />
      <output data-testid="names">{stages.map((s) => s.name).join(',')}</output>
    </>
  );
}

const three: StageRequest[] = [
  { name: 'dev team', segments: ['dev-team'], weight: 0, minDuration: 'PT4H' },
  { name: '5%', segments: [], weight: 500, minDuration: 'P1D', minSamplePerArm: 500 },
  { name: '100%', segments: [], weight: 10000, minDuration: 'PT0S', requiresApproval: true },
];

describe('StageEditor', () => {
  it('adds stages that step up from the last one', async () => {
    renderWithTheme(<Editor />);
    expect(screen.getByText('No stages yet.')).toBeInTheDocument();
    expect(screen.getByText('add at least one stage')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    const first = screen.getByRole('region', { name: 'Stage 1' });
    expect(within(first).getByLabelText('Stage 1 users (%)')).toHaveValue('1 %');
    expect(within(first).getByLabelText('Stage 1 minimum duration')).toHaveValue('PT1H');
    await userEvent.click(screen.getByRole('button', { name: 'Add stage' }));
    expect(within(screen.getByRole('region', { name: 'Stage 2' })).getByLabelText('Stage 2 users (%)')).toHaveValue('2 %');
    expect(screen.queryByText('add at least one stage')).not.toBeInTheDocument();
  });

  it('removes and reorders stages', async () => {
    renderWithTheme(<Editor initial={three} />);
    expect(screen.getByTestId('names')).toHaveTextContent('dev team,5%,100%');
    expect(screen.getByRole('button', { name: 'Move stage 1 up' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Move stage 3 down' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Move stage 2 up' }));
    expect(screen.getByTestId('names')).toHaveTextContent('5%,dev team,100%');
    expect(screen.getByLabelText('Stage 1 name')).toHaveValue('5%');
    // the dev team stage (0 %) now comes after 5 %: weights may not go down
    expect(within(screen.getByRole('region', { name: 'Stage 2' })).getByText('never lower than an earlier stage (5 %)')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Move stage 1 down' }));
    expect(screen.getByTestId('names')).toHaveTextContent('dev team,5%,100%');
    expect(screen.queryByText(/never lower/)).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Remove stage 2' }));
    expect(screen.getByTestId('names')).toHaveTextContent('dev team,100%');
    expect(screen.queryByRole('region', { name: 'Stage 3' })).not.toBeInTheDocument();
  });

  it('checks durations and percentages before saving', async () => {
    renderWithTheme(<Editor initial={three} />);
    const duration = screen.getByLabelText('Stage 2 minimum duration');
    await userEvent.clear(duration);
    await userEvent.type(duration, '1 day');
    expect(await screen.findByText('an ISO-8601 duration such as PT30M, PT4H or P1D')).toBeInTheDocument();
    await userEvent.clear(duration);
    await userEvent.type(duration, 'P2DT12H');
    expect(screen.queryByText(/ISO-8601 duration such as/)).not.toBeInTheDocument();

    const users = screen.getByLabelText('Stage 2 users (%)');
    await userEvent.clear(users);
    await userEvent.type(users, '70');
    expect(await screen.findByText('between 0 % and 50 %, or 100 % (the last stage)')).toBeInTheDocument();
  });

  it("shows the server's problems next to the field their pointer names", () => {
    const server = new ApiError({
      type: 'about:blank',
      title: 'Invalid rollout plan',
      status: 400,
      detail: '1 field is invalid',
      errors: [{ pointer: '/stages/0/segments', detail: "segment 'ghosts' does not exist in production" }],
    });
    renderWithTheme(<Editor initial={three} server={server} />);
    const first = screen.getByRole('region', { name: 'Stage 1' });
    expect(within(first).getByText("segment 'ghosts' does not exist in production")).toBeInTheDocument();
    expect(within(screen.getByRole('region', { name: 'Stage 2' })).queryByText(/ghosts/)).not.toBeInTheDocument();
  });
});
