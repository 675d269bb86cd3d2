/** Small helpers the relay tests share. */
import type { SecretStore } from '../../../shared/ports/secret-store.port';

/** A secret store in memory, holding `initial`. */
export function memorySecrets(initial: Record<string, string> = {}): SecretStore {
  const values = new Map(Object.entries(initial));
  return {
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => {
      values.set(name, value);
    },
    delete: async (name) => {
      values.delete(name);
    },
    list: async () => [...values.keys()].sort(),
  };
}
