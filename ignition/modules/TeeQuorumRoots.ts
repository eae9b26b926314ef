import { multiProverModule } from "./multiProverModule.js";

export const TeeQuorumRootsModule = multiProverModule("TeeQuorumRoots");

// Ignition loads a module file's default export (the same exception as hardhat.config.ts).
export default TeeQuorumRootsModule;
