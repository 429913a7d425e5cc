import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { FlagView, PlanView } from '../api/types';
import PlanPanel from './PlanPanel';

const flag = { key: 'new-checkout', treatments: [{ name: 'on' }, { name: 'off' }] } as unknown as FlagView;
const planUrl = '/api/v1/projects/shop/environments/production/flags/new-checkout/plan';

const active: PlanView = {
  id: 7,
  project: 'shop',
  environment: 'production',
  flag: 'new-checkout',
  status: 'ACTIVE',
  statusReason: 'started by user:ana at stage 1/3',
  treatment: 'on',
  control: 'off',
  onBreach: 'ROLLBACK',
  requireNonInferiority: false,
  currentStage: 1,
  awaitingApproval: false,
  stageStartedAt: '2026-12-02T10:00:00Z',
  gate: { state: 'WAIT', reason: 'minimum duration not reached: 3h left', evidence: null as never },
  stages: [
    { index: 0, name: 'dev team', segments: ['dev-team'], weight: 0, minDuration: 'PT4H', minSamplePerArm: 0, requiresApproval: false, approved: false },
    { index: 1, name: '5%', segments: [], weight: 500, minDuration: 'P1D', minSamplePerArm: 500, requiresApproval: false, approved: false },
    { index: 2, name: '100%', segments: [], weight: 10000, minDuration: 'PT0S', minSamplePerArm: 0, requiresApproval: true, approved: false },
  ],
  transitions: [
    {
      at: '2026-12-02T06:00:00Z',
      actor: 'user:ana',
      kind: 'STARTED',
      fromStage: -1,
      toStage: 0,
      stageName: 'dev team',
      status: 'ACTIVE',
      reason: 'started by user:ana at stage 1/3',
      configurationVersion: 2,
      evidence: null as never,
    },
    {
      at: '2026-12-02T10:00:00Z',
      actor: 'plan:7',
      kind: 'ADVANCED',
      fromStage: 0,
      toStage: 1,
      stageName: '5%',
      status: 'ACTIVE',
      reason: "advanced from stage 1/3 'dev team' to stage 2/3 '5%': minimum duration passed",
      configurationVersion: 3,
      evidence: null as never,
    },
  ],
  createdAt: '2026-12-02T05:00:00Z',
  createdBy: 'user:ana',
  updatedAt: '2026-12-02T10:00:00Z',
  version: 4,
};

describe('PlanPanel', () => {
  it('shows where an active plan is, its stages and history, and pauses it with a comment', async () => {
    server.answers.push(json(200, active, 'application/json', { ETag: '"4"' }));
    renderWithClient(<PlanPanel project="shop" environment="production" flag={flag} editable />);

    expect(await screen.findByText('active')).toBeInTheDocument();
    expect(screen.getByText(/At stage 2\/3 “5%”/)).toBeInTheDocument();
    expect(screen.getByTestId('plan-gate')).toHaveTextContent('WAIT minimum duration not reached: 3h left');
    const stages = screen.getByRole('table', { name: 'Stages' });
    const current = within(stages).getAllByRole('row').find((r) => r.getAttribute('aria-current') === 'step')!;
    expect(current).toHaveTextContent('5%');
    expect(within(stages).getByText('dev-team')).toBeInTheDocument();
    expect(within(stages).getByText('required')).toBeInTheDocument();
    const history = screen.getByRole('region', { name: 'Plan history' });
    expect(within(history).getByText(/advanced · stage 1 → 2 “5%”/)).toBeInTheDocument();
    expect(within(history).getByText(/by plan:7/)).toBeInTheDocument();

    // an active plan can be approved ahead, paused, skipped or aborted — not started or resumed
    const actions = screen.getByRole('region', { name: 'Plan actions' });
    expect(within(actions).queryByRole('button', { name: 'Start' })).not.toBeInTheDocument();
    expect(within(actions).queryByRole('button', { name: 'Resume' })).not.toBeInTheDocument();

    server.answers.push(json(200, { ...active, status: 'PAUSED', statusReason: 'paused by user:ana: looking at errors' }));
    await userEvent.type(within(actions).getByLabelText('Comment (kept in the history)'), 'looking at errors');
    await userEvent.click(within(actions).getByRole('button', { name: 'Pause' }));

    expect(await screen.findByText('paused')).toBeInTheDocument();
    expect(server.calls[1]).toMatchObject({ method: 'POST', url: `${planUrl}/pause`, headers: { 'x-dimmer-comment': 'looking at errors' } });
    expect(within(screen.getByRole('region', { name: 'Plan actions' })).getByRole('button', { name: 'Resume' })).toBeInTheDocument();
  });

  it('offers editors to define a plan when the flag has none, and viewers nothing to edit', async () => {
    const none = json(404, { title: 'Not Found', status: 404, detail: 'no rollout plan' }, 'application/problem+json');
    server.answers.push(none);
    const { unmount } = renderWithClient(<PlanPanel project="shop" environment="production" flag={flag} editable={false} />);
    expect(await screen.findByText('No rollout plan in this environment')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Define a plan' })).not.toBeInTheDocument();
    unmount();

    server.answers.push(json(404, { title: 'Not Found', status: 404, detail: 'no rollout plan' }, 'application/problem+json'));
    renderWithClient(<PlanPanel project="shop" environment="production" flag={flag} editable />);
    const define = await screen.findByRole('button', { name: 'Define a plan' });
    server.answers.push(json(200, [{ key: 'dev-team' }])); // the environment's segments, for the stage editor
    await userEvent.click(define);
    expect(screen.getByRole('form', { name: 'Rollout plan' })).toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Stage 2' })).toBeInTheDocument();

    // what the server refuses shows at the stage and field its pointer names
    server.answers.push(
      json(
        400,
        {
          title: 'Invalid rollout plan',
          status: 400,
          detail: '1 field is invalid',
          errors: [{ pointer: '/stages/1/requiresApproval', detail: 'the last stage at 100 % needs a sample of 0 here' }],
        },
        'application/problem+json',
      ),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Save plan' }));
    expect(await within(screen.getByRole('region', { name: 'Stage 2' })).findByText('the last stage at 100 % needs a sample of 0 here')).toBeInTheDocument();
    const put = server.calls.find((c) => c.method === 'PUT')!;
    expect(put.url).toBe(planUrl);
    expect(put.body).toMatchObject({ treatment: 'on', onBreach: 'ROLLBACK', stages: [{ name: '1%', weight: 100 }, { name: '100%', weight: 10000 }] });
  });
});
