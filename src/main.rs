use std::process::ExitCode;

use clap::CommandFactory;
use pathway::cli::{self, ExitError};

fn main() -> ExitCode {
    // Answers the shell's completion requests (PATHWAY_COMPLETE=bash pathway -- …) and exits;
    // anything else, with the variable set or not, is a command.
    if cli::is_completion_request(std::env::args_os()) {
        clap_complete::CompleteEnv::with_factory(cli::Cli::command)
            .var(cli::COMPLETE_ENV)
            .complete();
    }
    match cli::run(cli::Cli::from_env()) {
        Ok(code) => code,
        // A reader that went away (`pathway log | head -1`) ends the command quietly, as it
        // does for other Unix tools.
        Err(e) if cli::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Error messages quote file contents (an unknown field, a bad value): escaped.
            eprintln!("pathway: {}", pathway::core::text::clean(&format!("{e:#}")));
            match e.downcast_ref::<ExitError>() {
                Some(exit) => ExitCode::from(exit.code),
                None => ExitCode::FAILURE,
            }
        }
    }
}
