import { isRetryable, type ErrorCode } from '../../shared/protocol';

/** A refusal or failure the applier reports as a Failed result; `field` names what is at fault. */
export class ApplyFailure extends Error {
  override readonly name = 'ApplyFailure';
  readonly retryable: boolean;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.retryable = isRetryable(code);
  }
}
