import { Alert, Stack, Title } from '@mantine/core';

const FEATURES = {
  alerts: {
    title: 'Alerts',
    text: 'Guardrail alerts (GET /api/v1/alerts, acknowledge, resolve) and notification channels appear here once the server provides their API.',
  },
  plans: {
    title: 'Rollout plans',
    text: "Staged rollouts that advance while guardrails are healthy (…/environments/{e}/flags/{f}/plan) appear here once the server provides their API.",
  },
  schedules: {
    title: 'Schedules',
    text: 'Scheduled configuration changes appear here once the server provides their API.',
  },
} as const;

/** A screen whose server API has not landed yet: says so plainly instead of pretending. */
export default function PendingApiPage({ feature }: { feature: keyof typeof FEATURES }) {
  const { title, text } = FEATURES[feature];
  return (
    <Stack>
      <Title order={1} size="h2">
        {title}
      </Title>
      <Alert color="gray" title="Not available yet">
        {text}
      </Alert>
    </Stack>
  );
}
