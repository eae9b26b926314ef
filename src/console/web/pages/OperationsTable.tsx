import { encodeFunctionData } from "viem";
import { useState } from "react";
import { timelockAbi } from "../../../chain/contractAbis.js";
import type { TimelockOperationView } from "../../read/loadTimelockOperations.js";
import type { ChainClock } from "../../read/types.js";
import { useConsole } from "../context.js";
import { sendWithWallet } from "../wallet.js";
import { Badge, Countdown, ErrorBox, Hex } from "../ui.js";

/** Timelock operations, decoded, with time left and an Execute button once ready (any executor's wallet). */
export function OperationsTable({ operations, clock }: { operations: TimelockOperationView[]; clock: ChainClock }) {
  if (operations.length === 0) return <p className="muted" data-testid="no-operations">No open timelock operation.</p>;
  return (
    <table data-testid="operations">
      <thead>
        <tr>
          <th>operation</th>
          <th>state</th>
          <th>executable</th>
          <th>what it changes</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {operations.map((op) => (
          <tr key={op.id} data-operation={op.id} data-state={op.state}>
            <td><Hex value={op.id} /></td>
            <td><Badge kind={op.state} /></td>
            <td>{op.state === "pending" || op.state === "ready" ? <Countdown target={op.readyAt} chainNow={clock.timestamp} /> : "—"}</td>
            <td className="wrap">
              {op.calls.map((call, i) => (
                <div key={i}>
                  <span className="muted">{call.contract}.{call.functionName}:</span> {call.summary}
                </div>
              ))}
            </td>
            <td>{op.state === "ready" ? <ExecuteButton op={op} /> : null}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ExecuteButton({ op }: { op: TimelockOperationView }) {
  const { client, config, refresh } = useConsole();
  const [status, setStatus] = useState<{ busy?: boolean; error?: unknown; hash?: string }>({});
  const execute = async () => {
    setStatus({ busy: true });
    try {
      const data = encodeFunctionData({
        abi: timelockAbi,
        functionName: "executeBatch",
        args: [op.calls.map((c) => c.target), op.calls.map(() => 0n), op.calls.map((c) => c.data), op.predecessor, op.salt],
      });
      const sent = await sendWithWallet({ client, chainId: config.chainId, to: config.deployment.timelock, data });
      setStatus({ hash: sent.hash });
      refresh();
    } catch (error) {
      setStatus({ error });
    }
  };
  return (
    <>
      <button className="primary" onClick={execute} disabled={status.busy} data-testid="execute">
        Execute
      </button>
      {status.hash ? <div className="muted">sent <Hex value={status.hash} /></div> : null}
      {status.error ? <ErrorBox title="Execute failed" error={status.error} /> : null}
    </>
  );
}
