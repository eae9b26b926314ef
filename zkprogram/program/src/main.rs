//! SP1 guest: reads one `ProgramInput`, verifies the evidence with teezk-zk-core and commits the journal:
//! `abi.encode(Claims)` (attest mode) or `abi.encode(Claims, Receipt, bytes32 domainSeparator, ReceiptBinding)`
//! (receipt mode). A rejection panics,
//! so no proof exists for evidence that does not verify.
#![no_main]
sp1_zkvm::entrypoint!(main);

pub fn main() {
    let input: teezk_zk_core::ProgramInput = sp1_zkvm::io::read();
    match teezk_zk_core::run(&input) {
        Ok(journal) => sp1_zkvm::io::commit_slice(&journal),
        Err(error) => panic!("{}", error),
    }
}
