/**
 * The state document: encode, decode back to the same states, and every problem named by its path.
 *
 * | document                                | decodes to                                          |
 * |-----------------------------------------|-----------------------------------------------------|
 * | encodeStates(states of a cycle)         | the same states                                     |
 * | examples/states.json                    | its states (the example the help points to)         |
 * | a bare array                            | (root): a bare list is not a state document         |
 * | kind other than hr2ad-state             | kind: expected "hr2ad-state"                        |
 * | version 2 / "1"                         | version: … is not supported                         |
 * | a bad phase, a bad instant, an extra key| states.N.<path>: …                                  |
 * | one worker twice                        | states.1.workerKey: … is already at states.0        |
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeStates, encodeStates, stateDocumentJsonSchema } from '../../../shared/planner/state-codec';
import { ada, runCycles } from './fixtures';

const states = runCycles([
  { at: '2025-03-01T09:00:00.000Z', records: [ada(), ada({ id: '2' })] },
]).result.results.flatMap((r) => (r.nextState ? [r.nextState] : []));
const document = JSON.parse(JSON.stringify(encodeStates(states))) as { states: Array<Record<string, unknown>> };

function withState(i: number, change: (s: Record<string, unknown>) => Record<string, unknown>) {
  return { ...document, states: document.states.map((s, j) => (j === i ? change(s) : s)) };
}

function paths(value: unknown): string[] {
  const decoded = decodeStates(value);
  if (decoded.ok) throw new Error('expected a failure');
  return decoded.issues.map((i) => `${i.path}: ${i.message}`);
}

describe('state codec', () => {
  it('decodes what it encodes, through JSON', () => {
    expect(document).toMatchObject({ kind: 'hr2ad-state', version: 1 });
    expect(decodeStates(document)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(states)) });
  });

  it('reads examples/states.json, the example the help points to', () => {
    const example = JSON.parse(readFileSync(join(__dirname, '../../../examples/states.json'), 'utf8')) as unknown;
    const decoded = decodeStates(example);
    expect(decoded.ok ? decoded.value.map((s) => s.workerKey) : decoded.issues).toEqual([
      'workday:1001',
      'workday:1000',
      'workday:1004',
      'workday:1002',
    ]);
  });

  it.each([
    ['a bare array', document.states, /^\(root\): a bare list is not a state document/],
    ['another kind', { ...document, kind: 'hr2ad-preview' }, /^kind: expected "hr2ad-state", got "hr2ad-preview"/],
    [
      'a newer version',
      { ...document, version: 2 },
      /^version: version 2 is not supported: this hr2ad reads version 1/,
    ],
    ['a version as text', { ...document, version: '1' }, /^version: version "1" is not supported/],
    ['not an object', 'states', /^\(root\): expected a state document/],
  ] as [string, unknown, RegExp][])('refuses %s as a whole', (_name, value, expected) => {
    const issues = paths(value);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(expected);
  });

  it('names every problem by its path', () => {
    const broken = withState(1, (s) => ({
      ...s,
      desired: { ...(s.desired as object), phase: 'sleeping' },
      existence: { createdAt: 'yesterday', deletedAt: null },
      surprise: true,
    }));
    const issues = paths(broken);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^states\.1\.desired\.phase: /),
        expect.stringMatching(/^states\.1\.existence\.createdAt: /),
        expect.stringMatching(/^states\.1: .*surprise/),
      ]),
    );
  });

  it('refuses one worker stored twice', () => {
    expect(paths({ ...document, states: [document.states[0], document.states[0]] })).toEqual([
      'states.1.workerKey: workday:1001 is already at states.0',
    ]);
  });

  it('has a JSON Schema with its $id', () => {
    expect(stateDocumentJsonSchema()).toMatchObject({
      $id: 'https://hr2ad.dev/schemas/last-known-state.v1.schema.json',
      type: 'object',
      required: expect.arrayContaining(['kind', 'version', 'states']),
    });
  });
});
