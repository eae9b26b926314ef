import { useState, type DragEvent } from "react";
import { encodeFunctionData } from "viem";
import { receiptVerifierAbi } from "../../../chain/contractAbis.js";
import { checkReceipt, type ReceiptCheck } from "../../read/checkReceipt.js";
import { loadReceipts } from "../../read/loadReceipts.js";
import { MAX_PASTE_CHARS, parseReceiptPaste, type ReceiptPaste } from "../../read/parseReceiptPaste.js";
import { useConsole } from "../context.js";
import { sendWithWallet } from "../wallet.js";
import { Badge, ErrorBox, Hex, Loading, useLoad } from "../ui.js";

/** Paste or drop a receipt (or a batch inclusion proof): accepted, or exactly why not; consumed receipts and batches listed. */
export function ReceiptsPage() {
  const { client, config, refreshCount } = useConsole();
  const [text, setText] = useState("");
  const [result, setResult] = useState<{ paste: ReceiptPaste; check: ReceiptCheck } | { error: unknown } | undefined>();
  const lists = useLoad(() => loadReceipts({ client, config }), []);
  const check = async (input = text) => {
    try {
      const paste = parseReceiptPaste(input);
      setResult({ paste, check: await checkReceipt({ client, config, paste }) });
    } catch (error) {
      setResult({ error });
    }
  };
  const onDrop = async (event: DragEvent<HTMLTextAreaElement>) => {
    event.preventDefault();
    const file = event.dataTransfer.files[0];
    if (!file) return;
    if (file.size > MAX_PASTE_CHARS) return setResult({ error: Object.assign(new Error(`The file is ${file.size} bytes; a receipt is under ${MAX_PASTE_CHARS}`), { code: "CONSOLE_PASTE_INVALID" }) });
    const content = await file.text();
    setText(content);
    await check(content);
  };
  return (
    <>
      <h1>Receipts</h1>
      <textarea
        className="drop"
        data-testid="receipt-input"
        placeholder={'Paste or drop a receipt: { "receipt": {…}, "signature": "0x…" }, or a batch member: { "receipt": {…}, "root", "signer", "proof": […] }'}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onDragOver={(e) => e.preventDefault()}
        onDrop={onDrop}
      />
      <div className="toolbar">
        <button className="primary" onClick={() => void check()} data-testid="check-receipt">
          Check
        </button>
        <span className="muted">uses the contracts' own view calls (verifyReceipt / verifyIncluded); nothing is sent</span>
      </div>
      {result && "error" in result ? <ErrorBox title="Not a receipt this page can check" error={result.error} /> : null}
      {result && "check" in result ? <CheckResult paste={result.paste} check={result.check} recheck={() => void check()} key={refreshCount} /> : null}
      <Loading state={lists}>
        {(r) => (
          <>
            <h2>Consumed ({r.complete ? r.consumedTotal : `${r.consumedTotal}+ in recent blocks`})</h2>
            <table data-testid="consumed">
              <thead>
                <tr><th>block</th><th>via</th><th>program</th><th>consumer</th><th>replay key</th><th>enclave / batch</th></tr>
              </thead>
              <tbody>
                {r.consumed.map((c) => (
                  <tr key={`${c.transactionHash}/${c.replayKey}/${c.consumer}`}>
                    <td className="mono">{c.blockNumber.toString()}</td>
                    <td>{c.via}</td>
                    <td><Hex value={c.programId} /></td>
                    <td><Hex value={c.consumer} /></td>
                    <td><Hex value={c.replayKey} /></td>
                    <td>{c.enclave ? <Hex value={c.enclave} /> : <Hex value={c.root} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {r.consumedTotal > r.consumed.length ? <p className="muted">newest {r.consumed.length} of {r.consumedTotal}</p> : null}
            <h2>Batches ({r.complete ? r.batchesTotal : `${r.batchesTotal}+ in recent blocks`})</h2>
            <table data-testid="batches">
              <thead>
                <tr><th>block</th><th>root</th><th>signer</th><th>receipts</th></tr>
              </thead>
              <tbody>
                {r.batches.map((b) => (
                  <tr key={`${b.root}/${b.enclave}`}>
                    <td className="mono">{b.blockNumber.toString()}</td>
                    <td><Hex value={b.root} /></td>
                    <td><Hex value={b.enclave} /></td>
                    <td className="mono">{b.count}</td>
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

function CheckResult({ paste, check, recheck }: { paste: ReceiptPaste; check: ReceiptCheck; recheck: () => void }) {
  const { client, config, refresh } = useConsole();
  const [consume, setConsume] = useState<{ error?: unknown; hash?: string }>({});
  const consumed = check.consumedBy.length > 0;
  const onConsume = async () => {
    if (paste.kind !== "signed") return;
    try {
      const data = encodeFunctionData({ abi: receiptVerifierAbi, functionName: "consumeReceipt", args: [paste.receipt, paste.signature] });
      const sent = await sendWithWallet({ client, chainId: config.chainId, to: config.deployment.receiptVerifier, data });
      setConsume({ hash: sent.hash });
      refresh();
      recheck();
    } catch (error) {
      setConsume({ error });
    }
  };
  return (
    <div className={`banner ${check.accepted ? "ok" : ""}`} data-testid="receipt-result" data-accepted={String(check.accepted)} data-consumed={String(consumed)}>
      <strong>
        {check.accepted ? "Accepted" : "Refused"}
        {check.revert ? `: ${check.revert.text}` : ""}
      </strong>{" "}
      {consumed ? <Badge kind="warn">consumed</Badge> : null}
      <div className="detail">
        {check.explanation}
        {check.signer ? <div>signature recovers to <Hex value={check.signer} full /></div> : null}
        <div>replay key <Hex value={check.replayKey} full /></div>
        {check.consumedBy.map((c) => (
          <div key={`${c.transactionHash}/${c.consumer}`} data-testid="consumed-by">
            consumed by <Hex value={c.consumer} full /> in block {c.blockNumber.toString()}
          </div>
        ))}
        {check.accepted && paste.kind === "signed" ? (
          <div className="toolbar">
            <button onClick={() => void onConsume()} data-testid="consume">Consume with wallet</button>
            {consume.hash ? <span>consumed in <Hex value={consume.hash} /></span> : null}
          </div>
        ) : null}
        {consume.error ? <ErrorBox title="Consume failed" error={consume.error} /> : null}
      </div>
    </div>
  );
}
