import { describe, expect, it } from "vitest";
import { TeezkError, errorCodes, isTeezkError, wrapErrors } from "../../src/errors/index.js";

describe("TeezkError", () => {
  it("carries a stable code, a short message and the documented meaning", () => {
    const error = new TeezkError("DEBUG_ENCLAVE", "Enclave is debuggable", { details: "PCR0 all zero" });
    expect(error.code).toBe("DEBUG_ENCLAVE");
    expect(error.shortMessage).toBe("Enclave is debuggable");
    expect(error.message).toContain("DEBUG_ENCLAVE: Enclave is debuggable");
    expect(error.message).toContain("PCR0 all zero");
    expect(error.description).toBe(errorCodes.DEBUG_ENCLAVE);
    expect(isTeezkError(error, "DEBUG_ENCLAVE")).toBe(true);
    expect(isTeezkError(error, "CERT_EXPIRED")).toBe(false);
  });

  it("wraps foreign exceptions so parsers never leak a RangeError", () => {
    const thrown = (() => {
      try {
        wrapErrors("MALFORMED", "bad", () => {
          throw new RangeError("offset out of bounds");
        });
      } catch (error) {
        return error;
      }
    })();
    expect(isTeezkError(thrown, "MALFORMED")).toBe(true);
    expect((thrown as TeezkError).walk()).toBeInstanceOf(RangeError);
  });

  it("lists every code with a description, all SCREAMING_SNAKE", () => {
    for (const [code, description] of Object.entries(errorCodes)) {
      expect(code).toMatch(/^[A-Z][A-Z0-9_]+$/);
      expect(description.length).toBeGreaterThan(10);
    }
  });
});
