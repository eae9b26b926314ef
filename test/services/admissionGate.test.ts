import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { createAdmissionGate } from "../../src/services/http/index.js";

const codeOf = async (response: Response) => ((await response.json()) as { error?: { code: string } }).error?.code ?? `ok ${response.status}`;

describe("admission gate", () => {
  it("refuses past the in-flight bound with SERVICE_BUSY (503, Retry-After) and frees the slot when a request ends", async () => {
    const gate = createAdmissionGate({ what: "tests", maxInFlight: 2 });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const app = new Hono();
    app.use("/work", gate.middleware);
    app.get("/work", async (context) => {
      await held;
      return context.json({ ok: true });
    });
    const first = app.request("/work");
    const second = app.request("/work");
    await Promise.resolve();
    expect(gate.inFlight).toBe(2);
    const refused = await app.request("/work");
    expect(refused.status).toBe(503);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(await codeOf(refused)).toBe("SERVICE_BUSY");
    release();
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    expect(gate.inFlight).toBe(0);
    expect(await codeOf(await app.request("/work"))).toBe("ok 200");
    expect(gate.refused).toBe(1);
  });

  it("admits a burst, then perSecond on average by the service's clock", async () => {
    let now = new Date(0);
    const gate = createAdmissionGate({ what: "tests", maxInFlight: 100, perSecond: 2, burst: 3, clock: () => now });
    const app = new Hono();
    app.use("*", gate.middleware);
    app.get("/work", (context) => context.json({ ok: true }));
    const codes = async (n: number) => Promise.all(Array.from({ length: n }, async () => codeOf(await app.request("/work"))));
    expect(await codes(4)).toEqual(["ok 200", "ok 200", "ok 200", "SERVICE_BUSY"]);
    now = new Date(500);
    expect(await codes(2)).toEqual(["ok 200", "SERVICE_BUSY"]);
    now = new Date(60_500);
    expect(await codes(4)).toEqual(["ok 200", "ok 200", "ok 200", "SERVICE_BUSY"]);
  });

  it("refuses nonsense bounds with CONFIG_INVALID", () => {
    expect(() => createAdmissionGate({ what: "tests", maxInFlight: 0 })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(() => createAdmissionGate({ what: "tests", maxInFlight: 1, perSecond: -1 })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
    expect(() => createAdmissionGate({ what: "tests", maxInFlight: 1, perSecond: 1, burst: 0 })).toThrow(expect.objectContaining({ code: "CONFIG_INVALID" }));
  });
});
