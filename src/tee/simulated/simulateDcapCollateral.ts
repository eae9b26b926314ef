import { generateKeyPairSync, sign } from "node:crypto";
import { parseDcapCrl, parseEnclaveIdentity, parseTcbInfo, type DcapCollateral, type IntelTcbStatus } from "../../evidence/tdx/collateral/index.js";
import { issueDevCertificate } from "./issueDevCertificate.js";
import { issueDevCrl } from "./issueDevCrl.js";
import { SIMULATED_PLATFORM, simulatedRegister } from "./simulatedDefaults.js";
import type { DevRoots } from "./types.js";

export type SimulateDcapCollateralParameters = {
  kind: "tdx" | "sgx";
  devRoots: DevRoots;
  /** Collateral is issued a day before `now` and is current for 30 days after it. */
  now: Date;
  /** Status of the platform's TCB level (default UpToDate). */
  tcbStatus?: IntelTcbStatus;
};

const DAY_MS = 86_400_000;

/**
 * Intel-shaped collateral for simulated quotes: a TCB info v3 (id TDX or SGX) for the dev PCK's FMSPC and
 * PCE-ID with one level matching the dev platform (plus, for TDX, the TDX_01 module identity), and the TD_QE
 * or QE identity matching the simulated quoting enclave, both signed (ECDSA P-256 over the exact JSON body) by
 * a TCB signing certificate the Intel dev root issues. Bodies are parsed by the verifier's own parsers, so
 * `body` and `signedBytes` cannot disagree. Current, empty PCK and root CRLs complete it, as a fresh PCS fetch
 * would: the default reference values require both revocation checks.
 */
export function simulateDcapCollateral({ kind, devRoots, now, tcbStatus = "UpToDate" }: SimulateDcapCollateralParameters): DcapCollateral {
  const issueDate = new Date(now.getTime() - DAY_MS).toISOString();
  const nextUpdate = new Date(now.getTime() + 30 * DAY_MS).toISOString();
  const keys = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const signing = issueDevCertificate({
    commonName: "teezk dev Intel SGX TCB Signing",
    publicKey: keys.publicKey,
    issuer: devRoots.intel.root,
    ca: false,
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + 365 * DAY_MS),
  });
  const issuerChain = [signing, devRoots.intel.root.certificate];
  const signed = <T>(json: object, parse: (value: unknown, source: string) => T, source: string) => {
    const signedBytes = new Uint8Array(Buffer.from(JSON.stringify(json)));
    return {
      body: parse(JSON.parse(Buffer.from(signedBytes).toString("utf8")), source),
      signedBytes,
      signature: new Uint8Array(sign("sha256", signedBytes, { key: keys.privateKey, dsaEncoding: "ieee-p1363" })),
      issuerChain,
      source,
    };
  };
  const svns = (bytes: Iterable<number>) => Array.from(bytes, (svn) => ({ svn }));
  const level = {
    tcb: {
      sgxtcbcomponents: svns(Buffer.from(SIMULATED_PLATFORM.pckCpuSvn, "hex")),
      pcesvn: SIMULATED_PLATFORM.pckPceSvn,
      ...(kind === "tdx" ? { tdxtcbcomponents: svns(Buffer.from(SIMULATED_PLATFORM.tdxTeeTcbSvn, "hex")) } : {}),
    },
    tcbDate: "2025-01-01T00:00:00Z",
    tcbStatus,
    advisoryIDs: tcbStatus === "UpToDate" ? [] : ["TEEZK-SIM-0001"],
  };
  const teeTcbSvn = Buffer.from(SIMULATED_PLATFORM.tdxTeeTcbSvn, "hex");
  const tcbInfo = {
    id: kind === "tdx" ? "TDX" : "SGX",
    version: 3,
    issueDate,
    nextUpdate,
    fmspc: SIMULATED_PLATFORM.pckFmspc,
    pceId: SIMULATED_PLATFORM.pckPceId,
    tcbType: 0,
    tcbEvaluationDataNumber: 17,
    ...(kind === "tdx"
      ? {
          tdxModule: { mrsigner: "00".repeat(48), attributes: "00".repeat(8), attributesMask: "ff".repeat(8) },
          tdxModuleIdentities: [
            {
              id: `TDX_${teeTcbSvn[1]!.toString(16).toUpperCase().padStart(2, "0")}`,
              mrsigner: "00".repeat(48),
              attributes: "00".repeat(8),
              attributesMask: "ff".repeat(8),
              tcbLevels: [{ tcb: { isvsvn: teeTcbSvn[0]! }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" }],
            },
          ],
        }
      : {}),
    tcbLevels: [level],
  };
  const qeIdentity = {
    id: kind === "tdx" ? "TD_QE" : "QE",
    version: 2,
    issueDate,
    nextUpdate,
    tcbEvaluationDataNumber: 17,
    miscselect: "00000000",
    miscselectMask: "ffffffff",
    // The simulated QE's ATTRIBUTES (INIT | MODE64BIT, XFRM 3); flags compared under an all-ones mask, XFRM ignored.
    attributes: `05${"00".repeat(15)}`,
    attributesMask: `${"ff".repeat(8)}${"00".repeat(8)}`,
    mrsigner: Buffer.from(simulatedRegister("intel", "qe mrsigner", 32)).toString("hex"),
    isvprodid: kind === "tdx" ? 2 : 1,
    tcbLevels: [{ tcb: { isvsvn: 8 }, tcbDate: "2025-01-01T00:00:00Z", tcbStatus: "UpToDate" }],
  };
  return {
    tcbInfo: signed(tcbInfo, parseTcbInfo, "simulated TCB info (dev root)"),
    qeIdentity: signed(qeIdentity, parseEnclaveIdentity, "simulated QE identity (dev root)"),
    pckCrls: [parseDcapCrl(issueDevCrl({ issuer: devRoots.intel.pckCa, now }), "simulated PCK CRL (dev PCK CA)")],
    rootCaCrl: parseDcapCrl(issueDevCrl({ issuer: devRoots.intel.root, now }), "simulated root CA CRL (dev root)"),
    source: "teezk simulated collateral (dev root)",
  };
}
