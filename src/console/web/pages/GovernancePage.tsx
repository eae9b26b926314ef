import { useState } from "react";
import { encodeFunctionData, isHex, keccak256, toHex, type Hex as HexValue } from "viem";
import { buildAllowMeasurementCalls, type TimelockCall } from "../../../chain/buildAllowMeasurementCalls.js";
import { measurementRegistryAbi, timelockAbi } from "../../../chain/contractAbis.js";
import { TcbStatus } from "../../../claims/types.js";
import { describeGovernanceCall } from "../../read/describeGovernanceCall.js";
import { TEE_TYPES, teeLabel } from "../../read/labels.js";
import { loadTimelockOperations } from "../../read/loadTimelockOperations.js";
import { useConsole } from "../context.js";
import { sendWithWallet } from "../wallet.js";
import { ErrorBox, Hex, Loading, useLoad } from "../ui.js";
import { OperationsTable } from "./OperationsTable.js";

type Action = "allow" | "rotate" | "policy";
type Form = Record<string, string>;

const ZERO32 = `0x${"00".repeat(32)}` as HexValue;

/** Build a timelock proposal (allow, rotate, policy), show its calldata, send it; execute ready operations; guardian revocation. */
export function GovernancePage() {
  const { client, config } = useConsole();
  const operations = useLoad(() => loadTimelockOperations({ client, config }), []);
  return (
    <>
      <h1>Governance</h1>
      <ProposalBuilder />
      <h2>Open timelock operations</h2>
      <Loading state={operations}>{(o) => <OperationsTable operations={o.operations.filter((op) => op.state === "pending" || op.state === "ready")} clock={o.clock} />}</Loading>
      <Revocation />
    </>
  );
}

function bytes32(form: Form, field: string): HexValue {
  const value = (form[field] ?? "").trim();
  if (!isHex(value, { strict: true }) || value.length !== 66) throw Object.assign(new Error(`${field} must be 0x-prefixed 32-byte hex`), { code: "CONFIG_INVALID" });
  return value as HexValue;
}

function uint(form: Form, field: string, fallback = "0"): bigint {
  const value = (form[field] ?? "").trim() || fallback;
  if (!/^\d{1,20}$/.test(value)) throw Object.assign(new Error(`${field} must be a non-negative integer`), { code: "CONFIG_INVALID" });
  return BigInt(value);
}

function buildCalls(action: Action, form: Form, measurementRegistry: `0x${string}`): TimelockCall[] {
  const teeType = Number(form.teeType ?? "1");
  const policy = () => ({
    acceptedTcbStatuses: (form.accept ?? "UP_TO_DATE").split(",").filter(Boolean).reduce((bits, name) => bits | (1n << BigInt(TcbStatus[name as keyof typeof TcbStatus])), 0n),
    minSvn: Number(uint(form, "minSvn")),
    maxEvidenceAge: uint(form, "maxEvidenceAge", "3600"),
  });
  if (action === "allow") {
    return buildAllowMeasurementCalls({
      measurementRegistry,
      programId: bytes32(form, "programId"),
      teeType,
      measurement: bytes32(form, "measurement"),
      ...(form.withPolicy === "yes" ? { policy: policy() } : {}),
      ...(form.rootHash?.trim() ? { allowRootHashes: [bytes32(form, "rootHash")] } : {}),
    });
  }
  if (action === "rotate") {
    const data = encodeFunctionData({
      abi: measurementRegistryAbi,
      functionName: "rotateMeasurement",
      args: [bytes32(form, "programId"), teeType, bytes32(form, "measurement"), bytes32(form, "newMeasurement"), uint(form, "gracePeriod", "86400")],
    });
    return [{ target: measurementRegistry, value: 0n, data }];
  }
  return [{ target: measurementRegistry, value: 0n, data: encodeFunctionData({ abi: measurementRegistryAbi, functionName: "setTeePolicy", args: [teeType, policy()] }) }];
}

