import { SegmentedControl, Select, Stack } from '@mantine/core';
import type { Serve } from '../api/types';
import { fieldError } from '../api/problem';
import SplitSliders from './SplitSliders';
import { evenSplit } from './splits';

interface Props {
  serve: Serve;
  treatments: string[];
  onChange: (serve: Serve) => void;
  readOnly?: boolean;
  errors: unknown;
  /** Pointer of this serve in the configuration, e.g. `/rules/0/serve` or `/defaultServe`. */
  pointer: string;
  label: string;
}

/** What a rule serves: one fixed treatment, or a split with weights. */
export default function ServeEditor({ serve, treatments, onChange, readOnly, errors, pointer, label }: Props) {
  const isSplit = Array.isArray(serve.split);
  return (
    <Stack gap="xs">
      <SegmentedControl
        size="xs"
        w="fit-content"
        aria-label={`${label}: serve`}
        disabled={readOnly}
        value={isSplit ? 'split' : 'fixed'}
        onChange={(mode) =>
          onChange(
            mode === 'split'
              ? { split: evenSplit(treatments) }
              : { treatment: serve.split?.[0]?.treatment ?? treatments[0] },
          )
        }
        data={[
          { value: 'fixed', label: 'Serve a treatment' },
          { value: 'split', label: 'Split by weight' },
        ]}
      />
      {isSplit ? (
        <SplitSliders
          label={`${label} split`}
          split={(serve.split ?? []).map((s) => ({ treatment: s.treatment ?? '', weight: s.weight ?? 0 }))}
          onChange={(split) => onChange({ split })}
          readOnly={readOnly}
          error={fieldError(errors, `${pointer}/split`)}
        />
      ) : (
        <Select
          label={`${label}: treatment`}
          data={treatments}
          value={serve.treatment ?? null}
          onChange={(treatment) => treatment && onChange({ treatment })}
          disabled={readOnly}
          allowDeselect={false}
          error={fieldError(errors, `${pointer}/treatment`) ?? fieldError(errors, pointer)}
          w={220}
        />
      )}
    </Stack>
  );
}
