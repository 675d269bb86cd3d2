import type { Value } from './values';

/**
 * Slots for the values of nested calls that several expressions of one configuration repeat. The
 * configuration numbers every distinct nested call (by its text) once, each compiled expression reads
 * and fills the slot of each of its nested calls, and one array per worker holds the values: the
 * default candidates clean a worker's last name in eleven places, and it is done once.
 */
export class SharedSlots {
  private readonly slots = new Map<string, number>();

  /** The slot of the nested call written `text`; equal texts get the same slot. */
  slotOf(text: string): number {
    let slot = this.slots.get(text);
    if (slot === undefined) this.slots.set(text, (slot = this.slots.size));
    return slot;
  }

  /** How many slots a worker's array needs. */
  get size(): number {
    return this.slots.size;
  }
}

/**
 * Values of nested calls that read one attribute, shared by every worker of a cycle, by that attribute's
 * text: many workers share a first name, a department or a location, and cleaning it again for each
 * gives the same answer. Only for evaluations with the same clock (one cycle). A slot whose inputs keep
 * missing (a worker id: every worker's is different) stops remembering, so memory stays bounded.
 */
export class CallValues {
  private readonly bySlot: (SlotValues | null | undefined)[] = [];

  /** The value remembered for `slot` and `input`; undefined when there is none. */
  get(slot: number, input: string): Value | undefined {
    const entry = this.bySlot[slot];
    if (!entry) return undefined;
    const value = entry.values.get(input);
    if (value === undefined) entry.misses++;
    else entry.hits++;
    return value;
  }

  set(slot: number, input: string, value: Value): void {
    let entry = this.bySlot[slot];
    if (entry === null) return;
    if (entry === undefined) this.bySlot[slot] = entry = { values: new Map(), hits: 0, misses: 0 };
    // After many inputs, a slot that missed more often than it hit is not worth remembering.
    if (entry.misses > 4096 && entry.hits < entry.misses) {
      this.bySlot[slot] = null;
      return;
    }
    entry.values.set(input, value);
  }
}

interface SlotValues {
  readonly values: Map<string, Value>;
  hits: number;
  misses: number;
}
