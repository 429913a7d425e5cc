import { useParams } from 'react-router';
import { Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { Empty, Loading, ProblemAlert } from '../components/States';
import { useEnvironments } from '../projects/useProjects';
import { canEdit, useSession } from '../session/useSession';
import ScheduleTable from './ScheduleTable';
import { useCancelSchedule, useProjectSchedules } from './useSchedules';
import { useFilterParams } from '../components/filterParams';

/** Every scheduled change of a project, filtered by environment, flag and status (kept in the address). */
export default function SchedulesPage() {
  const { project = '' } = useParams();
  const [params, set] = useFilterParams();
  const { session } = useSession();
  const { environments } = useEnvironments(project);
  const filters = { environment: params.get('env') ?? '', flag: params.get('flag') ?? '', status: params.get('status') ?? 'PENDING' };
  const { schedules, loading, error } = useProjectSchedules(project, filters);
  const cancel = useCancelSchedule(project);
  return (
    <Stack>
      <Title order={1} size="h2">
        Schedules
      </Title>
      <Group align="flex-end" gap="sm" wrap="wrap">
        <Select
          label="Environment"
          placeholder="All"
          clearable
          data={environments.filter((e) => !e.archived).map((e) => ({ value: e.key, label: e.name || e.key }))}
          value={filters.environment || null}
          onChange={(v) => set('env', v)}
          w={{ base: '100%', xs: 180 }}
        />
        <TextInput label="Flag" placeholder="flag key" value={filters.flag} onChange={(e) => set('flag', e.currentTarget.value)} w={{ base: '100%', xs: 180 }} />
        <Select
          label="Status"
          data={[
            { value: 'PENDING', label: 'Pending' },
            { value: 'APPLIED', label: 'Applied' },
            { value: 'FAILED', label: 'Failed' },
            { value: 'CANCELLED', label: 'Cancelled' },
            { value: 'ALL', label: 'All' },
          ]}
          value={filters.status}
          onChange={(v) => set('status', v)}
          allowDeselect={false}
          w={{ base: '100%', xs: 160 }}
        />
      </Group>
      <ProblemAlert error={error ?? cancel.error} />
      {loading ? (
        <Loading />
      ) : schedules.length === 0 ? (
        <Empty title="No scheduled changes match">Schedule one on a flag's Schedules tab.</Empty>
      ) : (
        <ScheduleTable
          schedules={schedules}
          project={project}
          showFlag
          canCancel={() => canEdit(session, project)}
          onCancel={(s) => cancel.mutate(s)}
          cancelling={cancel.isPending ? cancel.variables?.id : undefined}
        />
      )}
    </Stack>
  );
}
