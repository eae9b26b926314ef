import { Aes256Gcm, CipherSuite } from "@hpke/core";
import { DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/dhkem-x25519";

let suite: CipherSuite | undefined;

/** The channel's CipherSuite (see CHANNEL_SUITE), built once: the objects are stateless. */
export function hpkeSuite(): CipherSuite {
  suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
  return suite;
}
