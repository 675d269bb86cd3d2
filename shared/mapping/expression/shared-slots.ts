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
