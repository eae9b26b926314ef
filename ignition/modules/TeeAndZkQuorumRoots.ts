import { multiProverModule } from "./multiProverModule.js";

export const TeeAndZkQuorumRootsModule = multiProverModule("TeeAndZkQuorumRoots");

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default TeeAndZkQuorumRootsModule;
