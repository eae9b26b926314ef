import type { Context, MiddlewareHandler } from "hono";
import { TeezkError } from "../../errors/index.js";
import { errorResponse } from "./errorResponse.js";

export type CreateAdmissionGateParameters = {
  /** What the gate admits, for the refusal message ("attestations", "verifications"). */
  what: string;
  /** Requests admitted at once; more are SERVICE_BUSY before their body is read. */
  maxInFlight: number;
  /**
   * Requests admitted per second, on average (a token bucket holding `burst`); leave out for no rate bound.
   * Bounds work that costs the service more than the request costs its sender.
   */
  perSecond?: number;
  /** How many may come at once after a quiet period; default `perSecond`. */
  burst?: number;
  /** The service's clock; default `() => new Date()`. */
  clock?: () => Date;
};

export type AdmissionGate = {
  /** Mount on the routes to bound: `app.use(path, gate.middleware)`. */
  middleware: MiddlewareHandler;
  readonly inFlight: number;
  /** Requests refused so far (busy or over the rate). */
  readonly refused: number;
};
export type CreateAdmissionGateReturnType = AdmissionGate;
export type CreateAdmissionGateErrorType = TeezkError;

/**
 * A concurrency bound and an optional rate bound for expensive routes that anyone may call (evidence collection,
 * evidence verification): past either, SERVICE_BUSY (503) at once, before the body is read, so a flood costs the
 * service a counter check per request rather than the work itself. Admitted requests hold their slot until
 * their handler is done, timed out or not, when the gate is mounted inside the route's timeout.
 */
export function createAdmissionGate(parameters: CreateAdmissionGateParameters): CreateAdmissionGateReturnType {
  const { what, maxInFlight, perSecond } = parameters;
  const burst = parameters.burst ?? perSecond;
  const clock = parameters.clock ?? (() => new Date());
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight <= 0) throw new TeezkError("CONFIG_INVALID", `The ${what} in flight bound must be a positive integer`);
  if (perSecond !== undefined && !(Number.isFinite(perSecond) && perSecond > 0)) throw new TeezkError("CONFIG_INVALID", `The ${what} rate must be a positive number per second`);
  if (burst !== undefined && !(Number.isSafeInteger(burst) && burst >= 1)) throw new TeezkError("CONFIG_INVALID", `The ${what} burst must be a positive integer`);
  let inFlight = 0;
  let refused = 0;
  let tokens = burst ?? 0;
  let refilledAt = clock().getTime();

  const overRate = (): boolean => {
    if (perSecond === undefined || burst === undefined) return false;
    const now = clock().getTime();
    tokens = Math.min(burst, tokens + (Math.max(0, now - refilledAt) / 1000) * perSecond);
    refilledAt = now;
    if (tokens < 1) return true;
    tokens -= 1;
    return false;
  };
  const refuse = (context: Context, why: string) => {
    refused += 1;
    context.header("Retry-After", "1");
    return errorResponse(context, new TeezkError("SERVICE_BUSY", `The service refuses more ${what} for now: ${why}`));
  };

  const middleware: MiddlewareHandler = async (context, next) => {
    if (inFlight >= maxInFlight) return refuse(context, `${inFlight} in flight, its limit`);
    if (overRate()) return refuse(context, `more than ${perSecond} per second`);
    inFlight += 1;
    try {
      await next();
    } finally {
      inFlight -= 1;
    }
  };
  return {
    middleware,
    get inFlight() {
      return inFlight;
    },
    get refused() {
      return refused;
    },
  };
}
