import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { FlagView, ScheduleView } from '../api/types';
import SchedulePanel from './SchedulePanel';

const flag = { key: 'new-checkout', treatments: [{ name: 'on' }, { name: 'off' }] } as unknown as FlagView;
const flagUrl = '/api/v1/projects/shop/environments/production/flags/new-checkout';

const pending: ScheduleView = {
  id: 12,
  project: 'shop',
  environment: 'production',
  flag: 'new-checkout',
  runAt: '2030-01-31T09:00:00Z',
  action: 'SET_ROLLOUT',
  rollout: { treatment: 'on', weight: 2500, control: 'off' },
  configuration: null as never,
  baseVersion: 5,
  status: 'PENDING',
  outcome: null as never,
  comment: 'launch',
  createdAt: '2026-12-02T10:00:00Z',
  createdBy: 'user:ana',
  finishedAt: null as never,
  finishedBy: null as never,
  appliedVersion: null as never,
};

function serve(schedules: ScheduleView[]) {
  server.on('GET', flagUrl, () => json(200, { enabled: false, offTreatment: 'off', rules: [], defaultServe: { treatment: 'off' }, version: 5 }, 'application/json', { ETag: '"5"' }));
  server.on('GET', `${flagUrl}/schedules`, () => json(200, schedules));
}

describe('SchedulePanel', () => {
  it('schedules a rollout against the version on screen and lists it', async () => {
    serve([]);
    renderWithClient(<SchedulePanel project="shop" environment="production" flag={flag} editable />);
    expect(await screen.findByText('Nothing scheduled')).toBeInTheDocument();

    const form = screen.getByRole('form', { name: 'Schedule a change' });
    await userEvent.type(within(form).getByLabelText(/Runs at/), '2030-01-31T10:00');
    await userEvent.click(within(form).getByRole('combobox', { name: 'Change' }));
    await userEvent.click(await screen.findByRole('option', { name: 'Set rollout percentage' }));
    const users = within(form).getByLabelText('Users (%)');
    await userEvent.clear(users);
    await userEvent.type(users, '25');
    await userEvent.type(within(form).getByLabelText('Comment'), 'launch');

    server.answers.push(json(201, pending));
    serve([pending]);
    await userEvent.click(within(form).getByRole('button', { name: 'Schedule' }));

    const table = await screen.findByRole('table', { name: 'Scheduled changes' });
    expect(within(table).getByText('roll out on to 25 %')).toBeInTheDocument();
    expect(within(table).getByText('pending')).toBeInTheDocument();
    const post = server.calls.find((c) => c.method === 'POST')!;
    expect(post.url).toBe(`${flagUrl}/schedules`);
    expect(post.body).toEqual({
      runAt: new Date('2030-01-31T10:00').toISOString(),
      action: 'SET_ROLLOUT',
      weight: 2500,
      treatment: 'on',
      comment: 'launch',
      baseVersion: 5,
    });
  });

  it('cancels a pending change; viewers see no form and no cancel', async () => {
    serve([pending]);
    const { unmount } = renderWithClient(<SchedulePanel project="shop" environment="production" flag={flag} editable={false} />);
    expect(await screen.findByText('roll out on to 25 %')).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Schedule a change' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: /Cancel scheduled change/ })).not.toBeInTheDocument();
    unmount();

    renderWithClient(<SchedulePanel project="shop" environment="production" flag={flag} editable />);
    server.on('DELETE', `${flagUrl}/schedules/12`, () => json(200, { ...pending, status: 'CANCELLED' }));
    await userEvent.click(await screen.findByRole('button', { name: 'Cancel scheduled change 12' }));
    expect(server.calls.some((c) => c.method === 'DELETE' && c.url === `${flagUrl}/schedules/12`)).toBe(true);
  });
});
