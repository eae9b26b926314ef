import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** A canned answer, or a misbehaviour of the service. */
export type StandInAnswer = {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
  /** Wait this long before answering (a slow service). */
  delayMs?: number;
  /** Announce the whole body, send this many bytes, then drop the connection. */
  truncateAt?: number;
};

/** `body` is the request body (empty for a GET): an OCSP responder answers what was POSTed. */
export type StandInHandler = (path: string, query: URLSearchParams, body?: Uint8Array) => StandInAnswer | undefined;

export type StandIn = {
  url: string;
  /** Every request's path and query, in order. */
  requests: string[];
  /** Requests the client gave up on before the answer was sent. */
  abandoned: string[];
  /** Answers `pathAndQuery` (exact match) with `answer` until cleared, ahead of the handler. */
  override: (pathAndQuery: string, answer: StandInAnswer | undefined) => void;
  close: () => Promise<void>;
};

/**
 * An HTTP server on 127.0.0.1 (port chosen by the OS) answering through `handler`; unknown paths get 404 with a
 * plain-text body as the real services do. Tests only.
 */
export async function startStandIn(handler: StandInHandler): Promise<StandIn> {
  const requests: string[] = [];
  const abandoned: string[] = [];
  const overrides = new Map<string, StandInAnswer>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = createServer(async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://stand-in");
    const pathAndQuery = `${url.pathname}${url.search}`;
    requests.push(pathAndQuery);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const answer = overrides.get(pathAndQuery) ?? handler(url.pathname, url.searchParams, new Uint8Array(Buffer.concat(chunks))) ?? notFound();
    const send = () => {
      timers.delete(timer);
      response.writeHead(answer.status, { ...answer.headers, "content-length": String(answer.body.length) });
      if (answer.truncateAt !== undefined) {
        response.write(Buffer.from(answer.body.subarray(0, answer.truncateAt)), () => response.socket?.destroy());
        return;
      }
      response.end(Buffer.from(answer.body));
    };
    const timer = setTimeout(send, answer.delayMs ?? 0);
    timers.add(timer);
    response.on("close", () => {
      if (!response.headersSent) {
        abandoned.push(pathAndQuery);
        clearTimeout(timer);
        timers.delete(timer);
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    abandoned,
    override: (pathAndQuery, answer) => (answer ? overrides.set(pathAndQuery, answer) : overrides.delete(pathAndQuery)),
    close: async () => {
      timers.forEach(clearTimeout);
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export function notFound(): StandInAnswer {
  return { status: 404, headers: { "content-type": "text/plain" }, body: new Uint8Array(Buffer.from("Not Found")) };
}

export function ok(body: Uint8Array | string, contentType: string, headers: Record<string, string> = {}): StandInAnswer {
  return { status: 200, headers: { "content-type": contentType, ...headers }, body: typeof body === "string" ? new Uint8Array(Buffer.from(body)) : body };
}
