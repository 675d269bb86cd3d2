import { DirectoryError } from '../directory/directory.port';
import { ApplyFailure } from './apply-failure';

/** Maps a write failure caused by a value to the attribute at fault, when the directory's diagnostic names it. */
export function attributeFailure(error: unknown, attributes: readonly string[]): unknown {
  if (!(error instanceof DirectoryError) || !error.diagnostic) return error;
  const diagnostic = error.diagnostic;
  const name = attributes.find((a) => new RegExp(`'${a}'|\\b${a}\\b`, 'i').test(diagnostic));
  if (!name || error.retryable) return error;
  return new ApplyFailure(error.code, `${name}: ${error.message}`, name);
}

/** Another writer took a unique value between our check and our write: choose again. */
export function isTakenConcurrently(error: unknown): boolean {
  return error instanceof DirectoryError && error.code === 'AlreadyExists';
}
