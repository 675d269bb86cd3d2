/**
 * Per-evaluation state and the internal fault signal.
 *
 * Inside the evaluator a failing function throws an {@link EvaluationFault}; the evaluator
 * entry point catches it and returns it as a value. Throwing keeps every function body
 * free of error plumbing while the public API stays exception-free.
 */
import type { Span } from './ast';
import type { EvaluationErrorCode } from './errors';
import { lookupAttribute, type AttributeSource } from './attributes';
import { createPrng, type Prng } from '../../util/prng';
import type { CallValues } from './shared-slots';
import type { Value } from './values';

/** Internal: a failed evaluation step, converted to an error value at the entry point. */
export class EvaluationFault {
  constructor(
    readonly code: EvaluationErrorCode,
    readonly message: string,
    readonly span: Span,
  ) {}
}

/** Internal: thrown by a nested `IgnoreFlowIfNullOrEmpty` to drop the whole attribute flow. */
export const IGNORE_FLOW_SIGNAL: unique symbol = Symbol('ignore-flow');

/** What an evaluation may depend on besides the expression: data, clock and randomness. */
export interface EvaluationContext {
  /** The worker's attributes; names are matched case-insensitively, missing ones are null. */
  readonly attributes: AttributeSource;
  /** The clock, injected so that `Now()` and date defaults are reproducible. */
  readonly now: Date;
  /** Seeds `Guid()` and `RandomString()`: the same seed gives the same values. */
  readonly seed: string | number;
  /**
   * Values of nested calls already computed for these attributes, clock and seed, by the slot their
   * configuration gave them (see SharedSlots). Give one empty array per worker (version) to every
   * expression of that configuration evaluated for it. Leave it out to compute everything.
   */
  readonly shared?: (Value | undefined)[];
  /**
   * Values of those nested calls that read a single attribute, shared by every worker evaluated with the
   * same configuration and clock (one cycle), by the attribute's text. Leave it out to compute them per worker.
   */
  readonly callValues?: CallValues;
}

export class Runtime {
  /** Set when `Redact` contributed to the result, so logs must not show the value. */
  redacted = false;
  private prng: Prng | undefined;

  constructor(readonly context: EvaluationContext) {}

  attribute(name: string, lowerName: string): Value | undefined {
    return lookupAttribute(this.context.attributes, name, lowerName);
  }

  /** The injected clock in epoch milliseconds, or NaN if the caller passed an invalid Date. */
  nowMs(): number {
    const now = this.context.now;
    return now instanceof Date ? now.getTime() : NaN;
  }

  /** One random stream per evaluation, created on first use because most mappings never need it. */
  random(): Prng {
    this.prng ??= createPrng(String(this.context.seed));
    return this.prng;
  }
}

/** A compiled (sub)expression. */
export type Thunk = (rt: Runtime) => Value;
