import { useState } from 'react';
import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';

interface Props {
  opened: boolean;
  flag: string;
  environment: string;
  offTreatment: string;
  pending: boolean;
  error: unknown;
  onClose: () => void;
  onKill: (comment: string) => void;
}

/** The kill switch asks once, and asks why: the comment goes to the audit log with the kill. */
export default function KillDialog({ opened, flag, environment, offTreatment, pending, error, onClose, onKill }: Props) {
  const [comment, setComment] = useState('');
  return (
    <Modal opened={opened} onClose={onClose} title={`Kill ${flag} in ${environment}?`} centered>
      <Stack>
        <Text size="sm">
          Everyone gets <b>{offTreatment}</b> within seconds, whatever the rules say, until someone restores it.
        </Text>
        <Textarea
          label="Why (recorded in the audit log)"
          required
          autosize
          minRows={2}
          value={comment}
          onChange={(e) => setComment(e.currentTarget.value)}
          data-autofocus
        />
        {error != null && (
          <Alert color="red" role="alert">
            {error instanceof Error ? error.message : String(error)}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button color="red" disabled={!comment.trim()} loading={pending} onClick={() => onKill(comment)}>
            Kill flag
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
