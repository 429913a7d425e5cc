import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import { renderWithClient } from '../../test/render';
import { json, server } from '../../test/server';
import type { ExperimentReport, MetricReport } from '../api/types';
import ReportPanel from './ReportPanel';

const conversion = {
  key: 'conversion',
  name: 'Checkout conversion',
  eventType: 'checkout.completed',
  aggregation: 'COUNT',
  direction: 'INCREASE',
  guardrail: false,
  exploratory: true,
  addedAt: '2026-12-01T09:00:00Z',
  definitionVersion: 2,
  startVersion: 1,
  redefinedAfterStart: true,
  summary: 'Checkout conversion: redefined after start (version 1 → 2, exploratory); not part of the decision.',
  treatments: [],
} as MetricReport;

const report = {
  project: 'shop',
  environment: 'production',
  flag: 'checkout',
  computedAt: '2026-12-02T10:00:00Z',
  window: { from: '2026-12-01T10:00:00Z', to: '2026-12-02T10:00:00Z' },
  control: 'off',
  message: null,
  arms: [],
  excludedMultiTreatmentUsers: 0,
  srm: { status: 'OK', pValue: 0.5, chiSquare: 0.4, degreesOfFreedom: 1, mismatch: false, weights: 'defaultServe' },
  metrics: [conversion],
  split: null,
  notRandomisedUsers: 0,
  trustworthy: true,
  decision: null,
  effectOverTime: [],
  metricChanges: [
    {
      metric: 'conversion',
      name: 'Checkout conversion',
      change: 'REDEFINED',
      fromVersion: 1,
      toVersion: 2,
      fields: [{ field: 'aggregation', from: 'CONVERSION', to: 'COUNT' }],
      reason: null,
      changedBy: 'user:ana',
      changedAt: '2026-12-02T09:00:00Z',
    },
    {
      metric: 'clicks',
      name: 'Clicks',
      change: 'REMOVED',
      fromVersion: 1,
      toVersion: null,
      fields: [],
      reason: 'detached from the flag',
      changedBy: 'user:ana',
      changedAt: '2026-12-02T09:01:00Z',
    },
  ],
} as unknown as ExperimentReport;

describe('ReportPanel', () => {
  it('marks a metric redefined after the start and lists every change with who made it', async () => {
    server.on('GET', '/api/v1/projects/shop/environments/production/flags/checkout/report', () => json(200, report));
    renderWithClient(<ReportPanel project="shop" environment="production" flag="checkout" editable={false} />);

    expect(await screen.findByText('redefined after start')).toBeInTheDocument();
    expect(screen.queryByText('added after start')).toBeNull();
    const changes = screen.getByRole('region', { name: 'Metrics changed after the start' });
    const lines = within(changes).getAllByTestId('metric-change');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toHaveTextContent('Checkout conversion redefined (version 1 → 2): aggregation CONVERSION → COUNT');
    expect(lines[0]).toHaveTextContent('by user:ana');
    expect(lines[1]).toHaveTextContent('Clicks removed (detached from the flag)');
  });

  it('shows no change list for a report without changes', async () => {
    server.on('GET', '/api/v1/projects/shop/environments/production/flags/checkout/report', () =>
      json(200, { ...report, metricChanges: [], metrics: [{ ...conversion, redefinedAfterStart: false }] }),
    );
    renderWithClient(<ReportPanel project="shop" environment="production" flag="checkout" editable={false} />);
    expect(await screen.findByText('added after start')).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Metrics changed after the start' })).toBeNull();
  });
});
