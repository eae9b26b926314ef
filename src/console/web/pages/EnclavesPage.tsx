import { useState } from "react";
import { loadEnclaves } from "../../read/loadEnclaves.js";
import { useConsole } from "../context.js";
import { Link } from "../router.js";
import { Badge, Hex, Loading, Time, useLoad } from "../ui.js";

/** Rows drawn at once; the filter narrows the rest. Keeps a 1,000-enclave page fast. */
const ROWS_SHOWN = 200;

/** Every registered key, its route, expiry and status with the reason. */
export function EnclavesPage() {
  const { client, config } = useConsole();
  const state = useLoad(() => loadEnclaves({ client, config }), []);
  const [filter, setFilter] = useState("");
  return (
    <>
      <h1>Enclaves</h1>
      <Loading state={state}>
        {({ enclaves, clock }) => {
          const needle = filter.trim().toLowerCase();
          const rows = needle ? enclaves.filter((e) => [e.enclave, e.measurement, e.tee, e.vendor, e.status, e.route, e.programId].some((v) => v.toLowerCase().includes(needle))) : enclaves;
          const counts = enclaves.reduce<Record<string, number>>((acc, e) => ({ ...acc, [e.status]: (acc[e.status] ?? 0) + 1 }), {});
          return (
            <>
              <div className="toolbar">
                <input data-filter placeholder="filter: address, measurement, TEE, status… (/)" value={filter} onChange={(e) => setFilter(e.target.value)} size={48} />
                <span className="muted" data-testid="enclave-counts">
                  {enclaves.length} keys · {Object.entries(counts).map(([status, n]) => `${n} ${status}`).join(" · ")} · chain time <Time seconds={clock.timestamp} />
                </span>
              </div>
              <table data-testid="enclaves">
                <thead>
                  <tr>
                    <th>enclave</th>
                    <th>status</th>
                    <th>TEE</th>
                    <th>vendor</th>
                    <th>measurement</th>
                    <th>route</th>
                    <th>expires</th>
                    <th>program</th>
                    <th>reason</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.slice(0, ROWS_SHOWN).map((e) => (
                    <tr key={`${e.enclave}/${e.programId}`} data-enclave={e.enclave} data-program={e.programId} data-route={e.route} data-status={e.status}>
                      <td>
                        <Link to={`/enclaves/${e.enclave}`}>
                          <Hex value={e.enclave} />
                        </Link>
                      </td>
                      <td>
                        <Badge kind={e.status} />
                      </td>
                      <td>{e.tee}{e.gpuMeasurements.length ? ` + ${e.gpuMeasurements.length} GPU` : ""}</td>
                      <td>{e.vendor}</td>
                      <td><Hex value={e.measurement} /></td>
                      <td>{e.route}</td>
                      <td><Time seconds={e.expiresAt} /></td>
                      <td><Hex value={e.programId} /></td>
                      <td className="wrap">{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {rows.length > ROWS_SHOWN ? <p className="muted">{rows.length - ROWS_SHOWN} more: narrow with the filter.</p> : null}
            </>
          );
        }}
      </Loading>
    </>
  );
}
