import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { ChannelView } from '../api/types';
import ChannelsSection from './ChannelsSection';

function renderSection(channels: ChannelView[] = []) {
  return renderWithClient(<ChannelsSection scope={{ project: 'shop', team: 'checkout' }} channels={channels} editable title="checkout" />);
}

const created: ChannelView = {
  key: 'hook',
  name: 'On-call hook',
  kind: 'webhook',
  url: 'https://hooks.example.com/dimmer',
  enabled: true,
  signed: true,
  team: 'checkout',
  secret: 'dwh_s3cr3t-shown-once',
  createdAt: '2026-12-02T10:00:00Z',
  updatedAt: '2026-12-02T10:00:00Z',
};

async function fillAndSubmit(url: string) {
  const form = screen.getByRole('form', { name: 'New channel for checkout' });
  await userEvent.type(within(form).getByLabelText(/Channel key/), 'hook');
  await userEvent.type(within(form).getByLabelText('Channel name'), 'On-call hook');
  await userEvent.type(within(form).getByLabelText(/URL/), url);
  await userEvent.click(within(form).getByRole('button', { name: 'Add channel' }));
}

describe('ChannelsSection', () => {
  it("shows a new webhook's secret once, with a copy button, and never again", async () => {
    server.answers.push(json(201, created));
    renderSection();
    await fillAndSubmit('https://hooks.example.com/dimmer');

    const secret = await screen.findByTestId('secret');
    expect(secret).toHaveTextContent('dwh_s3cr3t-shown-once');
    expect(screen.getByText('Signing secret of hook: copy it now')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Copy' })).toBeInTheDocument();
    expect(server.calls).toMatchObject([
      {
        method: 'POST',
        url: '/api/v1/projects/shop/teams/checkout/channels',
        body: { key: 'hook', name: 'On-call hook', kind: 'webhook', url: 'https://hooks.example.com/dimmer', enabled: true },
      },
    ]);
    // the form is cleared for the next channel
    expect(screen.getByLabelText(/Channel key/)).toHaveValue('');

    await userEvent.click(screen.getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('secret')).not.toBeInTheDocument();
    expect(screen.queryByText(/dwh_s3cr3t/)).not.toBeInTheDocument();
  });

  it('shows a refused URL at the URL field and no secret', async () => {
    server.answers.push(
      json(
        400,
        {
          type: 'about:blank',
          title: 'Invalid channel',
          status: 400,
          detail: '1 field is invalid',
          errors: [{ pointer: '/url', detail: 'must not point at a loopback or private address (127.0.0.1)' }],
        },
        'application/problem+json',
      ),
    );
    renderSection();
    await fillAndSubmit('http://127.0.0.1:8080/hook');

    const url = screen.getByLabelText(/URL/);
    expect(await screen.findByText('must not point at a loopback or private address (127.0.0.1)')).toBeInTheDocument();
    expect(url).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText(/Channel key/)).not.toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByTestId('secret')).not.toBeInTheDocument();
    // the typed values stay for the person to fix
    expect(url).toHaveValue('http://127.0.0.1:8080/hook');
  });

  it('lists channels without their secret and shows a test delivery result', async () => {
    const { secret: _secret, ...listed } = created;
    void _secret;
    server.answers.push(
      json(200, {
        id: 41,
        kind: 'test',
        status: 'sent',
        attempts: 1,
        maxAttempts: 1,
        channel: 'hook',
        deliveries: [{ attempt: 1, at: '2026-12-02T10:01:00Z', statusCode: 204, latencyMs: 87, responseBody: '', error: null, worker: 'a' }],
      }),
    );
    renderSection([{ ...listed, secret: null as unknown as string }]);
    expect(screen.queryByTestId('secret')).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Send a test notification to hook' }));
    const result = await screen.findByRole('status', { name: 'Test notification to hook' });
    expect(within(result).getByText('sent')).toBeInTheDocument();
    expect(within(result).getByRole('cell', { name: '204' })).toBeInTheDocument();
    expect(within(result).getByRole('cell', { name: '87 ms' })).toBeInTheDocument();
    expect(server.calls[0]).toMatchObject({ method: 'POST', url: '/api/v1/projects/shop/teams/checkout/channels/hook/test' });

    // switching a channel off is a PATCH of `enabled`
    server.on('PATCH', '/api/v1/projects/shop/teams/checkout/channels/hook', () => json(200, { ...listed, enabled: false }));
    await userEvent.click(screen.getByRole('switch', { name: 'Channel hook enabled' }));
    await waitFor(() => expect(server.calls.find((c) => c.method === 'PATCH')).toMatchObject({ body: { enabled: false } }));
  });
});
