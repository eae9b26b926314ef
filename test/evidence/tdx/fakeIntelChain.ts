/**
 * A fresh ECDSA P-256 chain with Intel's names (root, PCK Platform CA, PCK leaf), made with the openssl CLI
 * for tests that need a chain we hold the keys of: forged quotes must fail only on the pin, and a swapped root
 * with Intel's name must fail on the signature.
 */
import { execFileSync } from "node:child_process";
import { createHash, createPrivateKey, X509Certificate, type KeyObject } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type FakeChain = { rootPem: string; intermediatePem: string; leafPem: string; leafKey: KeyObject; rootSha256: string };

const INTEL_DN = (cn: string) => `/CN=${cn}/O=Intel Corporation/L=Santa Clara/ST=CA/C=US`;

export function makeFakeIntelChain(): FakeChain {
  const dir = mkdtempSync(join(tmpdir(), "teezk-fake-intel-"));
  const run = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  try {
    for (const name of ["root", "int", "leaf"]) run("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`);
    writeFileSync(join(dir, "ca.ext"), "basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\n");
    writeFileSync(join(dir, "leaf.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n");
    run("req", "-x509", "-new", "-key", "root.key", "-sha256", "-days", "3650", "-subj", INTEL_DN("Intel SGX Root CA"),
      "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", "root.pem");
    run("req", "-new", "-key", "int.key", "-subj", INTEL_DN("Intel SGX PCK Platform CA"), "-out", "int.csr");
    run("x509", "-req", "-in", "int.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2", "-days", "3650", "-sha256", "-extfile", "ca.ext", "-out", "int.pem");
    run("req", "-new", "-key", "leaf.key", "-subj", INTEL_DN("Intel SGX PCK Certificate"), "-out", "leaf.csr");
    run("x509", "-req", "-in", "leaf.csr", "-CA", "int.pem", "-CAkey", "int.key", "-set_serial", "3", "-days", "3650", "-sha256", "-extfile", "leaf.ext", "-out", "leaf.pem");
    const read = (file: string) => readFileSync(join(dir, file), "latin1");
    const rootPem = read("root.pem");
    return {
      rootPem,
      intermediatePem: read("int.pem"),
      leafPem: read("leaf.pem"),
      leafKey: createPrivateKey(read("leaf.key")),
      rootSha256: createHash("sha256").update(new X509Certificate(rootPem).raw).digest("hex"),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
