import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { AlertView } from '../api/types';
import AlertsPage from './AlertsPage';

const open: AlertView = {
  id: 7,
  project: 'shop',
  environment: 'production',
  flag: 'new-checkout',
  kind: 'GUARDRAIL',
  metric: 'errors',
  treatment: 'on',
  status: 'OPEN',
  severity: 'SEVERE',
  summary: 'Errors rose 200% in on (interval 150% to 250%): guardrail severe.',
  ownerTeam: 'checkout',
  openedAt: '2026-12-02T10:00:00Z',
  updatedAt: '2026-12-02T10:05:00Z',
  action: 'KILLED',
  actionBy: 'plan:3',
  actionAt: '2026-12-02T10:04:00Z',
} as AlertView;

function renderPage(role: 'editor' | 'viewer') {
  server.on('GET', '/api/v1/session', () => json(200, { actor: 'user:ana', role, projects: ['shop'] }));
  server.on('GET', '/api/v1/projects/shop/environments', () => json(200, []));
  server.on('GET', '/api/v1/alerts', () => json(200, [open]));
  return renderWithClient(
    <MemoryRouter initialEntries={['/projects/shop/alerts']}>
      <Routes>
        <Route path="/projects/:project/alerts" element={<AlertsPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

describe('AlertsPage', () => {
  it('lists open alerts of the project and acknowledges one with a comment', async () => {
    renderPage('editor');
    expect(await screen.findByText(/Errors rose 200%/)).toBeInTheDocument();
    expect(screen.getByText('killed by plan:3')).toBeInTheDocument();
    const list = server.calls.find((c) => c.url.startsWith('/api/v1/alerts'));
    expect(list?.url).toContain('project=shop');
    expect(list?.url).toContain('status=OPEN');

    server.on('POST', '/api/v1/alerts/7/ack', () => json(200, { ...open, status: 'ACKNOWLEDGED', acknowledgedBy: 'user:ana' }));
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge' }));
    await userEvent.type(screen.getByLabelText(/what are you doing about it/), 'rolling back the checkout');
    await userEvent.click(screen.getByRole('button', { name: 'Acknowledge alert' }));
    await waitFor(() => expect(server.calls.some((c) => c.method === 'POST')).toBe(true));
    const ack = server.calls.find((c) => c.method === 'POST');
    expect(ack?.url).toBe('/api/v1/alerts/7/ack');
    expect(ack?.body).toEqual({ comment: 'rolling back the checkout' });
  });

  it('shows a refused comment next to the field', async () => {
    renderPage('editor');
    await screen.findByText(/Errors rose 200%/);
    server.on('POST', '/api/v1/alerts/7/resolve', () =>
      json(400, { title: 'Invalid request', status: 400, errors: [{ pointer: '/comment', detail: 'must not be blank' }] }, 'application/problem+json'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Resolve' }));
    await userEvent.click(screen.getByRole('button', { name: 'Resolve alert' }));
    expect(await screen.findByText('must not be blank')).toBeInTheDocument();
  });

  it('gives viewers no actions', async () => {
    renderPage('viewer');
    await screen.findByText(/Errors rose 200%/);
    expect(screen.queryByRole('button', { name: 'Acknowledge' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Resolve' })).toBeNull();
  });
});