function ProposalBuilder() {
  const { client, config, refresh } = useConsole();
  const [action, setAction] = useState<Action>("allow");
  const [form, setForm] = useState<Form>({ teeType: "1", accept: "UP_TO_DATE,NOT_APPLICABLE", maxEvidenceAge: "3600", minSvn: "0", gracePeriod: "86400", withPolicy: "no", programId: config.deployment.multiProverRoots ? "" : "" });
  const [built, setBuilt] = useState<{ calls: TimelockCall[]; calldata: HexValue; salt: HexValue; delay: bigint } | { error: unknown }>();
  const [sent, setSent] = useState<{ hash?: string; error?: unknown; busy?: boolean }>({});
  const set = (field: string) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  const build = async () => {
    setSent({});
    try {
      const calls = buildCalls(action, form, config.deployment.measurementRegistry);
      const delay = await client.readContract({ address: config.deployment.timelock, abi: timelockAbi, functionName: "getMinDelay" });
      // A fresh salt per proposal, so two equal proposals are two operations rather than a revert.
      const salt = keccak256(toHex(`teezk console proposal ${Date.now()} ${Math.random()}`));
      const calldata = encodeFunctionData({ abi: timelockAbi, functionName: "scheduleBatch", args: [calls.map((c) => c.target), calls.map((c) => c.value), calls.map((c) => c.data), ZERO32, salt, delay] });
      setBuilt({ calls, calldata, salt, delay });
    } catch (error) {
      setBuilt({ error });
    }
  };
  const send = async () => {
    if (!built || "error" in built) return;
    setSent({ busy: true });
    try {
      const tx = await sendWithWallet({ client, chainId: config.chainId, to: config.deployment.timelock, data: built.calldata });
      setSent({ hash: tx.hash });
      refresh();
    } catch (error) {
      setSent({ error });
    }
  };
  const field = (name: string, label: string, placeholder = "0x…") => (
    <label className="field">
      {label}
      <input name={name} value={form[name] ?? ""} onChange={set(name)} placeholder={placeholder} size={name.length > 8 ? 30 : 14} />
    </label>
  );
  return (
    <section className="card" data-testid="proposal">
      <h2>New timelock proposal</h2>
      <div className="form">
        <label className="field">
          action
          <select name="action" value={action} onChange={(e) => setAction(e.target.value as Action)}>
            <option value="allow">allow a measurement</option>
            <option value="rotate">rotate a measurement</option>
            <option value="policy">set a TEE policy</option>
          </select>
        </label>
        <label className="field">
          TEE
          <select name="teeType" value={form.teeType} onChange={set("teeType")}>
            {TEE_TYPES.map((t) => <option key={t} value={t}>{teeLabel(t)}</option>)}
          </select>
        </label>
        {action !== "policy" ? field("programId", "program id") : null}
        {action !== "policy" ? field("measurement", action === "rotate" ? "old measurement" : "measurement") : null}
        {action === "rotate" ? field("newMeasurement", "new measurement") : null}
        {action === "rotate" ? field("gracePeriod", "grace period (s)", "86400") : null}
        {action === "allow" ? field("rootHash", "also allow root (optional)") : null}
        {action === "allow" ? (
          <label className="field">
            also set policy
            <select name="withPolicy" value={form.withPolicy} onChange={set("withPolicy")}>
              <option value="no">no</option>
              <option value="yes">yes</option>
            </select>
          </label>
        ) : null}
        {action === "policy" || form.withPolicy === "yes" ? (
          <>
            {field("accept", "accepted TCB statuses", "UP_TO_DATE,NOT_APPLICABLE")}
            {field("minSvn", "min SVN", "0")}
            {field("maxEvidenceAge", "max evidence age (s)", "3600")}
          </>
        ) : null}
        <button className="primary" onClick={() => void build()} data-testid="build">
          Build
        </button>
      </div>
      {built && "error" in built ? <ErrorBox title="Cannot build this proposal" error={built.error} /> : null}
      {built && "calls" in built ? (
        <div data-testid="built">
          <ol>
            {built.calls.map((call, i) => (
              <li key={i}>{describeGovernanceCall(config.deployment, call.target, call.data).summary}</li>
            ))}
          </ol>
          <div className="muted">
            TimelockController.scheduleBatch on <Hex value={config.deployment.timelock} full /> · delay {built.delay.toString()} s · salt <Hex value={built.salt} />
          </div>
          <pre className="calldata" data-testid="calldata">{built.calldata}</pre>
          <div className="toolbar">
            <button onClick={() => void navigator.clipboard?.writeText(built.calldata)}>Copy calldata (multisig)</button>
            <button className="primary" onClick={() => void send()} disabled={sent.busy} data-testid="send">
              Send with wallet
            </button>
            {sent.hash ? <span data-testid="sent">scheduled in <Hex value={sent.hash} /></span> : null}
          </div>
          {sent.error ? <ErrorBox title="Sending failed" error={sent.error} /> : null}
        </div>
      ) : null}
    </section>
  );
}

