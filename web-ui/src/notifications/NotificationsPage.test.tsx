import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { NotificationView } from '../api/types';
import NotificationsPage from './NotificationsPage';

const dead: NotificationView = {
  id: 31,
  kind: 'plan',
  title: 'new-checkout rolled back in production',
  status: 'dead',
  attempts: 2,
  maxAttempts: 2,
  team: 'checkout',
  channel: 'hook',
  channelKind: 'webhook',
  flag: 'new-checkout',
  environment: 'production',
  createdAt: '2026-12-02T10:00:00Z',
  finishedAt: '2026-12-02T10:05:00Z',
  nextAttemptAt: null as never,
  lastError: 'HTTP 503',
  body: '{}',
  deliveryId: 'd-31',
  deliveries: [
    { attempt: 1, at: '2026-12-02T10:00:01Z', statusCode: 503, latencyMs: 120, responseBody: 'upstream-unavailable.'.repeat(20), error: null as never, worker: 'a' },
    { attempt: 2, at: '2026-12-02T10:05:00Z', statusCode: 503, latencyMs: 98, responseBody: 'upstream unavailable', error: null as never, worker: 'b' },
  ],
};

function renderPage(role: 'editor' | 'viewer') {
  server.on('GET', '/api/v1/session', () => json(200, { actor: 'user:ana', role, projects: ['shop'] }));
  server.on('GET', '/api/v1/projects/shop/teams', () => json(200, []));
  return renderWithClient(
    <MemoryRouter initialEntries={['/projects/shop/notifications?status=dead']}>
      <Routes>
        <Route path="/projects/:project/notifications" element={<NotificationsPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('NotificationsPage', () => {
  it('shows each attempt of a dead notification and redelivers it', async () => {
    server.on('GET', '/api/v1/projects/shop/notifications', () => json(200, [dead]));
    renderPage('editor');
    const card = await screen.findByRole('article', { name: 'Notification 31' });
    expect(within(card).getByText('dead')).toBeInTheDocument();
    expect(within(card).getByText('2/2 attempts')).toBeInTheDocument();
    const attempts = within(card).getByRole('table', { name: 'Attempts of notification 31' });
    expect(within(attempts).getAllByRole('cell', { name: '503' })).toHaveLength(2);
    expect(within(attempts).getByRole('cell', { name: '120 ms' })).toBeInTheDocument();
    // a long response is cut in the table and whole in the tooltip
    const long = within(attempts).getByTitle('upstream-unavailable.'.repeat(20));
    expect(long.textContent!.length).toBeLessThanOrEqual(121);
    expect(server.calls.find((c) => c.url.startsWith('/api/v1/projects/shop/notifications'))!.url).toContain('status=dead');

    server.on('POST', '/api/v1/projects/shop/notifications/31/redeliver', () => json(200, { ...dead, status: 'pending', attempts: 0, maxAttempts: 2 }));
    await userEvent.click(within(card).getByRole('button', { name: 'Redeliver notification 31' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST' && c.url === '/api/v1/projects/shop/notifications/31/redeliver')).toBe(true));
    // the list is read again after the redelivery
    await waitFor(() => expect(server.calls.filter((c) => c.url.startsWith('/api/v1/projects/shop/notifications?')).length).toBe(2));
  });

  it('offers viewers no redeliver button', async () => {
    server.on('GET', '/api/v1/projects/shop/notifications', () => json(200, [dead]));
    renderPage('viewer');
    const card = await screen.findByRole('article', { name: 'Notification 31' });
    expect(within(card).queryByRole('button', { name: /Redeliver/ })).not.toBeInTheDocument();
  });
});
