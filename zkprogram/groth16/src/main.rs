//! `teezk-groth16`: serves prove/verify requests as JSON lines on stdin/stdout (see serve.rs).

fn main() -> std::process::ExitCode {
    if std::env::args().len() > 1 {
        eprintln!("usage: teezk-groth16  (reads JSON-line requests on stdin; see zkprogram/groth16/src/serve.rs)");
        return std::process::ExitCode::from(2);
    }
    match teezk_groth16::serve::serve(std::io::stdin().lock(), std::io::stdout().lock()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("teezk-groth16: {error}");
            std::process::ExitCode::FAILURE
        }
    }
}
