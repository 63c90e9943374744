use std::process::ExitCode;

use clap::Parser;
use pathway::cli::{self, ExitError};

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pathway: {e:#}");
            match e.downcast_ref::<ExitError>() {
                Some(exit) => ExitCode::from(exit.code),
                None => ExitCode::FAILURE,
            }
        }
    }
}
