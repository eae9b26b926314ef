import { Hono, type Context } from "hono";
import { TeezkError } from "../../errors/index.js";
import type { AttestationResponseBody, ProveResponseBody, ProverHealthBody } from "../../protocol/index.js";
import { applyServiceLimits, errorResponse, readJsonObject, serviceTimeout, type AdmissionGate } from "../http/index.js";
import type { ProverNodeStats } from "./types.js";

export type ProverRouteHandlers = {
  health: () => ProverHealthBody;
  attest: (nonceParameter: string | undefined) => Promise<AttestationResponseBody>;
  /** Gets the request's JSON body (read under the node's limits) and answers with the proof. */
  prove: (body: () => Promise<Record<string, unknown>>) => Promise<ProveResponseBody>;
  proveStored: (body: () => Promise<Record<string, unknown>>) => Promise<ProveResponseBody>;
};

export type CreateProverAppParameters = {
  handlers: ProverRouteHandlers;
  stats: ProverNodeStats;
  attestationGate: AdmissionGate;
  attestationTimeoutMs: number;
  proveTimeoutMs: number;
  maxQueuedProofs: number;
  maxBodyBytes: number;
};

/**
 * The prover node's HTTP face: timeouts, the attestation gate and the proof bound around the four routes, each
 * answer JSON and each failure a JSON error with a stable code. The handlers are the node's domain steps.
 */
export function createProverApp(parameters: CreateProverAppParameters): Hono {
  const { handlers, stats, maxQueuedProofs } = parameters;
  let inFlight = 0;
  const app = new Hono();
  app.use("/v1/attestation", serviceTimeout(parameters.attestationTimeoutMs));
  // Each attestation is a real evidence collection: bounded in flight and per second, refused before any work.
  app.use("/v1/attestation", parameters.attestationGate.middleware);
  app.use("/v1/prove", serviceTimeout(parameters.proveTimeoutMs));
  app.use("/v1/prove-stored", serviceTimeout(parameters.proveTimeoutMs));
  // Counted and admitted before the body is read. The timeout sits outside, so a timed-out proof still holds
  // its slot until the prover is really done with it. Both prove routes share the one bound.
  const admit = (counter: "proveRequests" | "proveStoredRequests") => async (context: Context, next: () => Promise<void>) => {
    stats[counter] += 1;
    if (inFlight >= maxQueuedProofs) {
      return errorResponse(context, new TeezkError("PROVER_BUSY", `The node has ${inFlight} proofs in flight, its limit`));
    }
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
  app.use("/v1/prove", admit("proveRequests"));
  app.use("/v1/prove-stored", admit("proveStoredRequests"));
  // Inside the timeouts and the admission gate above, like every teezk service: body cap, JSON errors.
  applyServiceLimits(app, { maxBodyBytes: parameters.maxBodyBytes });

  app.get("/v1/health", (context) => context.json(handlers.health()));
  app.get("/v1/attestation", (context) => answer(context, () => handlers.attest(context.req.query("nonce"))));
  app.post("/v1/prove", (context) => answer(context, () => handlers.prove(() => readJsonObject(context, "{circuit, nonce, sealed}"))));
  app.post("/v1/prove-stored", (context) => answer(context, () => handlers.proveStored(() => readJsonObject(context, "{circuit, keyId, encryptedWitness}"))));
  return app;
}

async function answer(context: Context, run: () => Promise<object>): Promise<Response> {
  try {
    return context.json(await run());
  } catch (error) {
    return errorResponse(context, error);
  }
}
