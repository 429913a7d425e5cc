import { useState } from 'react';
import { useNavigate } from 'react-router';
import { Button, Modal, Select, Stack, TagsInput, Textarea, TextInput } from '@mantine/core';
import { fieldError } from '../api/problem';
import { FormProblem } from '../components/States';
import { useCreateFlag } from './useFlags';

/** A new flag: treatments on/off unless others are named; it starts disabled everywhere, serving off. */
export default function CreateFlagModal({ project, opened, onClose }: { project: string; opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const create = useCreateFlag(project);
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [ownerTeam, setOwnerTeam] = useState('');
  const [kind, setKind] = useState('release');
  const [tags, setTags] = useState<string[]>([]);
  const [treatments, setTreatments] = useState<string[]>(['on', 'off']);
  const e = (pointer: string) => fieldError(create.error, pointer);
  return (
    <Modal opened={opened} onClose={onClose} title="New flag">
      <form
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate(
            { key, description, ownerTeam, kind, tags, treatments: treatments.map((name) => ({ name })) },
            { onSuccess: (flag) => navigate(`/projects/${project}/flags/${flag.key}`) },
          );
        }}
      >
        <Stack gap="xs">
          <TextInput label="Key" description="lowercase letters, digits, . _ -" required value={key} onChange={(x) => setKey(x.currentTarget.value)} error={e('/key')} data-autofocus />
          <Textarea label="Description" value={description} onChange={(x) => setDescription(x.currentTarget.value)} error={e('/description')} />
          <TextInput label="Owner team" value={ownerTeam} onChange={(x) => setOwnerTeam(x.currentTarget.value)} error={e('/ownerTeam')} />
          <Select label="Kind" data={['release', 'experiment', 'ops', 'permission']} value={kind} onChange={(k) => k && setKind(k)} allowDeselect={false} error={e('/kind')} />
          <TagsInput label="Tags" value={tags} onChange={setTags} error={e('/tags')} />
          <TagsInput label="Treatments" value={treatments} onChange={setTreatments} error={e('/treatments')} />
          <FormProblem error={create.error} />
          <Button type="submit" loading={create.isPending}>
            Create flag
          </Button>
        </Stack>
      </form>
    </Modal>
  );
}
