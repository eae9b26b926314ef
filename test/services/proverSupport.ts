import { Hono } from "hono";
import type { Hex } from "viem";
import { buildDevReferenceValues } from "../../src/devnet/buildDevReferenceValues.js";
import { probeSimulatedClaims } from "../../src/devnet/probeSimulatedClaims.js";
import type { ReferenceValues } from "../../src/policy/index.js";
import type { Groth16Proof, Prover } from "../../src/prover/index.js";
import { serveApp } from "../../src/services/http/index.js";
import {
  createProverNode,
  createSimulatedEvidenceSource,
  type CreateProverNodeParameters,
  type ProverNode,
  type SimulatedProverVendor,
} from "../../src/services/prover/index.js";

/** The ReceiptVerifier domain test nodes sign for (no chain in these tests). */
export const testReceiptDomain = { chainId: 31337, verifyingContract: "0x00000000000000000000000000000000000f00d1" as Hex };

export type TestProver = { node: ProverNode; url: string; close: () => Promise<void> };

/** A simulated prover node on loopback, sharing the test's Groth16 prover process. */
export async function startTestProver(
  parameters: { vendor: SimulatedProverVendor; prover: Prover<Groth16Proof>; registers?: Record<string, Hex>; gpu?: boolean } & Partial<CreateProverNodeParameters>,
): Promise<TestProver> {
  const { vendor, registers, gpu, ...rest } = parameters;
  const node = await createProverNode({
    evidenceSource: createSimulatedEvidenceSource({ vendor, ...(registers ? { registers } : {}), ...(gpu ? { gpu } : {}) }),
    receiptDomain: testReceiptDomain,
    ...rest,
  });
  const served = await serveApp(node.app);
  return {
    node,
    url: served.url,
    close: async () => {
      await served.close();
      await node.close();
    },
  };
}

/** Reference values allowing exactly the default simulated measurement (and dev root) of each vendor given. */
export function devReferenceValues(vendors: readonly ("tdx" | "sevsnp" | "nitro" | "sgx" | "nvidia")[]): ReferenceValues {
  return buildDevReferenceValues({ allowed: vendors.map((vendor) => probeSimulatedClaims({ vendor, now: new Date() }).claims) });
}

export type ProxyRewrites = {
  /** Rewrites the nonce the proxy asks the real node for (a node answering for another nonce). */
  attestationNonce?: (nonce: string) => string;
  attestation?: (body: Record<string, unknown>) => Record<string, unknown>;
  prove?: (body: Record<string, unknown>) => Record<string, unknown>;
};

/**
 * A test-only man in the middle in front of a real node: forwards every request, rewrites JSON as told, and
 * keeps the last prove request body as sent (so a test can replay it byte for byte).
 */
export function createProxyApp(
  targetUrl: string,
  rewrites: ProxyRewrites = {},
): { app: Hono; lastProveBody: () => string | undefined; lastProveResponse: () => Record<string, unknown> | undefined } {
  const app = new Hono();
  let lastProveBody: string | undefined;
  let lastProveResponse: Record<string, unknown> | undefined;
  app.get("/v1/attestation", async (context) => {
    const nonce = context.req.query("nonce") ?? "";
    const upstream = await fetch(`${targetUrl}/v1/attestation?nonce=${rewrites.attestationNonce ? rewrites.attestationNonce(nonce) : nonce}`);
    const body = (await upstream.json()) as Record<string, unknown>;
    return context.json(upstream.ok && rewrites.attestation ? rewrites.attestation(body) : body, upstream.status as 200);
  });
  app.post("/v1/prove", async (context) => {
    lastProveBody = await context.req.text();
    const upstream = await fetch(`${targetUrl}/v1/prove`, { method: "POST", headers: { "content-type": "application/json" }, body: lastProveBody });
    const body = (await upstream.json()) as Record<string, unknown>;
    lastProveResponse = structuredClone(body);
    return context.json(upstream.ok && rewrites.prove ? rewrites.prove(body) : body, upstream.status as 200);
  });
  return { app, lastProveBody: () => lastProveBody, lastProveResponse: () => lastProveResponse };
}

// Re-exported: the prover and client suites import their helpers from here.
export { rejection } from "../support/rejection.js";
