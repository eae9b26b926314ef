import { Hono } from "hono";
import { TeezkError } from "../../errors/index.js";
import { applyServiceLimits, errorResponse, readJsonObject, type AdmissionGate } from "../http/index.js";
import { parseVerifyRequest } from "./parseVerifyRequest.js";
import type { VerifierHealthBody } from "./types.js";
import type { VerifyAndSign } from "./verifyAndSign.js";

export type CreateVerifierAppParameters = {
  verifyAndSign: VerifyAndSign;
  health: () => VerifierHealthBody;
  maxBodyBytes: number;
  timeoutMs: number;
  /** Bounds `POST /v1/verify` (SERVICE_BUSY); mounted inside the timeout. */
  verifyGate: AdmissionGate;
  allowRequestTime: boolean;
  requestTimeSkewMs: number;
  clock: () => Date;
};

/**
 * The verifier node's HTTP face: body cap, timeout, the verification gate (SERVICE_BUSY before a body is read),
 * `GET /v1/health` and `POST /v1/verify` — a request's `at` checked against the node's clock, then the domain step.
 */
export function createVerifierApp(parameters: CreateVerifierAppParameters): Hono {
  const { verifyAndSign, allowRequestTime, requestTimeSkewMs, clock } = parameters;
  const app = new Hono();
  applyServiceLimits(app, { maxBodyBytes: parameters.maxBodyBytes, timeoutMs: parameters.timeoutMs });
  // Inside the timeout: a timed-out verification keeps its slot until it has really finished (archived).
  app.use("/v1/verify", parameters.verifyGate.middleware);

  app.get("/v1/health", (context) => context.json(parameters.health()));

  app.post("/v1/verify", async (context) => {
    try {
      const request = parseVerifyRequest(await readJsonObject(context));
      if (request.atDate && !allowRequestTime) checkRequestTime(request.atDate, clock(), requestTimeSkewMs);
      return context.json(await verifyAndSign(request));
    } catch (error) {
      return errorResponse(context, error);
    }
  });
  return app;
}

/**
 * An `at` near the node's clock is how a committee agrees on one verification time; one farther away would
 * be a caller choosing when evidence is judged, which only a node started with allowRequestTime allows.
 */
function checkRequestTime(at: Date, own: Date, requestTimeSkewMs: number): void {
  const offsetMs = at.getTime() - own.getTime();
  if (Math.abs(offsetMs) <= requestTimeSkewMs) return;
  throw new TeezkError(
    "REQUEST_TIME_SKEWED",
    `The requested time ${at.toISOString()} is ${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs < 0 ? "behind" : "ahead of"} this node's clock (${own.toISOString()}); it accepts at most ${requestTimeSkewMs / 1000} s either way`,
    {
      metaMessages: [
        "Check the requester's and the node's clocks (NTP), or omit `at` to verify as of the node's clock.",
        "To re-verify past evidence, start the node with --allow-request-time.",
      ],
    },
  );
}
