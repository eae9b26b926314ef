import { useState } from "react";
import type { ArchiveDecisions, ArchivedDecision } from "../../readArchiveDecisions.js";
import { useConsole } from "../context.js";
import { Badge, ErrorBox, Hex, Loading, useLoad } from "../ui.js";

const PALETTE = ["var(--ok)", "var(--bad)", "var(--warn)", "var(--info)", "#2a9d8f", "#e76f51", "#8d99ae", "#c9184a", "#577590", "#f9c74f"];

/** A node's decisions from the archive: accepted/refused per minute by code, and a table to drill into one. */
export function DecisionsPage() {
  const { config } = useConsole();
  const [code, setCode] = useState<string>();
  const state = useLoad(async () => {
    if (!config.archive) return undefined;
    const response = await fetch(`/api/decisions${code ? `?code=${code}` : ""}`);
    if (!response.ok) throw new Error(`archive: HTTP ${response.status}`);
    return (await response.json()) as ArchiveDecisions;
  }, [code]);
  const [selected, setSelected] = useState<ArchivedDecision>();
  if (!config.archive) return <ErrorBox title="No archive" error={new Error("Start the console with --archive <file.sqlite> (a verifier or prover node's archive) to see its decisions.")} />;
  return (
    <>
      <h1>Decisions</h1>
      <Loading state={state}>
        {(d) => {
          if (!d) return null;
          const color = (c: string) => PALETTE[d.codes.indexOf(c) % PALETTE.length];
          const rows = d.decisions;
          return (
            <>
              <Chart decisions={d} color={color} />
              <div className="legend" data-testid="legend">
                {d.codes.map((c) => (
                  <button key={c} onClick={() => setCode(code === c ? undefined : c)} aria-pressed={code === c}>
                    <span className="swatch" style={{ background: color(c) }} />
                    {c} ({d.totals[c] ?? 0})
                  </button>
                ))}
                {d.truncated ? <span className="muted">newest 10,000 per table</span> : null}
              </div>
              {selected ? <Detail decision={selected} close={() => setSelected(undefined)} /> : null}
              <table data-testid="decisions">
                <thead>
                  <tr><th>time</th><th>kind</th><th>decision</th><th>code</th><th>node / enclave</th><th>claims</th><th>message</th></tr>
                </thead>
                <tbody>
                  {rows.map((x) => (
                    <tr key={x.id} onClick={() => setSelected(x)} style={{ cursor: "pointer" }} data-code={x.code}>
                      <td className="mono">{new Date(x.at).toISOString().replace("T", " ").slice(0, 19)}</td>
                      <td>{x.kind}</td>
                      <td><Badge kind={x.accepted ? "accepted" : "refused"} /></td>
                      <td className="mono">{x.code}</td>
                      <td><Hex value={x.actor} /></td>
                      <td><Hex value={x.claimsHash} /></td>
                      <td className="wrap">{x.message?.slice(0, 120)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          );
        }}
      </Loading>
    </>
  );
}

/** Stacked bars per minute (SVG drawn here: no chart library for one chart). */
function Chart({ decisions, color }: { decisions: ArchiveDecisions; color: (code: string) => string | undefined }) {
  const { minutes } = decisions;
  if (minutes.length === 0) return <p className="muted">The archive holds no decisions yet.</p>;
  const first = minutes[0]!.minute;
  const span = Math.max(1, (minutes.at(-1)!.minute - first) / 60_000 + 1);
  const max = Math.max(...minutes.map((m) => Object.values(m.counts).reduce((a, b) => a + b, 0)));
  const width = 1000;
  const height = 160;
  const barWidth = Math.max(2, width / span - 2);
  return (
    <svg className="chart" viewBox={`0 0 ${width} ${height + 20}`} preserveAspectRatio="none" role="img" aria-label="decisions per minute by code" data-testid="chart">
      {minutes.map((m) => {
        const x = ((m.minute - first) / 60_000) * (width / span);
        let y = height;
        return (
          <g key={m.minute}>
            {decisions.codes.map((c) => {
              const n = m.counts[c] ?? 0;
              if (!n) return null;
              const h = (n / max) * (height - 10);
              y -= h;
              return (
                <rect key={c} x={x} y={y} width={barWidth} height={h} fill={color(c)}>
                  <title>{`${new Date(m.minute).toISOString().slice(11, 16)} ${c}: ${n}`}</title>
                </rect>
              );
            })}
          </g>
        );
      })}
      <text x={2} y={height + 16} fontSize={11} fill="currentColor">{new Date(first).toISOString().slice(11, 16)}</text>
      <text x={width - 40} y={height + 16} fontSize={11} fill="currentColor">{new Date(minutes.at(-1)!.minute).toISOString().slice(11, 16)}</text>
      <text x={2} y={12} fontSize={11} fill="currentColor">{max}/min</text>
    </svg>
  );
}

function Detail({ decision, close }: { decision: ArchivedDecision; close: () => void }) {
  return (
    <div className="card" data-testid="decision-detail">
      <h2>
        Decision {decision.id} <button onClick={close}>close</button>
      </h2>
      <dl className="kv">
        {Object.entries(decision).map(([k, v]) => [<dt key={`${k}k`}>{k}</dt>, <dd key={`${k}v`} className="mono">{k === "at" ? new Date(v as number).toISOString() : String(v)}</dd>])}
      </dl>
    </div>
  );
}
