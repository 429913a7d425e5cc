import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithTheme } from '../../test/render';
import RulesEditor from './RulesEditor';
import { localProblems } from './TargetingPanel';
import { ApiError, localErrors, mergeErrors } from '../api/problem';
import type { Rule } from '../api/types';

/** The editor as the targeting screen uses it: local checks merged with whatever the server said. */
function Editor({ initial = [], server = null }: { initial?: Rule[]; server?: ApiError | null }) {
  const [rules, setRules] = useState<Rule[]>(initial);
  const local = localErrors(localProblems({ rules, enabled: true, offTreatment: 'off', defaultServe: { treatment: 'off' } }, ['staff', 'beta']));
  return <RulesEditor rules={rules} onChange={setRules} treatments={['on', 'off']} segments={['staff', 'beta']} errors={mergeErrors(server, local)} />;
}

/** The visible input of a labelled field (tags inputs also carry a hidden one with the same label). */
function input(label: string): HTMLElement {
  const found = screen.getAllByLabelText(label).find((el) => el instanceof HTMLInputElement && el.type !== 'hidden');
  if (!found) throw new Error(`no visible input labelled ${label}`);
  return found;
}

const countryRule: Rule = {
  id: 'nordics',
  conditions: [{ attribute: 'country', operator: 'IN', values: ['NO'], negate: false, caseInsensitive: false }],
  serve: { treatment: 'on' } as Rule['serve'],
};

describe('RulesEditor', () => {
  it('adds a rule with one condition that serves a treatment', async () => {
    renderWithTheme(<Editor />);
    expect(screen.getByText('No rules: everyone gets the default rule.')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    const rule = screen.getByRole('region', { name: 'Rule 1' });
    expect(within(rule).getByLabelText('Rule 1 id')).toHaveValue('rule-1');
    expect(within(rule).getByLabelText('Rule 1 condition 1: attribute')).toHaveValue('key');
    expect(within(rule).getByRole('combobox', { name: 'Rule 1 condition 1: operator' })).toHaveValue('is one of');
    // an IN condition without values is caught before saving
    expect(within(rule).getByText('needs at least one value')).toBeInTheDocument();
  });

  it('shows the input the operator needs and checks its values', async () => {
    renderWithTheme(<Editor initial={[countryRule]} />);
    const operator = screen.getByRole('combobox', { name: 'Rule 1 condition 1: operator' });
    await userEvent.click(operator);
    await userEvent.click(await screen.findByRole('option', { name: '≥ (number)' }));
    // changing kind drops values that no longer make sense
    const numbers = input('Rule 1 condition 1: Numbers');
    await userEvent.type(numbers, 'eighteen{enter}');
    expect(await screen.findByText("0: 'eighteen' is not a number")).toBeInTheDocument();

    await userEvent.click(operator);
    await userEvent.click(await screen.findByRole('option', { name: 'is true' }));
    expect(screen.queryByLabelText(/Rule 1 condition 1: (Numbers|Values)/)).not.toBeInTheDocument();
    expect(screen.queryByText(/not a number/)).not.toBeInTheDocument();

    await userEvent.click(operator);
    await userEvent.click(await screen.findByRole('option', { name: '≥ (semver)' }));
    await userEvent.type(input('Rule 1 condition 1: Versions (SemVer)'), '2.1{enter}');
    expect(await screen.findByText(/'2.1' is not a semantic version/)).toBeInTheDocument();
  });

  it('offers the environment segments for "is in segment"', async () => {
    renderWithTheme(<Editor initial={[countryRule]} />);
    await userEvent.click(screen.getByRole('combobox', { name: 'Rule 1 condition 1: operator' }));
    await userEvent.click(await screen.findByRole('option', { name: 'is in segment' }));
    await userEvent.click(input('Rule 1 condition 1: Segments'));
    expect(await screen.findByRole('option', { name: 'staff' })).toBeInTheDocument();
    expect(screen.getByRole('option', { name: 'beta' })).toBeInTheDocument();
  });

  it('shows the server’s problem next to the field its pointer names', () => {
    const server = new ApiError({
      type: 'about:blank',
      title: 'Invalid request',
      status: 400,
      detail: '2 fields are invalid',
      errors: [
        { pointer: '/rules/0/conditions/0/attribute', detail: 'must not be blank' },
        { pointer: '/rules/0/serve/treatment', detail: "unknown treatment 'maybe'; known: [on, off]" },
      ],
    });
    renderWithTheme(<Editor initial={[countryRule]} server={server} />);
    expect(screen.getByLabelText('Rule 1 condition 1: attribute')).toHaveAccessibleDescription('must not be blank');
    expect(screen.getByRole('combobox', { name: 'Rule 1: treatment' })).toHaveAccessibleDescription(
      "unknown treatment 'maybe'; known: [on, off]",
    );
  });

  it('switches a rule from a fixed treatment to a split with weights', async () => {
    renderWithTheme(<Editor initial={[countryRule]} />);
    await userEvent.click(screen.getByRole('radio', { name: 'Split by weight' }));
    expect(screen.getByRole('group', { name: 'Rule 1 split' })).toBeInTheDocument();
    expect(screen.getByRole('slider', { name: 'Weight of on' })).toHaveAttribute('aria-valuenow', '5000');
  });

  it('reorders and removes rules', async () => {
    renderWithTheme(<Editor initial={[countryRule, { ...countryRule, id: 'second' }]} />);
    await userEvent.click(screen.getByRole('button', { name: 'Move rule 2 up' }));
    expect(screen.getByLabelText('Rule 1 id')).toHaveValue('second');
    await userEvent.click(screen.getByRole('button', { name: 'Remove rule 1' }));
    expect(screen.getByLabelText('Rule 1 id')).toHaveValue('nordics');
    expect(screen.queryByLabelText('Rule 2 id')).not.toBeInTheDocument();
  });
});
