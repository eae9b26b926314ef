import { loadAllowlist } from "../../read/loadAllowlist.js";
import { tcbStatusesOfBitmap, teeLabel } from "../../read/labels.js";
import { useConsole } from "../context.js";
import { Badge, Hex, Loading, Time, formatDuration, useLoad } from "../ui.js";
import { OperationsTable } from "./OperationsTable.js";

/** Measurements with their windows, per-TEE policies, pending timelock changes decoded with time left, and history. */
export function AllowlistPage() {
  const { client, config } = useConsole();
  const state = useLoad(() => loadAllowlist({ client, config }), []);
  return (
    <>
      <h1>Allowlist</h1>
      <Loading state={state}>
        {(list) => (
          <>
            <h2>Pending changes (timelock)</h2>
            <OperationsTable operations={list.pending} clock={list.clock} />
            <h2>Measurements</h2>
            <table data-testid="measurements">
              <thead>
                <tr><th>program</th><th>TEE</th><th>measurement</th><th>status</th><th>valid from</th><th>valid until</th><th>note</th></tr>
              </thead>
              <tbody>
                {list.measurements.map((m) => (
                  <tr key={`${m.programId}/${m.teeType}/${m.measurement}`} data-measurement={m.measurement} data-program={m.programId} data-status={m.status}>
                    <td><Hex value={m.programId} /></td>
                    <td>{teeLabel(m.teeType)}</td>
                    <td><Hex value={m.measurement} /></td>
                    <td><Badge kind={m.status} /></td>
                    <td><Time seconds={m.validFrom} /></td>
                    <td><Time seconds={m.validUntil} /></td>
                    <td>{m.rotatedTo ? <>rotated to <Hex value={m.rotatedTo} /></> : null}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Per-TEE policy</h2>
            <table data-testid="policies">
              <thead>
                <tr><th>TEE</th><th>accepted TCB statuses</th><th>min SVN</th><th>max evidence age</th><th>allowed roots</th><th>per-root min SVN</th></tr>
              </thead>
              <tbody>
                {list.policies.map((p) => (
                  <tr key={p.teeType}>
                    <td>{teeLabel(p.teeType)}</td>
                    <td className="wrap">{tcbStatusesOfBitmap(p.acceptedTcbStatuses).join(", ") || <span className="muted">none</span>}</td>
                    <td className="mono">0x{p.minSvn.toString(16)}</td>
                    <td className="mono">{p.maxEvidenceAge === 0n ? "—" : formatDuration(Number(p.maxEvidenceAge))}</td>
                    <td>{p.allowedRoots.map((r) => <div key={r}><Hex value={r} /></div>)}</td>
                    <td>{p.rootMinSvn.map((r) => <div key={r.rootHash}><Hex value={r.rootHash} />: 0x{r.minSvn.toString(16)}</div>)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>History</h2>
            <table data-testid="history">
              <thead>
                <tr><th>block</th><th>event</th><th>details</th></tr>
              </thead>
              <tbody>
                {list.history.slice(0, 200).map((h, i) => (
                  <tr key={`${h.transactionHash}/${i}`}>
                    <td className="mono">{h.blockNumber.toString()}</td>
                    <td>{h.eventName}</td>
                    <td className="wrap mono">{Object.entries(h.args).map(([k, v]) => `${k}=${k === "teeType" ? teeLabel(Number(v)) : String(v)}`).join("  ")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        )}
      </Loading>
    </>
  );
}
