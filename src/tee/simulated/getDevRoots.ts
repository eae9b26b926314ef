import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { TeezkError } from "../../errors/index.js";
import { certificateSha256, type PinnedRoot } from "../../util/x509.js";
import { DEV_ROOT_LABEL, issueDevCertificate, type DevIssuer } from "./issueDevCertificate.js";
import { SIMULATED_PLATFORM, simulatedRegister } from "./simulatedDefaults.js";
import type { DevKeyPair, DevRootFamily, DevRoots, SimulatedVendor } from "./types.js";
import { amdVcekExtensions, diceTcbInfo, SGX_EXTENSION_OID, sgxPckExtension, TCG_DICE_TCB_INFO_OID } from "./vendorExtensions.js";

export type GetDevRootsParameters = {
  /** Folder to keep the PKIs in; default `$TEEZK_HOME/dev-roots`, else `.teezk/dev-roots` under the cwd. */
  dir?: string;
  env?: NodeJS.ProcessEnv;
};
export type GetDevRootsReturnType = DevRoots;
export type GetDevRootsErrorType = TeezkError;

/** Dev certificates outlive any test or demo; `now` passed to a verifier only has to fall in this window. */
const NOT_BEFORE = new Date("2020-01-01T00:00:00Z");
const NOT_AFTER = new Date("2099-12-31T23:59:59Z");

/** Names and files of each family's PKI, parent before child. */
const LAYOUT: Record<DevRootFamily, readonly string[]> = {
  nitro: ["root", "intermediate"],
  intel: ["root", "pckCa", "pckLeaf"],
  amd: ["ark", "ask", "vcek"],
  nvidia: ["root", "ica", "deviceCa", "leaf"],
};

export const SIMULATED_SNP_PRODUCT = "Genoa";

/**
 * Returns the dev PKIs of the simulated TEEs, generating each vendor's on first use and keeping it (certificate
 * PEM + PKCS#8 key PEM per entry) under `dir/<vendor>/`, so later calls and other processes reuse the same
 * roots and their fingerprints stay trusted. A vendor folder is written whole to a temporary name and renamed
 * into place, so two processes racing on first use end with one PKI, never a mix. A folder that exists but
 * does not load is CONFIG_INVALID: replacing a root silently would change what a deployment trusts.
 */
export function getDevRoots(parameters: GetDevRootsParameters = {}): GetDevRootsReturnType {
  const env = parameters.env ?? process.env;
  const dir = resolve(parameters.dir ?? (env.TEEZK_HOME ? join(env.TEEZK_HOME, "dev-roots") : join(process.cwd(), ".teezk", "dev-roots")));
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw new TeezkError("CONFIG_INVALID", `Cannot create the dev-roots folder ${dir}`, { cause: error });
  }
  const readme = join(dir, "README.txt");
  if (!existsSync(readme)) {
    writeFileSync(
      readme,
      `${DEV_ROOT_LABEL}\n\nKeys and certificates of teezk's simulated TEEs (teezk tee attest --simulate). Anyone holding this\nfolder can forge evidence that chains to these roots: trust their fingerprints only in development.\n`,
    );
  }
  const load = <F extends DevRootFamily>(family: F) => loadOrCreate(dir, family) as DevRoots[F];
  return { dir, nitro: load("nitro"), intel: load("intel"), amd: load("amd"), nvidia: load("nvidia") };
}

/** The pin a verifier needs (`extraTrustedRoots`) to accept a vendor's simulated evidence. */
export function devRootPin(devRoots: DevRoots, vendor: SimulatedVendor): PinnedRoot {
  const family = devRootFamily(vendor);
  const root = family === "amd" ? devRoots.amd.ark : devRoots[family].root;
  return { name: `${DEV_ROOT_LABEL} (${family})`, sha256: certificateSha256(root.certificate).slice(2) };
}

export function devRootFamily(vendor: SimulatedVendor): DevRootFamily {
  return vendor === "tdx" || vendor === "sgx" ? "intel" : vendor === "sevsnp" ? "amd" : vendor;
}

