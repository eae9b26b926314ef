import { describe, expect, it } from "vitest";
import { BoundedCache } from "../../../../src/evidence/tdx/collateral/BoundedCache.js";
import { clearDcapCaches } from "../../../../src/evidence/tdx/collateral/index.js";

describe("BoundedCache", () => {
  it("never holds more than its capacity, however many keys go in", () => {
    const cache = new BoundedCache<number, number>(16);
    for (let key = 0; key < 10_000; key++) cache.set(key, key);
    expect(cache.size).toBe(16);
    expect(cache.get(9_999)).toBe(9_999);
    expect(cache.get(9_983)).toBeUndefined();
  });

  it("evicts the least recently used entry, counting reads as use", () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set("a", 1);
    cache.set("b", 2);
    expect(cache.get("a")).toBe(1);
    cache.set("c", 3);
    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBe(1);
    expect(cache.get("c")).toBe(3);
  });

  it("overwriting a key does not grow it", () => {
    const cache = new BoundedCache<string, number>(3);
    for (let round = 0; round < 5; round++) cache.set("k", round);
    expect(cache.size).toBe(1);
    expect(cache.get("k")).toBe(4);
  });

  it("clearDcapCaches empties every cache", () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set("x", 1);
    clearDcapCaches();
    expect(cache.size).toBe(0);
    expect(cache.get("x")).toBeUndefined();
  });

  it("refuses a capacity that would not bound anything", () => {
    expect(() => new BoundedCache(0)).toThrow(/positive integer/);
    expect(() => new BoundedCache(1.5)).toThrow(/positive integer/);
  });
});
