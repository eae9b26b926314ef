import { createRequire } from "node:module";
import { defineConfig } from "hardhat/config";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import hardhatViemAssertions from "@nomicfoundation/hardhat-viem-assertions";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";

// Hardhat cannot download compilers here; the npm `solc` package (pinned to SOLC_VERSION in
// package.json) ships the same compiler as soljson.js.
const SOLC_VERSION = "0.8.30";
const require = createRequire(import.meta.url);
const solcPackageVersion: string = require("solc/package.json").version;
if (solcPackageVersion !== SOLC_VERSION) {
  throw new Error(`npm solc is ${solcPackageVersion}, hardhat.config.ts pins ${SOLC_VERSION}: keep them equal`);
}

// Hardhat's config loader requires a default export; this is the one exception to the no-default-export rule.
export default defineConfig({
  plugins: [hardhatViem, hardhatViemAssertions, hardhatNetworkHelpers, hardhatIgnitionViem],
  solidity: {
    version: SOLC_VERSION,
    path: require.resolve("solc/soljson.js"),
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "prague",
      viaIR: false,
    },
  },
  paths: {
    sources: "contracts",
    tests: { solidity: "test/solidity" },
  },
  networks: {
    default: { type: "edr-simulated", chainType: "l1", hardfork: "osaka" },
  },
});
