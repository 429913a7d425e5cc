import { ActionIcon, Button, Checkbox, Group, MultiSelect, Paper, Select, Stack, TagsInput, Text, TextInput } from '@mantine/core';
import type { Condition, Rule } from '../api/types';
import { fieldError } from '../api/problem';
import { emptyCondition, OPERATORS, operatorInfo, VALUE_LABELS, withOperator } from './operators';
import ServeEditor from './ServeEditor';

interface Props {
  rules: Rule[];
  onChange: (rules: Rule[]) => void;
  treatments: string[];
  segments: string[];
  /** Server problems and local findings, pointers rooted at the configuration (`/rules/0/...`). */
  errors: unknown;
  readOnly?: boolean;
}

const ATTRIBUTE_SUGGESTIONS = ['key', 'email', 'country', 'plan', 'appVersion', 'ip', 'currentTime'];

/**
 * Targeting rules, tried in order: each has conditions that must all hold and serves a treatment or a split. Values
 * are entered with the input their operator needs (numbers, dates, versions, IP ranges, segments).
 */
export default function RulesEditor({ rules, onChange, treatments, segments, errors, readOnly }: Props) {
  const update = (index: number, rule: Rule) => onChange(rules.map((r, i) => (i === index ? rule : r)));
  const move = (index: number, by: number) => {
    const next = [...rules];
    const [rule] = next.splice(index, 1);
    next.splice(index + by, 0, rule);
    onChange(next);
  };
  return (
    <Stack gap="sm">
      <datalist id="dimmer-attributes">
        {ATTRIBUTE_SUGGESTIONS.map((a) => (
          <option key={a} value={a} />
        ))}
      </datalist>
      {rules.length === 0 && (
        <Text size="sm" c="dimmed">
          No rules: everyone gets the default rule.
        </Text>
      )}
      {rules.map((rule, index) => {
        const base = `/rules/${index}`;
        return (
          <Paper key={index} withBorder p="sm" component="section" aria-label={`Rule ${index + 1}`}>
            <Stack gap="xs">
              <Group justify="space-between" wrap="wrap" gap="xs">
                <TextInput
                  size="xs"
                  label={`Rule ${index + 1} id`}
                  value={rule.id}
                  onChange={(e) => update(index, { ...rule, id: e.currentTarget.value })}
                  error={fieldError(errors, `${base}/id`)}
                  disabled={readOnly}
                  w={200}
                />
                {!readOnly && (
                  <Group gap={4}>
                    <ActionIcon variant="default" aria-label={`Move rule ${index + 1} up`} disabled={index === 0} onClick={() => move(index, -1)}>
                      <span aria-hidden>↑</span>
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      aria-label={`Move rule ${index + 1} down`}
                      disabled={index === rules.length - 1}
                      onClick={() => move(index, 1)}
                    >
                      <span aria-hidden>↓</span>
                    </ActionIcon>
                    <Button size="compact-xs" variant="subtle" color="red" onClick={() => onChange(rules.filter((_, i) => i !== index))}>
                      Remove rule {index + 1}
                    </Button>
                  </Group>
                )}
              </Group>
              <Text size="xs" fw={600}>
                When all of these hold
              </Text>
              {rule.conditions.map((condition, ci) => (
                <ConditionEditor
                  key={ci}
                  condition={condition}
                  label={`Rule ${index + 1} condition ${ci + 1}`}
                  pointer={`${base}/conditions/${ci}`}
                  segments={segments}
                  errors={errors}
                  readOnly={readOnly}
                  onChange={(c) => update(index, { ...rule, conditions: rule.conditions.map((old, j) => (j === ci ? c : old)) })}
                  onRemove={() => update(index, { ...rule, conditions: rule.conditions.filter((_, j) => j !== ci) })}
                />
              ))}
              {fieldError(errors, `${base}/conditions`) && rule.conditions.length === 0 && (
                <Text size="xs" c="red">
                  {fieldError(errors, `${base}/conditions`)}
                </Text>
              )}
              {!readOnly && (
                <Button
                  size="compact-xs"
                  variant="light"
                  w="fit-content"
                  onClick={() => update(index, { ...rule, conditions: [...rule.conditions, emptyCondition()] })}
                >
                  Add condition to rule {index + 1}
                </Button>
              )}
              <ServeEditor
                label={`Rule ${index + 1}`}
                serve={rule.serve}
                treatments={treatments}
                pointer={`${base}/serve`}
                errors={errors}
                readOnly={readOnly}
                onChange={(serve) => update(index, { ...rule, serve: serve as Rule['serve'] })}
              />
            </Stack>
          </Paper>
        );
      })}
      {!readOnly && (
        <Button
          variant="light"
          w="fit-content"
          onClick={() =>
            onChange([
              ...rules,
              { id: nextRuleId(rules), conditions: [emptyCondition()], serve: { treatment: treatments[0] } as Rule['serve'] },
            ])
          }
        >
          Add rule
        </Button>
      )}
    </Stack>
  );
}

