//! Turns the shipped roadmap's YAML into JSON for the binary to embed: the same data, read at
//! start by the same serde types as any roadmap file, but through serde_json, which parses it in
//! a fraction of the time serde_yaml takes (benches/README.md has the figures; YAML parsing alone
//! would have put `status` over its start-up budget). Nothing here knows the schema: the content
//! tests validate `content/` with every rule, and check that the embedded roadmap equals the
//! YAML file read as a roadmap.

fn main() {
    const SHIPPED: &str = "content/backend-devops.yaml";
    println!("cargo::rerun-if-changed={SHIPPED}");
    let text = match std::fs::read_to_string(SHIPPED) {
        Ok(text) => text,
        Err(e) => {
            println!("cargo::error={SHIPPED}: cannot read: {e}");
            return;
        }
    };
    let value: serde_json::Value = match serde_yaml::from_str(&text) {
        Ok(value) => value,
        Err(e) => {
            // One line: a message may quote a value that holds a line break.
            let message = e.to_string().replace('\n', " ");
            println!("cargo::error={SHIPPED}: {message}");
            return;
        }
    };
    let Some(out_dir) = std::env::var_os("OUT_DIR") else {
        println!("cargo::error=OUT_DIR is not set: build.rs runs under cargo");
        return;
    };
    let out = std::path::Path::new(&out_dir).join("backend-devops.json");
    if let Err(e) = std::fs::write(&out, value.to_string()) {
        println!("cargo::error={}: cannot write: {e}", out.display());
    }
}