function loadOrCreate(dir: string, family: DevRootFamily): Record<string, DevKeyPair> {
  const folder = join(dir, family);
  if (existsSync(folder)) return loadFamily(folder, family);
  const temporary = join(dir, `.${family}-${process.pid}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(temporary);
  try {
    const created = createFamily(family);
    for (const [name, pair] of Object.entries(created)) {
      writeFileSync(join(temporary, `${name}.crt.pem`), pair.certificate.toString());
      writeFileSync(join(temporary, `${name}.key.pem`), pair.privateKey.export({ type: "pkcs8", format: "pem" }), { mode: 0o600 });
    }
    try {
      renameSync(temporary, folder);
    } catch (error) {
      // Another process won the race: its PKI is the one everybody must share.
      if (!existsSync(folder)) throw error;
    }
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
  return loadFamily(folder, family);
}

function loadFamily(folder: string, family: DevRootFamily): Record<string, DevKeyPair> {
  const out: Record<string, DevKeyPair> = {};
  for (const name of LAYOUT[family]) {
    try {
      const certificate = new X509Certificate(readFileSync(join(folder, `${name}.crt.pem`)));
      const privateKey = createPrivateKey(readFileSync(join(folder, `${name}.key.pem`)));
      if (!samePublicKey(certificate.publicKey, createPublicKey(privateKey))) throw new Error("the key does not match the certificate");
      out[name] = { certificate, privateKey };
    } catch (error) {
      throw new TeezkError("CONFIG_INVALID", `The dev PKI in ${folder} is incomplete or damaged (${name})`, {
        cause: error,
        details: error instanceof Error ? error.message : String(error),
        metaMessages: [`Delete ${folder} to generate a new one; evidence signed by the old root will then no longer verify.`],
      });
    }
  }
  return out;
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  return a.export({ type: "spki", format: "der" }).equals(b.export({ type: "spki", format: "der" }));
}

function createFamily(family: DevRootFamily): Record<string, DevKeyPair> {
  const window = { notBefore: NOT_BEFORE, notAfter: NOT_AFTER };
  const ec = (curve: "P-256" | "P-384") => generateKeyPairSync("ec", { namedCurve: curve });
  const root = (commonName: string, keys: { publicKey: KeyObject; privateKey: KeyObject }): DevKeyPair => ({
    certificate: issueDevCertificate({ commonName, publicKey: keys.publicKey, issuer: { selfSign: keys.privateKey }, ca: true, ...window }),
    privateKey: keys.privateKey,
  });
  const child = (
    commonName: string,
    keys: { publicKey: KeyObject; privateKey: KeyObject },
    issuer: DevIssuer,
    ca: boolean,
    extensions: { oid: string; value: Uint8Array }[] = [],
  ): DevKeyPair => ({
    certificate: issueDevCertificate({ commonName, publicKey: keys.publicKey, issuer, ca, extensions, ...window }),
    privateKey: keys.privateKey,
  });
  switch (family) {
    case "nitro": {
      const rootPair = root(`${DEV_ROOT_LABEL} (aws.nitro-enclaves)`, ec("P-384"));
      return { root: rootPair, intermediate: child("teezk dev nitro-enclaves intermediate", ec("P-384"), rootPair, true) };
    }
    case "intel": {
      const rootPair = root(`${DEV_ROOT_LABEL} (Intel SGX Root CA)`, ec("P-256"));
      const pckCa = child("teezk dev Intel SGX PCK Platform CA", ec("P-256"), rootPair, true);
      const pckLeaf = child("teezk dev Intel SGX PCK Certificate", ec("P-256"), pckCa, false, [
        { oid: SGX_EXTENSION_OID, value: defaultSgxPckExtension() },
      ]);
      return { root: rootPair, pckCa, pckLeaf };
    }
    case "amd": {
      // AMD's verifier looks the hierarchy up by CN (ARK-<product>, SEV-<product>, SEV-VCEK); the dev label is
      // carried in O and OU instead.
      const rsa = () => generateKeyPairSync("rsa", { modulusLength: 4096 });
      const ark = root(`ARK-${SIMULATED_SNP_PRODUCT}`, rsa());
      const ask = child(`SEV-${SIMULATED_SNP_PRODUCT}`, rsa(), ark, true);
      const vcek = child("SEV-VCEK", ec("P-384"), ask, false, amdVcekExtensions(SIMULATED_SNP_PRODUCT, SIMULATED_PLATFORM.snpTcb, simulatedRegister("sevsnp", "chipId", 64)));
      return { ark, ask, vcek };
    }
    case "nvidia": {
      const rootPair = root(`${DEV_ROOT_LABEL} (NVIDIA Device Identity CA)`, ec("P-384"));
      const ica = child("teezk dev GH100 Provisioner ICA", ec("P-384"), rootPair, true);
      const deviceCa = child("teezk dev GH100 A01 GSP BROM", ec("P-384"), ica, true);
      const leaf = child("teezk dev GH100 A01 GSP FMC LF", ec("P-384"), deviceCa, false, [
        { oid: TCG_DICE_TCB_INFO_OID, value: diceTcbInfo(simulatedRegister("nvidia", "fwid")) },
      ]);
      return { root: rootPair, ica, deviceCa, leaf };
    }
  }
}

function defaultSgxPckExtension(): Uint8Array {
  const cpuSvn = new Uint8Array(Buffer.from(SIMULATED_PLATFORM.pckCpuSvn, "hex"));
  return sgxPckExtension({
    ppid: simulatedRegister("intel", "ppid", 16),
    components: Array.from(cpuSvn),
    pceSvn: SIMULATED_PLATFORM.pckPceSvn,
    cpuSvn,
    pceId: new Uint8Array(Buffer.from(SIMULATED_PLATFORM.pckPceId, "hex")),
    fmspc: new Uint8Array(Buffer.from(SIMULATED_PLATFORM.pckFmspc, "hex")),
  });
}
