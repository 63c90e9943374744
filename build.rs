//! Compiles the shipped roadmap: every `content/*.yaml` is validated with the rules of `pathway
//! validate`, and `content/backend-devops.yaml` is written out as Rust static data for
//! `src/roadmap/embedded.rs`, so that start-up parses no YAML. A content error fails the build
//! with its `file:line:column`.
//!
//! The rules are not copied here: the schema, the validation and the generator are the library's
//! own source files, included as modules at the same paths they have in the crate (`crate::probe`,
//! `crate::roadmap::…`), so the build and `pathway validate` can never disagree. Those files use
//! nothing else of the crate, which keeps this possible (each says so at its top).

use std::path::Path;

#[allow(dead_code)]
#[path = "src/probe.rs"]
mod probe;

#[allow(dead_code)]
#[path = "src/roadmap"]
mod roadmap {
    pub mod codegen;
    pub mod schema;
    pub mod validate;
    pub mod yaml;
}

/// The roadmap compiled into the binary; the others in `content/` are validated only.
const SHIPPED: &str = "content/backend-devops.yaml";

fn main() {
    println!("cargo::rerun-if-changed=content");
    // The search table of the unwind information (37 KB) is for unwinding, which the release
    // binary never does (Cargo.toml's release profile has `panic = "abort"`); without it a
    // backtrace asked for with RUST_BACKTRACE after a panic has no frames, while the panic's
    // message and place are still printed. Debug builds and `cargo test` unwind, and keep it;
    // `cargo test --release` and `cargo bench` build the binary with the release profile, so
    // theirs is without it too. (The build script cannot see the profile's `panic`: cfg(panic)
    // here is the target's default.)
    let linux = std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux");
    if linux && std::env::var("PROFILE").as_deref() == Ok("release") {
        println!("cargo::rustc-link-arg-bins=-Wl,--no-eh-frame-hdr");
    }
    let mut files: Vec<_> = std::fs::read_dir("content")
        .map(|dir| {
            dir.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut failed = false;
    let mut shipped = None;
    for file in &files {
        let origin = file.display().to_string();
        let text = match std::fs::read_to_string(file) {
            Ok(text) => text,
            Err(e) => {
                println!("cargo::error={origin}: cannot read: {e}");
                failed = true;
                continue;
            }
        };
        match roadmap::codegen::compile(&text, &origin) {
            Ok(source) => {
                if file == Path::new(SHIPPED) {
                    shipped = Some(source);
                }
            }
            Err(e) => {
                // One line each: a message may quote a value that holds a line break.
                for line in e.to_string().lines() {
                    println!("cargo::error={line}");
                }
                failed = true;
            }
        }
    }
    // A `cargo::error` fails the build once the script ends, and cargo shows only the messages.
    if failed {
        return;
    }
    let Some(source) = shipped else {
        println!("cargo::error={SHIPPED}: not found");
        return;
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set: build.rs runs under cargo");
        return;
    };
    let out = Path::new(&out_dir).join("embedded_roadmap.rs");
    if let Err(e) = std::fs::write(&out, source) {
        println!("cargo::error={}: cannot write: {e}", out.display());
    }
}
