/**
 * The secret store port: where the control plane keeps what must never be in a configuration file or a
 * log (the local API token, the command-signing key, HR API credentials). Locally an encrypted file;
 * in Azure, Key Vault. Secret names are short identifiers (`[A-Za-z0-9-]{1,127}`, Key Vault's rule).
 * Adapters never put a secret's value in an error message or a log line.
 */
export interface SecretStore {
  /** The secret's current value, or null when there is none. */
  get(name: string): Promise<string | null>;
  /** Creates or replaces the secret. */
  set(name: string, value: string): Promise<void>;
  /** Removes the secret; removing one that does not exist is not an error. */
  delete(name: string): Promise<void>;
  /** The names of the secrets held (never their values), sorted. */
  list(): Promise<string[]>;
}

/** Key Vault's secret-name rule, which every adapter enforces so a name works in both hosts. */
export const SECRET_NAME = /^[A-Za-z0-9-]{1,127}$/;
