export { startConsole, type StartConsoleParameters, type StartConsoleReturnType, type StartConsoleErrorType } from "./startConsole.js";
export { createConsoleApp, CONSOLE_PAGES, type CreateConsoleAppParameters } from "./createConsoleApp.js";
export { buildConsoleAssets, type ConsoleAssets } from "./buildConsoleAssets.js";
export { proxyJsonRpc, READ_METHODS, MAX_RPC_BATCH, MAX_RPC_BODY_BYTES, type ConsoleUpstream } from "./proxyJsonRpc.js";
export { readArchiveDecisions, createDecisionsReader, MAX_DECISIONS_READ, DECISION_ROWS, type ArchiveDecisions, type ArchivedDecision, type DecisionMinute } from "./readArchiveDecisions.js";
export { readArchiveEvidence, type ArchivedEvidence } from "./readArchiveEvidence.js";
export type { ConsoleConfig, ConsoleDeployment, ConsoleClient, ResolvedConsoleConfig } from "./read/types.js";
