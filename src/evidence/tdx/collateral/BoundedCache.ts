import { TeezkError } from "../../../errors/index.js";

/** Every cache of the DCAP verifier, so `clearDcapCaches` can empty them all (cold benchmarks, tests). */
const registry = new Set<BoundedCache<unknown, unknown>>();

/**
 * A least-recently-used map with a fixed number of entries: the verifier's caches hold results that are pure
 * functions of immutable bytes (parsed certificates, verified signatures), and a verifier that sees hostile
 * input for years must not grow without limit. Never store anything that depends on the verification time.
 */
export class BoundedCache<K, V> {
  readonly #entries = new Map<K, V>();
  readonly capacity: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new TeezkError("INTERNAL", "BoundedCache capacity must be a positive integer");
    this.capacity = capacity;
    registry.add(this as BoundedCache<unknown, unknown>);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    // Re-inserting moves the key to the end of Map's insertion order: the front is the least recently used.
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.capacity) {
      const oldest = this.#entries.keys().next().value as K;
      this.#entries.delete(oldest);
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  /** Empties every BoundedCache created so far. */
  static clearAll(): void {
    for (const cache of registry) cache.clear();
  }
}
