// @hpke/core's X25519 KEM runs on Node's native WebCrypto X25519: about twice as fast per seal/open as the pure-JS
// @hpke/dhkem-x25519 it replaces, with the same RFC 9180 vectors passing (test/channel/rfc9180Vectors.test.ts).
import { Aes256Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from "@hpke/core";

let suite: CipherSuite | undefined;

/** The channel's CipherSuite (see CHANNEL_SUITE), built once: the objects are stateless. */
export function hpkeSuite(): CipherSuite {
  suite ??= new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
  return suite;
}
