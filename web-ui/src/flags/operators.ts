import type { Condition } from '../api/types';
import type { FieldErrors } from '../api/problem';

/**
 * The condition operators of the evaluation engine (docs/evaluation.md) and what their values are, so the editor
 * shows the right input and catches obvious mistakes before the server does. The server's validator (the SDK's own)
 * stays the judge: its answers are shown on the same fields.
 */
export type ValueKind = 'text' | 'regex' | 'number' | 'date' | 'semver' | 'cidr' | 'segment' | 'none';

export interface OperatorInfo {
  value: string;
  label: string;
  kind: ValueKind;
}

export const OPERATORS: OperatorInfo[] = [
  { value: 'IN', label: 'is one of', kind: 'text' },
  { value: 'STARTS_WITH', label: 'starts with', kind: 'text' },
  { value: 'ENDS_WITH', label: 'ends with', kind: 'text' },
  { value: 'CONTAINS', label: 'contains', kind: 'text' },
  { value: 'MATCHES', label: 'matches regex (RE2)', kind: 'regex' },
  { value: 'EQ', label: '= (number)', kind: 'number' },
  { value: 'LT', label: '< (number)', kind: 'number' },
  { value: 'LTE', label: '≤ (number)', kind: 'number' },
  { value: 'GT', label: '> (number)', kind: 'number' },
  { value: 'GTE', label: '≥ (number)', kind: 'number' },
  { value: 'BEFORE', label: 'before (date)', kind: 'date' },
  { value: 'AFTER', label: 'after (date)', kind: 'date' },
  { value: 'SEMVER_EQ', label: '= (semver)', kind: 'semver' },
  { value: 'SEMVER_LT', label: '< (semver)', kind: 'semver' },
  { value: 'SEMVER_LTE', label: '≤ (semver)', kind: 'semver' },
  { value: 'SEMVER_GT', label: '> (semver)', kind: 'semver' },
  { value: 'SEMVER_GTE', label: '≥ (semver)', kind: 'semver' },
  { value: 'IN_CIDR', label: 'in IP range (CIDR)', kind: 'cidr' },
  { value: 'IN_SEGMENT', label: 'is in segment', kind: 'segment' },
  { value: 'IS_TRUE', label: 'is true', kind: 'none' },
];

export function operatorInfo(operator: string): OperatorInfo {
  return OPERATORS.find((o) => o.value === operator) ?? { value: operator, label: operator, kind: 'text' };
}

export const VALUE_LABELS: Record<ValueKind, string> = {
  text: 'Values',
  regex: 'Regular expression',
  number: 'Numbers',
  date: 'Dates (ISO-8601 or epoch millis)',
  semver: 'Versions (SemVer)',
  cidr: 'IP ranges (CIDR)',
  segment: 'Segments',
  none: '',
};

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/(\d|[12]\d|3[0-2]))?$/;
const IPV6_CIDR = /^[0-9a-fA-F:.]+(\/(\d{1,2}|1[01]\d|12[0-8]))?$/;

/** Why `value` is not a valid value for an operator of this kind, or null when it is. */
export function valueProblem(kind: ValueKind, value: string): string | null {
  switch (kind) {
    case 'number':
      return value.trim() !== '' && Number.isFinite(Number(value)) ? null : `'${value}' is not a number`;
    case 'date':
      return /^\d+$/.test(value) || !Number.isNaN(Date.parse(value)) ? null : `'${value}' is not an ISO-8601 date`;
    case 'semver':
      return SEMVER.test(value.replace(/^v/, '')) ? null : `'${value}' is not a semantic version (e.g. 2.1.0)`;
    case 'cidr': {
      if (IPV4_CIDR.test(value)) {
        return value.split('/')[0].split('.').every((octet) => Number(octet) <= 255) ? null : `'${value}' is not an IP range`;
      }
      return value.includes(':') && IPV6_CIDR.test(value) ? null : `'${value}' is not an IP range such as 10.0.0.0/8`;
    }
    case 'regex':
      try {
        new RegExp(value);
        return null;
      } catch {
        return `'${value}' is not a valid regular expression`;
      }
    default:
      return null;
  }
}

/** Client-side findings for one condition, keyed by JSON pointers under `base` (as the server would name them). */
export function conditionProblems(condition: Condition, base: string, segments: string[]): FieldErrors {
  const errors: FieldErrors = {};
  const info = OPERATORS.find((o) => o.value === condition.operator);
  if (!condition.attribute?.trim()) errors[`${base}/attribute`] = 'is required';
  if (!info) {
    errors[`${base}/operator`] = `unknown operator '${condition.operator}'`;
    return errors;
  }
  if (info.kind !== 'none' && condition.values.length === 0) errors[`${base}/values`] = 'needs at least one value';
  condition.values.forEach((value, i) => {
    const problem =
      info.kind === 'segment'
        ? segments.includes(value)
          ? null
          : `unknown segment '${value}'`
        : valueProblem(info.kind, value);
    if (problem) errors[`${base}/values/${i}`] = problem;
  });
  return errors;
}

export function emptyCondition(): Condition {
  return { attribute: 'key', operator: 'IN', values: [], negate: false, caseInsensitive: false };
}

/** Values that still make sense when the operator changes kind are kept; others are dropped. */
export function withOperator(condition: Condition, operator: string): Condition {
  const from = operatorInfo(condition.operator).kind;
  const to = operatorInfo(operator).kind;
  return { ...condition, operator, values: from === to ? condition.values : [] };
}
