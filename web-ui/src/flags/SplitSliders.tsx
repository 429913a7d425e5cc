import { Group, NumberInput, Slider, Stack, Text } from '@mantine/core';
import type { Split } from '../api/types';
import { percent, rebalance, total, TOTAL } from './splits';

interface Props {
  split: Split[];
  onChange: (split: Split[]) => void;
  readOnly?: boolean;
  error?: string;
  /** Names the group for screen readers, e.g. "Default rule split". */
  label: string;
}

/**
 * One slider (and an exact percentage box) per treatment. Moving one arm moves the others so the weights always add
 * up to 100%; arrow keys step by 1%, the box takes hundredths.
 */
export default function SplitSliders({ split, onChange, readOnly, error, label }: Props) {
  const sum = total(split);
  return (
    <Stack gap="xs" role="group" aria-label={label}>
      {split.map((arm, i) => (
        <Group key={arm.treatment} gap="sm" wrap="nowrap" align="center">
          <Text size="sm" w={90} truncate="end" title={arm.treatment}>
            {arm.treatment}
          </Text>
          <Slider
            style={{ flex: 1 }}
            min={0}
            max={TOTAL}
            step={100}
            value={arm.weight}
            onChange={(value) => onChange(rebalance(split, i, value))}
            label={(value) => percent(value)}
            disabled={readOnly}
            thumbLabel={`Weight of ${arm.treatment}`}
            aria-label={`Weight of ${arm.treatment}`}
          />
          <NumberInput
            w={100}
            size="xs"
            aria-label={`${arm.treatment} %`}
            value={arm.weight / 100}
            min={0}
            max={100}
            step={1}
            decimalScale={2}
            suffix="%"
            disabled={readOnly}
            onChange={(value) => {
              const number = typeof value === 'number' ? value : Number(value);
              if (Number.isFinite(number)) onChange(rebalance(split, i, Math.round(number * 100)));
            }}
          />
        </Group>
      ))}
      {(sum !== TOTAL || error) && (
        <Text size="xs" c="red" role="alert">
          {error ?? `Weights add up to ${percent(sum)}; they must add up to 100%`}
        </Text>
      )}
    </Stack>
  );
}
