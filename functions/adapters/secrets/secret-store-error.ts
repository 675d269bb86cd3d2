/** A problem with a secret store or a request to it; the message never holds a secret's value. */
export class SecretStoreError extends Error {
  override readonly name = 'SecretStoreError';
}
