import { Button, Checkbox, Stack } from '@mantine/core';
import { useState } from 'react';
import { useAudit } from '../audit/useAudit';
import AuditEntryCard from '../audit/AuditEntryCard';
import { Empty, Loading, ProblemAlert } from '../components/States';

/** The flag's change history: its definition and its configuration here (or everywhere), with what changed. */
export default function HistoryPanel({ project, flag, environment }: { project: string; flag: string; environment: string }) {
  const [everywhere, setEverywhere] = useState(false);
  const { entries, loading, error, more, loadMore, loadingMore } = useAudit({ project, flag });
  if (loading) return <Loading />;
  if (error) return <ProblemAlert error={error} />;
  const shown = everywhere ? entries : entries.filter((e) => !e.environment || e.environment === environment);
  return (
    <Stack gap="sm">
      <Checkbox label="Show changes in every environment" checked={everywhere} onChange={(e) => setEverywhere(e.currentTarget.checked)} />
      {shown.length === 0 && <Empty title="No changes yet" />}
      {shown.map((entry) => (
        <AuditEntryCard key={entry.id} entry={entry} />
      ))}
      {more && (
        <Button variant="default" onClick={loadMore} loading={loadingMore} w="fit-content">
          Older changes
        </Button>
      )}
    </Stack>
  );
}
