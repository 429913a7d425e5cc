import { Badge, Tooltip } from '@mantine/core';

/** The sample-ratio-mismatch check at a glance: a mismatch means the numbers cannot be trusted. */
export default function SrmBadge({ status, pValue }: { status: string; pValue?: number | null }) {
  const p = pValue != null ? ` (p = ${pValue < 0.0001 ? pValue.toExponential(2) : pValue.toFixed(4)})` : '';
  const [color, text, help] =
    status === 'MISMATCH'
      ? ['red', 'SRM: mismatch', 'Arms are not in the configured proportions: find why before trusting any number.']
      : status === 'OK'
        ? ['green', 'SRM: OK', 'Arms are in the configured proportions.']
        : status === 'NO_SPLIT'
          ? ['gray', 'SRM: no split', 'The flag serves no split here, so there is no ratio to check.']
          : ['gray', 'SRM: not enough data', 'Checked once every arm expects at least 8 users.'];
  return (
    <Tooltip label={help + p} multiline w={260}>
      <Badge color={color} variant={status === 'MISMATCH' ? 'filled' : 'light'} data-testid="srm-badge" tabIndex={0}>
        {text}
        {p}
      </Badge>
    </Tooltip>
  );
}
