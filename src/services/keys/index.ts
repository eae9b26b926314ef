export {
  createKeyReleaseService,
  type CreateKeyReleaseServiceParameters,
  type CreateKeyReleaseServiceReturnType,
  type CreateKeyReleaseServiceErrorType,
  type KeyReleaseService,
} from "./createKeyReleaseService.js";
export {
  requestKeyRelease,
  type RequestKeyReleaseParameters,
  type RequestKeyReleaseReturnType,
  type RequestKeyReleaseErrorType,
  type KeyReleaseEvidence,
} from "./requestKeyRelease.js";
export { loadReleasableKeys, type LoadReleasableKeysParameters, type LoadReleasableKeysReturnType, type LoadReleasableKeysErrorType } from "./loadReleasableKeys.js";
export { createChallengeTable, type ChallengeTable, type CreateChallengeTableParameters } from "./createChallengeTable.js";
export { parseKeyReleaseRequest, keyReleaseRequestSchema } from "./parseKeyReleaseRequest.js";
export {
  KEY_ID_PATTERN,
  MAX_KEY_MATERIAL_BYTES,
  MAX_KEY_RELEASE_BODY_BYTES,
  DEFAULT_CHALLENGE_TTL_MS,
  DEFAULT_MAX_OUTSTANDING_CHALLENGES,
  DEFAULT_KEY_RELEASE_TIMEOUT_MS,
  KEY_RELEASE_ARCHIVE_SOURCE,
  keyReleaseChannelId,
  MAX_STORED_WITNESS_BYTES,
  storedWitnessAad,
} from "./constants.js";
export {
  encryptWitnessForKeyRelease,
  type EncryptWitnessForKeyReleaseParameters,
  type EncryptWitnessForKeyReleaseReturnType,
  type EncryptWitnessForKeyReleaseErrorType,
} from "./encryptWitnessForKeyRelease.js";
export {
  decryptStoredWitness,
  type DecryptStoredWitnessParameters,
  type DecryptStoredWitnessReturnType,
  type DecryptStoredWitnessErrorType,
} from "./decryptStoredWitness.js";
export type { ReleasableKey, KeyChallengeBody, KeyReleaseRequestBody, KeyReleaseResponseBody, EncryptedWitness } from "./types.js";
