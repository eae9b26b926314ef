import { Hono } from "hono";
import { TeezkError } from "../../errors/index.js";
import { applyServiceLimits, createAdmissionGate, errorResponse, readJsonObject } from "../http/index.js";
import { KEY_ID_PATTERN } from "./constants.js";
import type { ChallengeTable } from "./createChallengeTable.js";
import { parseKeyReleaseRequest } from "./parseKeyReleaseRequest.js";
import type { ReleaseKey } from "./releaseKey.js";
import type { KeyChallengeBody, ReleasableKey } from "./types.js";

export type CreateKeyReleaseAppParameters = {
  keys: ReadonlyMap<string, ReleasableKey>;
  challenges: ChallengeTable;
  releaseKey: ReleaseKey;
  maxBodyBytes: number;
  timeoutMs: number;
  maxConcurrentReleases: number;
  clock: () => Date;
};

/**
 * The key-release service's HTTP face: body cap, timeout, the release gate (SERVICE_BUSY before a body is read),
 * `GET /v1/health`, `POST /v1/keys/:id/challenge` and `POST /v1/keys/:id/release` (the domain step, `releaseKey`).
 */
export function createKeyReleaseApp(parameters: CreateKeyReleaseAppParameters): Hono {
  const { keys, challenges, releaseKey, clock } = parameters;
  const app = new Hono();
  applyServiceLimits(app, { maxBodyBytes: parameters.maxBodyBytes, timeoutMs: parameters.timeoutMs });
  // Challenges are free, so releases are too: each verifies evidence, so bound them before any body is read.
  const releaseGate = createAdmissionGate({ what: "releases", maxInFlight: parameters.maxConcurrentReleases, clock });
  app.use("/v1/keys/:id/release", releaseGate.middleware);

  app.get("/v1/health", (context) => context.json({ ok: true, service: "keys", keys: [...keys.keys()] }));

  app.post("/v1/keys/:id/challenge", (context) => {
    try {
      const key = keyFor(context.req.param("id"));
      const { nonce, expiresAt } = challenges.issue(key.id);
      const body: KeyChallengeBody = { keyId: key.id, nonce, expiresAt: expiresAt.toISOString() };
      return context.json(body);
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  app.post("/v1/keys/:id/release", async (context) => {
    try {
      const id = context.req.param("id");
      if (!KEY_ID_PATTERN.test(id)) throw new TeezkError("REQUEST_INVALID", "A key id is 1-64 characters of A-Za-z0-9._-");
      const request = parseKeyReleaseRequest(await readJsonObject(context));
      return context.json(await releaseKey(id, request));
    } catch (error) {
      return errorResponse(context, error);
    }
  });

  function keyFor(id: string): ReleasableKey {
    if (!KEY_ID_PATTERN.test(id)) throw new TeezkError("REQUEST_INVALID", "A key id is 1-64 characters of A-Za-z0-9._-");
    const key = keys.get(id);
    if (!key) throw new TeezkError("KEY_NOT_FOUND", `This service holds no key "${id}"`);
    return key;
  }

  return app;
}
