import { describe, expect, it } from 'vitest';
import { ApiError, fieldError, mergeErrors, rebase, toProblem } from './problem';
import { commentHeader } from './client';

const invalid = new ApiError(
  toProblem(400, {
    type: 'about:blank',
    title: 'Invalid request',
    status: 400,
    detail: '2 fields are invalid',
    errors: [
      { pointer: '/rules/0/conditions/0/values/0', detail: "'eighteen' is not a number" },
      { pointer: '/offTreatment', detail: "unknown treatment 'maybe'; known: [on, off]" },
    ],
  }),
);

describe('problems', () => {
  it('reads an RFC 9457 problem with its field errors', () => {
    expect(invalid.status).toBe(400);
    expect(invalid.message).toBe('2 fields are invalid');
    expect(invalid.problem.errors).toHaveLength(2);
  });

  it('gives each field its own message, and a parent field its children’s', () => {
    expect(fieldError(invalid, '/offTreatment')).toBe("unknown treatment 'maybe'; known: [on, off]");
    expect(fieldError(invalid, '/rules/0/conditions/0/values')).toBe("0: 'eighteen' is not a number");
    expect(fieldError(invalid, '/rules/0/conditions/0/attribute')).toBeUndefined();
    expect(fieldError(invalid, '/rules/1')).toBeUndefined();
    // no false friends: /rules/0 is not a prefix of /rules/01
    expect(fieldError(invalid, '/rules/0/conditions/0/value')).toBeUndefined();
    expect(fieldError(new Error('network'), '/offTreatment')).toBeUndefined();
  });

  it('re-roots a preview’s pointers onto the editor’s', () => {
    const preview = new ApiError(
      toProblem(400, { status: 400, title: 'Invalid request', detail: 'x', errors: [{ pointer: '/draft/configuration/defaultServe/split', detail: 'weights must sum to 10000' }, { pointer: '/key', detail: 'is required' }] }),
    );
    const rebased = rebase(preview, '/draft/configuration');
    expect(fieldError(rebased, '/defaultServe/split')).toBe('weights must sum to 10000');
    expect(fieldError(rebased, '/key')).toBeUndefined();
    expect(fieldError(mergeErrors(invalid, rebased), '/defaultServe')).toBe('split: weights must sum to 10000');
  });

  it('copes with answers that are not problems', () => {
    expect(toProblem(502, '<html>Bad gateway</html>', 'Bad Gateway')).toMatchObject({ status: 502, title: 'Bad Gateway', errors: [] });
    expect(toProblem(412, { title: 'Precondition failed', status: 412, detail: 'stale' })).toMatchObject({ status: 412, detail: 'stale' });
    expect(new ApiError(toProblem(412, {})).isConflict).toBe(true);
    expect(new ApiError(toProblem(401, {})).isUnauthorized).toBe(true);
  });

  it('sends audit comments beyond Latin-1 as an RFC 8187 extended value', () => {
    expect(commentHeader('error rate up')).toEqual({ 'X-Dimmer-Comment': 'error rate up' });
    expect(commentHeader('  ')).toEqual({});
    expect(commentHeader('rollback ✓ 東京')).toEqual({ 'X-Dimmer-Comment': "UTF-8''rollback%20%E2%9C%93%20%E6%9D%B1%E4%BA%AC" });
  });
});
