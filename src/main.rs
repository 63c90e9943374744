use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pathway::cli::Cli::parse();
    match pathway::cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pathway: {e:#}");
            ExitCode::FAILURE
        }
    }
}
