import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { AddressInfo } from "node:net";
import { TeezkError } from "../../errors/index.js";

export type ServeAppParameters = {
  /** Loopback by default: a prover or key-release node is exposed on purpose, never by accident. */
  host?: string;
  /** 0 picks a free port (tests, the demo). */
  port?: number;
  /** Socket-level limit for a whole request, so a slow client cannot hold a connection open forever. */
  requestTimeoutMs?: number;
};

export type ServeAppReturnType = {
  url: string;
  port: number;
  close: () => Promise<void>;
};
export type ServeAppErrorType = TeezkError;

/** Starts a Hono app on Node's HTTP server and resolves once it listens. */
export async function serveApp(app: Hono, parameters: ServeAppParameters = {}): Promise<ServeAppReturnType> {
  const host = parameters.host ?? "127.0.0.1";
  return await new Promise<ServeAppReturnType>((resolve, reject) => {
    const server = serve({ fetch: app.fetch, hostname: host, port: parameters.port ?? 0 }, (info: AddressInfo) => {
      const shownHost = info.family === "IPv6" ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        port: info.port,
        close: () =>
          new Promise<void>((done) => {
            if ("closeAllConnections" in server) server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
    if ("requestTimeout" in server) server.requestTimeout = parameters.requestTimeoutMs ?? 120_000;
    server.once("error", (cause: NodeJS.ErrnoException) =>
      reject(
        new TeezkError("CONFIG_INVALID", `cannot listen on ${host}:${parameters.port ?? 0}`, {
          cause,
          details: cause.code ?? cause.message,
          metaMessages: ["Pick a free port with --port, or stop the process that holds it."],
        }),
      ),
    );
  });
}
