//! `teezk-zk`: runs the teezk zkVM program natively (`execute`) and, with the `sp1` feature, proves it.
//! Errors go to stderr as JSON `{"code","message"}` with the stable codes of `src/errors/codes.ts`.
mod files;
mod isotime;
mod prove;

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use teezk_zk_core::{Error, ErrorCode, Mode};

#[derive(Parser)]
#[command(name = "teezk-zk", version, about = "teezk zkVM program: verify TEE evidence to ABI-encoded Claims")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum ModeArg {
    Attest,
    Receipt,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum TeeArg {
    Tdx,
    Sgx,
    Sevsnp,
    Nitro,
    Nvidia,
}

#[derive(clap::Args)]
struct RunArgs {
    #[arg(long, value_enum)]
    mode: ModeArg,
    #[arg(long = "type", value_enum)]
    tee: TeeArg,
    /// Evidence file: raw bytes, hex or base64 (SEV-SNP also Azure JSON).
    #[arg(long)]
    evidence: PathBuf,
    /// Verification time, ISO 8601 (e.g. 2025-06-20T00:00:00Z).
    #[arg(long)]
    at: String,
    /// Collateral folder (repeatable): DCAP collateral.json or Intel PCS files; SEV-SNP certificates; NVIDIA chain.
    #[arg(long)]
    collateral: Vec<PathBuf>,
    /// receipt mode: the witness bytes the receipt's inputDigest commits to.
    #[arg(long)]
    witness: Option<PathBuf>,
    /// receipt mode: the output bytes the receipt's outputDigest commits to.
    #[arg(long)]
    output: Option<PathBuf>,
    /// receipt mode: JSON file with the receipt fields, its signature, the binding inputs and the EIP-712 domain.
    #[arg(long)]
    receipt: Option<PathBuf>,
    /// NVIDIA: the 32-byte nonce (0x-hex) the GPU evidence must carry.
    #[arg(long)]
    nonce: Option<String>,
    /// Also accept chains to the root with this DER SHA-256 (0x-hex, repeatable), like TypeScript's
    /// extraTrustedRoots: for the dev roots of simulated TEEs. The journal's rootHash names the root used.
    #[arg(long = "extra-trusted-root")]
    extra_trusted_root: Vec<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the program natively and print the journal (public values) as 0x-hex.
    Execute(RunArgs),
    /// Prove the program with SP1, wrapped in Groth16; same flags as `execute`. Prints (and writes to --out)
    /// {"programVKey","publicValues","proof"} as 0x-hex. Needs the `sp1` feature and the guest ELF.
    Prove {
        #[command(flatten)]
        run: RunArgs,
        /// Wrap the proof in Groth16 (required: the only form the on-chain verifiers accept).
        #[arg(long)]
        groth16: bool,
        /// Guest ELF; default TEEZK_ZK_ELF, else zkprogram/program/target/elf-compilation/…/teezk-zk-program.
        #[arg(long)]
        elf: Option<PathBuf>,
        /// Also write the proof JSON to this file.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Time the native program (verification + journal) on one input, evidence and collateral loaded once:
    /// prints {"iterations","samplesMs":[…],"p50Ms","p95Ms"} (for bench/zkCore.ts; use a release build).
    Bench {
        #[command(flatten)]
        run: RunArgs,
        /// Timed runs (1..=10000).
        #[arg(long, default_value_t = 50)]
        iterations: u32,
        /// Untimed runs first.
        #[arg(long, default_value_t = 5)]
        warmup: u32,
    },
    /// Verify a GPU report on its own and print its claims, `abi.encode(Claims)`, as 0x-hex: to inspect its
    /// authenticity only. `execute` and `prove` refuse GPU evidence (GPU_NOT_AN_ENCLAVE): a GPU alone is no enclave.
    InspectGpu(RunArgs),
    /// Print the program verification key (bytes32) for Sp1AttestationVerifier / Sp1ReceiptVerifier.
    Vkey {
        #[arg(long)]
        elf: Option<PathBuf>,
    },
    /// Check an SP1 Groth16 proof as the SP1VerifierGateway does; prints {"valid": true|false}.
    Verify {
        #[arg(long)]
        groth16: bool,
        /// The proof bytes (0x-hex, with SP1's 4-byte verifier selector), as `prove` printed them.
        #[arg(long)]
        proof: String,
        /// The public values (journal), 0x-hex.
        #[arg(long = "public-values")]
        public_values: String,
        /// The program verification key, bytes32 0x-hex.
        #[arg(long)]
        vkey: String,
    },
}

fn build_input(args: &RunArgs) -> Result<teezk_zk_core::ProgramInput, Error> {
    let now_ms = isotime::parse_iso_ms(&args.at)?;
    let mode = match args.mode {
        ModeArg::Attest => Mode::Attest,
        ModeArg::Receipt => Mode::Receipt,
    };
    let evidence = files::load_evidence(args.tee, &args.evidence, &args.collateral, args.nonce.as_deref())?;
    let receipt = match mode {
        Mode::Attest => {
            if args.witness.is_some() || args.output.is_some() || args.receipt.is_some() {
                return Err(Error::new(ErrorCode::CONFIG_INVALID, "--witness, --output and --receipt belong to --mode receipt"));
            }
            None
        }
        Mode::Receipt => {
            let (Some(w), Some(o), Some(r)) = (&args.witness, &args.output, &args.receipt) else {
                return Err(Error::new(ErrorCode::CONFIG_INVALID, "--mode receipt needs --witness, --output and --receipt"));
            };
            Some(files::load_receipt(w, o, r)?)
        }
    };
    let extra_trusted_roots = args.extra_trusted_root.iter().map(|text| files::parse_hex_array::<32>(text, "--extra-trusted-root")).collect::<Result<Vec<_>, _>>()?;
    Ok(teezk_zk_core::ProgramInput { mode, evidence, now_ms, receipt, extra_trusted_roots })
}

/// A timing loop without a benchmark framework: the run is a pure function of its input, so `warmup` calls
/// then `iterations` timed calls of `teezk_zk_core::run` measure the native verification alone (no file I/O).
/// GPU evidence, which `run` refuses on its own, times its inspection: the verification a composite's GPU half costs.
fn bench(input: &teezk_zk_core::ProgramInput, iterations: u32, warmup: u32) -> Result<(), Error> {
    if !(1..=10_000).contains(&iterations) || warmup > 10_000 {
        return Err(Error::new(ErrorCode::CONFIG_INVALID, "--iterations must be 1..=10000 and --warmup at most 10000"));
    }
    let once = || match input.evidence {
        teezk_zk_core::Evidence::Nvidia { .. } => teezk_zk_core::inspect_gpu_evidence(&input.evidence, input.now_ms, &input.extra_trusted_roots),
        _ => teezk_zk_core::run(input),
    };
    for _ in 0..warmup {
        once()?;
    }
    let mut samples = Vec::with_capacity(iterations as usize);
    for _ in 0..iterations {
        let start = std::time::Instant::now();
        let journal = once()?;
        samples.push(start.elapsed().as_secs_f64() * 1000.0);
        std::hint::black_box(journal);
    }
    let mut sorted = samples.clone();
    sorted.sort_by(f64::total_cmp);
    let at = |q: f64| sorted[((q * sorted.len() as f64) as usize).min(sorted.len() - 1)];
    println!("{}", serde_json::json!({ "iterations": iterations, "samplesMs": samples, "p50Ms": at(0.5), "p95Ms": at(0.95) }));
    Ok(())
}

fn fail(e: &Error) -> ExitCode {
    eprintln!("{}", serde_json::json!({ "code": e.code.as_str(), "message": e.message }));
    ExitCode::from(1)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Execute(args) => match build_input(&args).and_then(|input| teezk_zk_core::run(&input)) {
            Ok(journal) => {
                println!("0x{}", hex::encode(journal));
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::InspectGpu(args) => {
            let claims = build_input(&args).and_then(|input| teezk_zk_core::inspect_gpu_evidence(&input.evidence, input.now_ms, &input.extra_trusted_roots));
            match claims {
                Ok(claims) => {
                    println!("0x{}", hex::encode(claims));
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
        Command::Prove { run, groth16, elf, out } => {
            let proved = prove::available("prove").and_then(|()| build_input(&run));
            match proved.and_then(|input| prove::prove(&input, groth16, &prove::resolve_elf(elf.as_deref()), out.as_deref())) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => fail(&e),
            }
        }
        Command::Bench { run, iterations, warmup } => match build_input(&run).and_then(|input| bench(&input, iterations, warmup)) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Vkey { elf } => match prove::vkey(&prove::resolve_elf(elf.as_deref())) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
        Command::Verify { groth16, proof, public_values, vkey } => match prove::verify(groth16, &proof, &public_values, &vkey) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e),
        },
    }
}
