import type { Address, Hex as HexValue } from "viem";
import { tcbStatusName } from "../../../claims/types.js";
import type { Claims } from "../../../claims/types.js";
import type { ArchivedEvidence } from "../../readArchiveEvidence.js";
import { loadEnclave } from "../../read/loadEnclave.js";
import { teeLabel } from "../../read/labels.js";
import { useConsole } from "../context.js";
import { Badge, ErrorBox, Hex, Loading, Time, useLoad } from "../ui.js";

/** One enclave: each registration's claims (from its transaction), the contract's liveness answer, and the archive's evidence and verdicts. */
export function EnclavePage({ address }: { address: Address }) {
  const { client, config } = useConsole();
  const state = useLoad(() => loadEnclave({ client, config, enclave: address }), [address]);
  return (
    <>
      <h1>
        Enclave <Hex value={address} full />
      </h1>
      <Loading state={state}>
        {({ registrations }) =>
          registrations.length === 0 ? (
            <ErrorBox title="No such enclave" error={new Error(`${address} never registered with this deployment's EnclaveRegistry.`)} />
          ) : (
            registrations.map((r) => (
              <section className="card" key={r.programId} data-testid="registration" data-program={r.programId} style={{ marginBottom: 12 }}>
                <h2>
                  Program <Hex value={r.programId} /> · <Badge kind={r.status} /> · contract says {r.isLive ? <Badge kind="live">isLive = true</Badge> : <Badge kind="bad">isLive = false</Badge>}
                </h2>
                {r.reason ? <p data-testid="reason">{r.reason}</p> : null}
                <div className="grid">
                  <dl className="kv">
                    <dt>TEE · vendor</dt>
                    <dd>{r.tee} · {r.vendor}</dd>
                    <dt>route</dt>
                    <dd>{r.route}</dd>
                    <dt>registered</dt>
                    <dd><Time seconds={r.registeredAt} /> (block {r.registeredInBlock.toString()}, {r.registrations}×)</dd>
                    <dt>expires</dt>
                    <dd><Time seconds={r.expiresAt} /></dd>
                    <dt>live until</dt>
                    <dd><Time seconds={r.liveUntil} /></dd>
                    <dt>HPKE key hash</dt>
                    <dd><Hex value={r.hpkeKeyHash} full /></dd>
                    <dt>platform id</dt>
                    <dd><Hex value={r.platformId} full /></dd>
                    <dt>registration tx</dt>
                    <dd><Hex value={r.registeredTx} full /></dd>
                  </dl>
                  {r.claims ? <ClaimsView claims={r.claims} claimsHash={r.claimsHash} /> : <p className="muted">Claims not in the registration transaction (relayed through another contract).</p>}
                </div>
                {r.gpuClaims?.map((gpu, i) => <ClaimsView key={i} claims={gpu} title={`GPU ${i}`} />)}
                {config.archive && r.claimsHash ? <ArchiveEvidence claimsHash={r.claimsHash} /> : <p className="muted">Start the console with --archive to see the evidence and verdicts behind this registration.</p>}
              </section>
            ))
          )
        }
      </Loading>
    </>
  );
}

function ClaimsView({ claims, claimsHash, title = "Claims" }: { claims: Claims; claimsHash?: HexValue | undefined; title?: string }) {
  return (
    <dl className="kv" data-testid="claims">
      <dt>{title}</dt>
      <dd>{claimsHash ? <Hex value={claimsHash} /> : null}</dd>
      <dt>teeType</dt>
      <dd>{teeLabel(claims.teeType)}</dd>
      <dt>measurement</dt>
      <dd><Hex value={claims.measurement} full /></dd>
      <dt>reportData</dt>
      <dd><Hex value={claims.reportData} full /></dd>
      <dt>rootHash</dt>
      <dd><Hex value={claims.rootHash} full /></dd>
      <dt>timestamp</dt>
      <dd><Time seconds={claims.timestamp} /></dd>
      <dt>tcbStatus</dt>
      <dd>{tcbStatusName(claims.tcbStatus) ?? claims.tcbStatus}</dd>
      <dt>svn</dt>
      <dd className="mono">0x{claims.svn.toString(16).padStart(12, "0")}</dd>
      <dt>debug</dt>
      <dd>{claims.debug ? <Badge kind="bad">debug</Badge> : "no"}</dd>
    </dl>
  );
}

