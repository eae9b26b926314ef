import { loadRoots } from "../../read/loadRoots.js";
import { useConsole } from "../context.js";
import { Badge, Countdown, Hex, Loading, formatDuration, useLoad } from "../ui.js";

/** Epochs as a timeline: finalizations with signers and vendors, conflicts, halts, resumes; the escape hatch's countdown. */
export function RootsPage() {
  const { client, config } = useConsole();
  const state = useLoad(() => loadRoots({ client, config }), []);
  return (
    <>
      <h1>Roots</h1>
      <Loading state={state}>
        {(timeline) =>
          !timeline ? (
            <p className="muted">This deployment has no MultiProverRoots contract.</p>
          ) : (
            <>
              <div className="card" data-testid="roots-summary">
                {timeline.state.halted ? (
                  <div className="banner" data-testid="halted">
                    <strong>Halted</strong>: a conflicting root was reported. Only a ZK proof finalizes until governance resumes the contract.
                  </div>
                ) : null}
                <dl className="kv">
                  <dt>state</dt>
                  <dd>{timeline.state.halted ? <Badge kind="halted">halted</Badge> : <Badge kind="ok">running</Badge>}</dd>
                  <dt>quorum</dt>
                  <dd>{timeline.state.minVendors.toString()} distinct vendors{timeline.state.zkRequired ? " + ZK" : ""}</dd>
                  <dt>escape hatch</dt>
                  <dd data-testid="escape">
                    {timeline.state.halted ? "open while halted" : <>opens in <Countdown target={timeline.state.escapeOpensAt} chainNow={timeline.clock.timestamp} done="open now" /> (no TEE quorum for {formatDuration(Number(timeline.state.escapeDelay))})</>}
                  </dd>
                </dl>
              </div>
              <h2>Timeline</h2>
              <table className="timeline" data-testid="timeline">
                <thead>
                  <tr><th>block</th><th>epoch</th><th>event</th><th>root</th><th>what happened</th><th>signers</th></tr>
                </thead>
                <tbody>
                  {timeline.entries.map((e, i) => (
                    <tr key={`${e.transactionHash}/${i}`} className={e.kind} data-kind={e.kind}>
                      <td className="mono">{e.blockNumber.toString()}</td>
                      <td className="mono">{e.epoch?.toString() ?? "—"}</td>
                      <td><Badge kind={e.kind} /></td>
                      <td><Hex value={e.root} /></td>
                      <td className="wrap">{e.summary}</td>
                      <td>{e.signers.map((s) => <div key={s.address}><Hex value={s.address} /> {s.tee} · {s.vendor}</div>)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </Loading>
    </>
  );
}
