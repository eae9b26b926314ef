pragma circom 2.1.0;

// Scaling family: knowledge of a private message of N_BYTES bytes whose SHA-256 is a public digest.
// The digest is public as two 128-bit halves (big-endian), so the verifier has 2 public inputs instead of 256.

include "circomlib/circuits/sha256/sha256.circom";
include "circomlib/circuits/bitify.circom";

template Sha256Preimage(nBytes) {
    signal input message[nBytes];
    signal input digestHi;
    signal input digestLo;

    // circomlib's Sha256 takes bits most-significant first; Num2Bits also range-checks each byte.
    component bytes[nBytes];
    component hasher = Sha256(nBytes * 8);
    for (var i = 0; i < nBytes; i++) {
        bytes[i] = Num2Bits(8);
        bytes[i].in <== message[i];
        for (var b = 0; b < 8; b++) {
            hasher.in[i * 8 + b] <== bytes[i].out[7 - b];
        }
    }

    component hi = Bits2Num(128);
    component lo = Bits2Num(128);
    for (var i = 0; i < 128; i++) {
        hi.in[i] <== hasher.out[127 - i];
        lo.in[i] <== hasher.out[255 - i];
    }
    hi.out === digestHi;
    lo.out === digestLo;
}
