/**
 * Nested calls shared between the expressions of one configuration (SharedSlots): with one slot array
 * per worker, every expression gives exactly what it gives on its own; equal nested calls in different
 * expressions get one slot; randomness (Guid, RandomString) and failures are never shared.
 *
 * | expressions evaluated in order, one worker             | shared?                | expected               |
 * |--------------------------------------------------------|------------------------|------------------------|
 * | ToLower(Trim-like Replace of [LastName]) in two places | one slot               | same values as alone   |
 * | Join("-", Guid(), Guid()) after Mid(Guid(), 1, 8)      | never                  | as alone, parts differ |
 * | CDate of a bad date, then the same again               | failure not stored     | both fail              |
 * | IgnoreFlowIfNullOrEmpty nested, for an empty value      | signal not stored      | both ignore the flow   |
 */
import {
  CallValues,
  compileExpression,
  parseExpression,
  SharedSlots,
  type EvaluationContext,
  type Value,
} from '../../../../shared/mapping/expression';

const NOW = new Date('2025-03-03T09:00:00Z');

function compileAll(texts: readonly string[], slots?: SharedSlots) {
  return texts.map((text) => {
    const parsed = parseExpression(text);
    if (!parsed.ok) throw new Error(parsed.error.message);
    return compileExpression(parsed.ast, text, slots);
  });
}

function evaluateAll(texts: readonly string[], attributes: Record<string, Value>, share: boolean) {
  const slots = share ? new SharedSlots() : undefined;
  const compiled = compileAll(texts, slots);
  const context: EvaluationContext = { attributes, now: NOW, seed: 'worker-1', ...(share ? { shared: [] } : {}) };
  return { slots, results: compiled.map((c) => c.evaluate(context)) };
}

const CLEAN = 'ToLower(Replace(NormalizeDiacritics([LastName]), , "[^A-Za-z]", , "", , ))';
const TABLE: readonly [string, string[], Record<string, Value>][] = [
  [
    'a cleaned name used in two expressions',
    [`Join(".", ${CLEAN}, "x")`, `Mid(${CLEAN}, 1, 3)`],
    { LastName: "Ó'Brien" },
  ],
  ['generators', ['Mid(Guid(), 1, 8)', 'Join("-", Guid(), Guid())', 'Join("", RandomString(6, 1, 1, 1, 1), "")'], {}],
  ['a failing conversion', ['Join("", CDate([Start]), "")', 'Join("", CDate([Start]), "")'], { Start: 'not a date' }],
  [
    'a nested ignore-flow',
    ['Join("", IgnoreFlowIfNullOrEmpty([X]), "a")', 'Join("", IgnoreFlowIfNullOrEmpty([X]), "a")'],
    { X: '' },
  ],
];

describe('nested calls shared across a configuration', () => {
  it.each(TABLE)('%s: the same results shared or not', (_name, texts, attributes) => {
    const alone = evaluateAll(texts, attributes, false).results;
    const shared = evaluateAll(texts, attributes, true).results;
    expect(shared).toEqual(alone);
  });

  it('equal nested calls in different expressions take one slot', () => {
    const slots = new SharedSlots();
    compileAll([`Join(".", ${CLEAN}, "x")`, `Mid(${CLEAN}, 1, 3)`], slots);
    // ToLower(Replace(NormalizeDiacritics(...))), Replace(NormalizeDiacritics(...)), and each root.
    expect(slots.size).toBe(4);
  });

  it('a shared value is computed once per worker and read from its slot afterwards', () => {
    const slots = new SharedSlots();
    const [first, second] = compileAll([`Join(".", ${CLEAN}, "x")`, `Mid(${CLEAN}, 1, 3)`], slots);
    const shared: (Value | undefined)[] = [];
    const context: EvaluationContext = { attributes: { LastName: 'Smith' }, now: NOW, seed: 1, shared };
    expect(first!.evaluate(context)).toMatchObject({ ok: true, value: 'smith.x' });
    // Planting another value in the slot shows the second expression reads it instead of computing.
    const slot = shared.findIndex((v) => v === 'smith');
    shared[slot] = 'jones';
    expect(second!.evaluate(context)).toMatchObject({ ok: true, value: 'jon' });
  });

  it('generators never get a slot', () => {
    const slots = new SharedSlots();
    compileAll(['Join("-", Guid(), Guid())', 'Mid(RandomString(6, 1, 1, 1, 1), 1, 3)'], slots);
    expect(slots.size).toBe(0);
  });
});

describe('values shared across the workers of a cycle (CallValues)', () => {
  const text = `Join(".", ${CLEAN}, [FirstName])`;

  function cycle(workers: Record<string, Value>[], callValues?: CallValues) {
    const [compiled] = compileAll([text], new SharedSlots());
    return workers.map((attributes) =>
      compiled!.evaluate({ attributes, now: NOW, seed: 'w', shared: [], ...(callValues ? { callValues } : {}) }),
    );
  }

  it('gives every worker what it gets alone, for one-attribute calls shared by text', () => {
    const workers = ['Smith', 'Smith', "O'Brien", 'Smith'].map((LastName, i) => ({ LastName, FirstName: `F${i}` }));
    expect(cycle(workers, new CallValues())).toEqual(cycle(workers));
  });

  it('answers a later worker with the same text from what an earlier one computed', () => {
    const values = new CallValues();
    cycle([{ LastName: 'Smith', FirstName: 'A' }], values);
    const slots = new SharedSlots();
    compileAll([text], slots);
    // Slot 1 is the cleaned last name (slot 0: the ToLower(...) call itself, then its inner Replace).
    const cleaned = [0, 1].map((slot) => values.get(slot, 'Smith'));
    expect(cleaned).toContain('smith');
  });

  it('stops remembering a slot whose inputs never repeat', () => {
    const values = new CallValues();
    for (let i = 0; i < 10_000; i++) {
      const input = `id-${i}`;
      if (values.get(0, input) === undefined) values.set(0, input, input.toUpperCase());
    }
    expect(values.get(0, 'id-1')).toBeUndefined();
    expect(values.get(0, 'id-9999')).toBeUndefined();
  });

  it('keeps remembering a slot whose inputs repeat', () => {
    const values = new CallValues();
    for (let i = 0; i < 10_000; i++) {
      const input = `name-${i % 50}`;
      if (values.get(0, input) === undefined) values.set(0, input, input.toUpperCase());
    }
    expect(values.get(0, 'name-7')).toBe('NAME-7');
  });
});