function nextRuleId(rules: Rule[]): string {
  let n = rules.length + 1;
  while (rules.some((r) => r.id === `rule-${n}`)) n++;
  return `rule-${n}`;
}

interface ConditionProps {
  condition: Condition;
  label: string;
  pointer: string;
  segments: string[];
  errors: unknown;
  readOnly?: boolean;
  onChange: (condition: Condition) => void;
  onRemove: () => void;
}

export function ConditionEditor({ condition, label, pointer, segments, errors, readOnly, onChange, onRemove }: ConditionProps) {
  const info = operatorInfo(condition.operator);
  const valuesError = fieldError(errors, `${pointer}/values`);
  const valuesLabel = `${label}: ${VALUE_LABELS[info.kind]}`;
  return (
    <Group align="flex-start" gap="xs" wrap="wrap" role="group" aria-label={label}>
      <TextInput
        size="xs"
        label={`${label}: attribute`}
        value={condition.attribute}
        onChange={(e) => onChange({ ...condition, attribute: e.currentTarget.value })}
        error={fieldError(errors, `${pointer}/attribute`)}
        disabled={readOnly}
        w={140}
        list="dimmer-attributes"
      />
      <Select
        size="xs"
        label={`${label}: operator`}
        data={OPERATORS.map((o) => ({ value: o.value, label: o.label }))}
        value={condition.operator}
        onChange={(operator) => operator && onChange(withOperator(condition, operator))}
        error={fieldError(errors, `${pointer}/operator`)}
        disabled={readOnly}
        allowDeselect={false}
        w={190}
      />
      {info.kind === 'segment' ? (
        <MultiSelect
          size="xs"
          label={valuesLabel}
          data={segments}
          value={condition.values}
          onChange={(values) => onChange({ ...condition, values })}
          error={valuesError}
          disabled={readOnly}
          searchable
          nothingFoundMessage="No segment with that key in this environment"
          miw={200}
          style={{ flex: 1 }}
        />
      ) : info.kind === 'regex' ? (
        <TextInput
          size="xs"
          label={valuesLabel}
          value={condition.values[0] ?? ''}
          onChange={(e) => onChange({ ...condition, values: e.currentTarget.value ? [e.currentTarget.value] : [] })}
          error={valuesError}
          disabled={readOnly}
          miw={200}
          style={{ flex: 1 }}
        />
      ) : info.kind !== 'none' ? (
        <TagsInput
          size="xs"
          label={valuesLabel}
          description="Enter or comma adds a value"
          value={condition.values}
          onChange={(values) => onChange({ ...condition, values })}
          error={valuesError}
          disabled={readOnly}
          miw={200}
          style={{ flex: 1 }}
          acceptValueOnBlur
        />
      ) : null}
      <Stack gap={4} pt={4}>
        <Checkbox
          size="xs"
          label="Negate (NOT)"
          checked={condition.negate}
          onChange={(e) => onChange({ ...condition, negate: e.currentTarget.checked })}
          disabled={readOnly}
          aria-label={`${label}: negate`}
        />
        {(info.kind === 'text' || info.kind === 'regex') && (
          <Checkbox
            size="xs"
            label="Ignore case"
            checked={condition.caseInsensitive}
            onChange={(e) => onChange({ ...condition, caseInsensitive: e.currentTarget.checked })}
            disabled={readOnly}
            aria-label={`${label}: ignore case`}
          />
        )}
      </Stack>
      {!readOnly && (
        <Button size="compact-xs" variant="subtle" color="red" mt={22} onClick={onRemove} aria-label={`Remove ${label}`}>
          Remove
        </Button>
      )}
    </Group>
  );
}