function ArchiveEvidence({ claimsHash }: { claimsHash: HexValue }) {
  const state = useLoad(async () => {
    const response = await fetch(`/api/evidence/${claimsHash}`);
    if (!response.ok) throw new Error(`archive: HTTP ${response.status}`);
    return (await response.json()) as ArchivedEvidence;
  }, [claimsHash]);
  return (
    <Loading state={state}>
      {(archived) => (
        <div data-testid="archive-evidence">
          <h2>Evidence in the archive</h2>
          {archived.evidence.length === 0 ? <p className="muted">The archive holds no evidence with these claims.</p> : null}
          <table>
            <thead>
              <tr><th>recorded</th><th>source</th><th>TEE</th><th>bytes</th><th>sha256</th><th>appraisal</th><th>rules evaluated</th></tr>
            </thead>
            <tbody>
              {archived.evidence.map((e) => {
                const appraisals = archived.appraisals.filter((a) => a.evidenceId === e.id);
                return (
                  <tr key={e.id}>
                    <td className="mono">{String(e.recordedAt)}</td>
                    <td>{e.source}</td>
                    <td>{e.teeType === null ? "—" : teeLabel(e.teeType)}</td>
                    <td className="mono">{e.bytes}</td>
                    <td><Hex value={e.evidenceSha256} /></td>
                    <td>{appraisals.map((a) => <Badge key={a.id} kind={a.ok ? "ok" : "bad"}>{a.ok ? "passed" : a.failures.map((f) => f.code).join(", ")}</Badge>)}</td>
                    <td className="wrap">{appraisals.flatMap((a) => a.evaluated).join(", ")}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          {/* Every committee member archives the same evidence: its fields are shown once per distinct sha256. */}
          {archived.evidence.filter((e, i, all) => all.findIndex((other) => other.evidenceSha256 === e.evidenceSha256) === i).map((e) => (
            <div key={`${e.id}-reread`} className="card" data-testid="evidence-fields" style={{ marginTop: 8 }}>
              <h2>Evidence fields {e.reread.ok ? `(${e.reread.kind}, re-verified as of ${e.reread.at} against the pinned roots, without collateral)` : ""}</h2>
              {e.reread.ok ? (
                <dl className="kv">
                  <dt>TCB status</dt>
                  <dd>{tcbStatusName(e.reread.tcbStatus) ?? e.reread.tcbStatus}</dd>
                  <dt>advisory ids</dt>
                  <dd>{e.reread.advisoryIds.length ? e.reread.advisoryIds.join(", ") : <span className="muted">none</span>}</dd>
                  <dt>checks</dt>
                  <dd>{Object.entries(e.reread.checks).map(([check, outcome]) => <Badge key={check} kind={outcome === "passed" ? "ok" : "warn"}>{`${check}: ${outcome}`}</Badge>)}</dd>
                  {Object.entries(e.reread.registers).map(([name, value]) => [<dt key={`${name}k`}>{name}</dt>, <dd key={`${name}v`} className="mono">{value}</dd>])}
                </dl>
              ) : (
                <p className="muted">Could not re-read: {e.reread.code}: {e.reread.message}</p>
              )}
            </div>
          ))}
          <h2>Verdicts</h2>
          <table data-testid="verdicts">
            <thead>
              <tr><th>recorded</th><th>verifier</th><th>decision</th><th>signature</th></tr>
            </thead>
            <tbody>
              {archived.verdicts.map((v) => (
                <tr key={v.id}>
                  <td className="mono">{String(v.recordedAt)}</td>
                  <td><Hex value={v.verifier} /></td>
                  <td><Badge kind={v.accepted ? "accepted" : "refused"} /></td>
                  <td><Hex value={v.signature} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Loading>
  );
}
