import { loadOverview } from "../../read/loadOverview.js";
import { useConsole } from "../context.js";
import { Link } from "../router.js";
import { Badge, Countdown, Hex, Loading, Time, formatDuration, useLoad } from "../ui.js";

/** Chain, deployment, governance, liveness epoch, committee and the roots contract's state. */
export function OverviewPage() {
  const { client, config } = useConsole();
  const state = useLoad(() => loadOverview({ client, config }), []);
  return (
    <>
      <h1>Overview</h1>
      <Loading state={state}>
        {(o) => (
          <div className="grid">
            <section className="card" data-testid="chain">
              <h2>Chain</h2>
              <dl className="kv">
                <dt>chain id</dt>
                <dd className="mono">{o.chainId}</dd>
                <dt>latest block</dt>
                <dd className="mono">
                  {o.clock.blockNumber.toString()} · <Time seconds={o.clock.timestamp} />
                </dd>
                {Object.entries(config.deployment).map(([name, address]) => [
                  <dt key={`${name}k`}>{name}</dt>,
                  <dd key={`${name}v`}>
                    <Hex value={address} full />
                  </dd>,
                ])}
              </dl>
            </section>
            <section className="card" data-testid="governance">
              <h2>Governance</h2>
              <dl className="kv">
                <dt>timelock delay</dt>
                <dd className="mono">{formatDuration(Number(o.timelockDelay))}</dd>
                <dt>proposers</dt>
                <dd>{o.proposers.map((a) => <div key={a}><Hex value={a} full /></div>)}</dd>
                <dt>executors</dt>
                <dd>{o.executors.map((a) => <div key={a}>{/^0x0{40}$/.test(a) ? <span className="muted">anyone</span> : <Hex value={a} full />}</div>)}</dd>
                <dt>guardian</dt>
                <dd>{o.guardians.length ? o.guardians.map((a) => <div key={a}><Hex value={a} full /></div>) : <span className="muted">none</span>}</dd>
                <dt>liveness epoch</dt>
                <dd className="mono" data-testid="liveness-epoch">{o.livenessEpoch.toString()}</dd>
              </dl>
            </section>
            <section className="card" data-testid="committee">
              <h2>Committee</h2>
              <dl className="kv">
                <dt>threshold</dt>
                <dd className="mono">
                  {o.committeeThreshold.toString()} of {o.committeeMembers.length}
                </dd>
                <dt>members</dt>
                <dd>{o.committeeMembers.map((a) => <div key={a}><Hex value={a} full /></div>)}</dd>
              </dl>
            </section>
            <section className="card" data-testid="roots-state">
              <h2>Roots</h2>
              {o.roots ? (
                <dl className="kv">
                  <dt>state</dt>
                  <dd>{o.roots.halted ? <Badge kind="halted">halted</Badge> : <Badge kind="ok">running</Badge>}</dd>
                  <dt>rule</dt>
                  <dd>
                    {o.roots.minVendors.toString()} distinct vendors{o.roots.zkRequired ? " + a ZK proof" : ""}
                  </dd>
                  <dt>escape delay</dt>
                  <dd className="mono">{formatDuration(Number(o.roots.escapeDelay))}</dd>
                  <dt>escape hatch</dt>
                  <dd>
                    {o.roots.halted ? "open (halted)" : <Countdown target={o.roots.escapeOpensAt} chainNow={o.clock.timestamp} done="open" />}
                  </dd>
                  <dt>program</dt>
                  <dd><Hex value={o.roots.programId} /></dd>
                </dl>
              ) : (
                <p className="muted">No roots contract in this deployment.</p>
              )}
              <p><Link to="/roots">timeline →</Link></p>
            </section>
          </div>
        )}
      </Loading>
    </>
  );
}
