//! Writes a cohort of generated learners on the built-in roadmap into DIR/learners, for timing
//! the mentor's view by hand (see benches/README.md):
//!
//!     cargo run --release --example cohort -- 300 /tmp/cohort
//!     pathway cohort /tmp/cohort --no-pull

use std::path::PathBuf;

use anyhow::{Context, Result};
use pathway::core::roadmap::Roadmap;
use pathway::core::synthetic;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [learners, dir] = args.as_slice() else {
        anyhow::bail!("usage: cohort LEARNERS DIR");
    };
    let learners: usize = learners.parse()?;
    let folder = PathBuf::from(dir).join("learners");
    std::fs::create_dir_all(&folder)?;
    let roadmap = Roadmap::embedded()?;
    for (name, snapshot) in synthetic::cohort(&roadmap, learners, jiff::Timestamp::now()) {
        let path = folder.join(format!("{name}.json"));
        let text = serde_json::to_string_pretty(&snapshot)?;
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
    }
    println!("{}: {learners} snapshots", folder.display());
    Ok(())
}
