/** A secret store in memory, for tests of what reads secrets (signing keys, token keys). */
import type { SecretStore } from '../../shared/ports/secret-store.port';

export class MemorySecretStore implements SecretStore {
  readonly values = new Map<string, string>();
  reads = 0;
  async get(name: string) {
    this.reads++;
    return this.values.get(name) ?? null;
  }
  async set(name: string, value: string) {
    this.values.set(name, value);
  }
  async delete(name: string) {
    this.values.delete(name);
  }
  async list() {
    return [...this.values.keys()].sort();
  }
}
