import { Component, useEffect, useState, type ReactNode } from "react";
import { useConsole, rpcDetail } from "./context.js";

/** A 0x value shortened for dense tables; the full value is in the title and in data-full for copy and tests. */
export function Hex({ value, full = false }: { value: string | undefined | null; full?: boolean }) {
  if (!value) return <span className="muted">—</span>;
  const shown = full || value.length <= 14 ? value : `${value.slice(0, 8)}…${value.slice(-6)}`;
  return (
    <code title={value} data-full={value}>
      {shown}
    </code>
  );
}

export function Badge({ kind, children }: { kind: string; children?: ReactNode }) {
  return <span className={`badge ${kind.replace(/[^a-z-]/gi, "-")}`}>{children ?? kind}</span>;
}

/** Seconds since the epoch as ISO time (UTC); 0 or the uint64 maximum read as "—"/"no end". */
export function Time({ seconds }: { seconds: bigint }) {
  if (seconds === 0n) return <span className="muted">—</span>;
  if (seconds >= 1n << 60n) return <span className="muted">no end</span>;
  return <span className="mono">{new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z").replace("T", " ")}</span>;
}

export function formatDuration(seconds: number): string {
  if (seconds <= 0) return "0s";
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.floor(seconds % 60);
  return [d ? `${d}d` : "", h ? `${h}h` : "", m ? `${m}m` : "", `${s}s`].filter(Boolean).join(" ");
}

/**
 * Time left until `target` (chain seconds), ticking each second from the chain time read at `chainNow`: the chain,
 * not the reader's clock, decides when a timelock operation or the escape hatch opens.
 */
export function Countdown({ target, chainNow, done = "ready" }: { target: bigint; chainNow: bigint; done?: string }) {
  const [start] = useState(() => Date.now());
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 1000);
    return () => clearInterval(timer);
  }, []);
  const now = Number(chainNow) + (Date.now() - start) / 1000;
  const left = Number(target) - now;
  return <span className="mono countdown">{left <= 0 ? done : `${formatDuration(left)} left`}</span>;
}

export type Loaded<T> = { data?: T; error?: unknown; loading: boolean };

/** Runs `load` on mount, on every refresh and when `deps` change; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const { refreshCount } = useConsole();
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    let current = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: unknown) => current && setState((previous) => ({ ...previous, error, loading: false })),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [refreshCount, ...deps]);
  return state;
}

/** Renders a loader's state: the error in words (never a blank page), a loading line, or the content. */
export function Loading<T>({ state, children }: { state: Loaded<T>; children: (data: T) => ReactNode }) {
  if (state.error && !state.data) return <ErrorBox title="Cannot read the chain" error={state.error} />;
  if (!state.data) return <p className="muted">Loading…</p>;
  return (
    <>
      {state.error ? <ErrorBox title="The last refresh failed; showing the previous reading" error={state.error} /> : null}
      {children(state.data)}
    </>
  );
}

export function ErrorBox({ title, error }: { title: string; error: unknown }) {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    <div className="banner" role="alert">
      <strong>{title}</strong>
      <div className="detail">
        {typeof code === "string" ? `${code}: ` : ""}
        {rpcDetail(error)}
      </div>
    </div>
  );
}

/** Catches a render error in a page so the rest of the console, and the message, stay on screen. */
export class PageBoundary extends Component<{ children: ReactNode; resetKey: string }, { error?: unknown; key: string }> {
  override state: { error?: unknown; key: string } = { key: this.props.resetKey };
  static getDerivedStateFromError(error: unknown) {
    return { error };
  }
  static getDerivedStateFromProps(props: { resetKey: string }, state: { error?: unknown; key: string }) {
    return props.resetKey === state.key ? null : { error: undefined, key: props.resetKey };
  }
  override render() {
    if (this.state.error) return <ErrorBox title="This page failed to render" error={this.state.error} />;
    return this.props.children;
  }
}
