import { Button, Group, Stack, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { Empty, Loading, ProblemAlert } from '../components/States';
import AuditEntryCard from './AuditEntryCard';
import { useAudit } from './useAudit';
import { useFilterParams } from '../components/filterParams';

/** Every change of anything, newest first; filters live in the address so a filtered view can be shared. */
export default function AuditPage() {
  const [params, set] = useFilterParams();
  const filters = {
    project: params.get('project') ?? '',
    flag: params.get('flag') ?? '',
    actor: params.get('actor') ?? '',
    since: params.get('since') ?? '',
  };
  const [debounced] = useDebouncedValue(filters, 300);
  const { entries, loading, error, more, loadMore, loadingMore } = useAudit({
    ...debounced,
    since: debounced.since ? new Date(debounced.since).toISOString() : undefined,
  });
  return (
    <Stack>
      <Title order={1} size="h2">
        Audit log
      </Title>
      <Group wrap="wrap" align="flex-end" role="search" aria-label="Filter the audit log">
        <TextInput label="Project" value={filters.project} onChange={(e) => set('project', e.currentTarget.value)} />
        <TextInput label="Flag" value={filters.flag} onChange={(e) => set('flag', e.currentTarget.value)} />
        <TextInput label="Actor" placeholder="user:alice" value={filters.actor} onChange={(e) => set('actor', e.currentTarget.value)} />
        <TextInput label="Since" type="datetime-local" value={filters.since} onChange={(e) => set('since', e.currentTarget.value)} />
      </Group>
      <ProblemAlert error={error} />
      {loading ? <Loading /> : entries.length === 0 ? <Empty title="No changes match" /> : entries.map((e) => <AuditEntryCard key={e.id} entry={e} />)}
      {more && (
        <Button variant="default" w="fit-content" onClick={loadMore} loading={loadingMore}>
          Older entries
        </Button>
      )}
    </Stack>
  );
}
