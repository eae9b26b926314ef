pragma circom 2.1.0;

include "../sha256_preimage.circom";

component main {public [digestHi, digestLo]} = Sha256Preimage(256);
