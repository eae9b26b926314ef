// The ten-line script `teezk verify` is compared with (bench/cli.ts): @phala/dcap-qvl on a quote and its collateral.
import { readFileSync } from "node:fs";
import { verify } from "@phala/dcap-qvl";

const [quoteFile, collateralFile, at] = process.argv.slice(2);
const quote = readFileSync(quoteFile);
const collateral = JSON.parse(readFileSync(collateralFile, "utf8"));
const report = verify(quote, collateral, Math.floor(Date.parse(at) / 1000));
process.stdout.write(`${JSON.stringify({ status: report.status, advisoryIds: report.advisory_ids })}\n`);