function Revocation() {
  const { client, config, refresh } = useConsole();
  const [teeType, setTeeType] = useState("1");
  const [measurement, setMeasurement] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState("");
  const [state, setState] = useState<{ hash?: string; error?: unknown }>({});
  const confirmWord = measurement.slice(0, 10);
  const revoke = async () => {
    setConfirming(false);
    try {
      if (!isHex(measurement, { strict: true }) || measurement.length !== 66) throw Object.assign(new Error("measurement must be 0x-prefixed 32-byte hex"), { code: "CONFIG_INVALID" });
      const data = encodeFunctionData({ abi: measurementRegistryAbi, functionName: "revokeMeasurement", args: [Number(teeType), measurement as HexValue] });
      const sent = await sendWithWallet({ client, chainId: config.chainId, to: config.deployment.measurementRegistry, data });
      setState({ hash: sent.hash });
      refresh();
    } catch (error) {
      setState({ error });
    }
  };
  return (
    <section className="card" data-testid="revocation" style={{ marginTop: 16 }}>
      <h2>Guardian revocation (immediate, permanent)</h2>
      <div className="form">
        <label className="field">
          TEE
          <select name="revokeTeeType" value={teeType} onChange={(e) => setTeeType(e.target.value)}>
            {TEE_TYPES.map((t) => <option key={t} value={t}>{teeLabel(t)}</option>)}
          </select>
        </label>
        <label className="field">
          measurement
          <input name="revokeMeasurement" value={measurement} onChange={(e) => setMeasurement(e.target.value.trim())} placeholder="0x…" size={40} />
        </label>
        <button className="danger" onClick={() => { setTyped(""); setConfirming(true); }} disabled={measurement.length !== 66} data-testid="revoke">
          Revoke…
        </button>
      </div>
      {state.hash ? <p data-testid="revoked">revoked in <Hex value={state.hash} /></p> : null}
      {state.error ? <ErrorBox title="Revocation failed" error={state.error} /> : null}
      {confirming ? (
        <div className="modal-backdrop">
          <div className="modal" role="dialog" aria-label="Confirm revocation">
            <h1>Revoke {teeLabel(Number(teeType))} measurement?</h1>
            <p>
              <Hex value={measurement} full /> is revoked for every program, permanently: every enclave registered with it stops being live in the next block.
              It cannot be undone; a rebuilt image needs a new measurement and a timelock proposal.
            </p>
            <label className="field">
              type <code>{confirmWord}</code> to confirm
              <input value={typed} onChange={(e) => setTyped(e.target.value)} data-testid="confirm-input" autoFocus />
            </label>
            <div className="toolbar">
              <button onClick={() => setConfirming(false)}>Cancel</button>
              <button className="danger" disabled={typed !== confirmWord} onClick={() => void revoke()} data-testid="confirm-revoke">
                Revoke permanently
              </button>
            </div>
          </div>
        </div>
      ) : null}
    </section>
  );
}
