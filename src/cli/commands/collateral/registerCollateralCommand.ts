import { Option, type Command } from "commander";
import type { CliIo } from "../../io.js";
import type { CollateralFetchOptions } from "./collateralCommand.js";
import { addCollateralServiceOptions, addPcsFetchOptions } from "./collateralServiceOptions.js";
import { chainCommandDeclarers } from "../../support/chainCommand.js";

/** Adds `teezk collateral fetch` and `teezk collateral push` (to the on-chain DCAP store) to the program. */
export function registerCollateralCommand(program: Command, io: CliIo, setExitCode: (code: number) => void): void {
  const collateral = program.command("collateral").description("Collateral from the vendors' services (Intel PCS/PCCS, AMD KDS, NVIDIA RIM service), cached; pushed to the on-chain DCAP store");
  const { send } = chainCommandDeclarers(io, setExitCode);
  send(
    addPcsFetchOptions(
      collateral
        .command("push")
        .description(
          "Send DCAP collateral to the on-chain DcapCollateralStore: only what it lacks or holds older (each upload checked on-chain against the pinned root). " +
            "Without --collateral, the quote's collateral is fetched from Intel PCS / a PCCS (or the cache) and the quote verified with it first",
        )
        .option("--collateral <dir>", "collateral folder (Intel PCS files or dcap-qvl JSON), e.g. from `teezk collateral fetch`")
        .option("--quote <file>", "a quote of the platform: its PCK chain names the PCK CA to store; its collateral is fetched when --collateral is not given"),
    ),
    "collateral push",
    ["dcapCollateralStore"],
    async () => (await import("./collateralPush.js")).collateralPushBody,
  );
  const fetch = collateral
    .command("fetch")
    .description("Write the complete collateral folder for a piece of evidence (the files `teezk verify --collateral` reads), verified with it")
    .argument("<evidence>", "evidence file")
    .option("--out <dir>", "new or empty folder to write (required)")
    .option("--at <iso-time>", "time to judge freshness and verify at (default: now)")
    .addOption(new Option("--type <type>", "evidence type (detected when omitted)").choices(["tdx", "sgx", "sevsnp", "nitro", "nvidia"]))
    .option("--json", "machine-readable output");
  addCollateralServiceOptions(fetch).action(async (file: string, options: CollateralFetchOptions) => {
    const { collateralFetchCommand } = await import("./collateralCommand.js");
    setExitCode(await collateralFetchCommand(file, options, io));
  });
}
