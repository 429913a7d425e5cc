import { Alert, Stack, Title } from '@mantine/core';

const FEATURES = {
  alerts: {
    title: 'Alerts',
    text: 'Guardrail alerts (list, acknowledge, resolve) appear here once the server provides their API. Notification channels and delivered notifications are under Teams and channels and Notifications.',
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
