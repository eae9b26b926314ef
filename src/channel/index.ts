export {
  CHANNEL_SUITE,
  CHANNEL_INFO_LABEL,
  SEALED_MESSAGE_VERSION,
  HPKE_PUBLIC_KEY_BYTES,
  MAX_CHANNEL_PLAINTEXT_BYTES,
  MAX_CHANNEL_ID_BYTES,
} from "./constants.js";
export type { HpkeKeyPair, SealedMessage } from "./types.js";
export { generateHpkeKeyPair, type GenerateHpkeKeyPairReturnType } from "./generateHpkeKeyPair.js";
export {
  encodeChannelContext,
  type EncodeChannelContextParameters,
  type EncodeChannelContextReturnType,
} from "./encodeChannelContext.js";
export {
  assertAttestedBeforeSealing,
  type AssertAttestedBeforeSealingParameters,
  type AssertAttestedBeforeSealingReturnType,
} from "./assertAttestedBeforeSealing.js";
export {
  sealForAttestedEnclave,
  type SealForAttestedEnclaveParameters,
  type SealForAttestedEnclaveReturnType,
} from "./sealForAttestedEnclave.js";
export {
  openSealedMessage,
  type OpenSealedMessageParameters,
  type OpenSealedMessageReturnType,
} from "./openSealedMessage.js";
