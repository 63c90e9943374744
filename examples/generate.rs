//! Writes a generated roadmap and a progress file with every task done, for measuring pathway
//! by hand (see "Performance" in the README):
//!
//!     cargo run --release --example generate -- 100 1000 /tmp/big
//!     pathway --roadmap /tmp/big/roadmap.yaml --progress /tmp/big/progress.yaml status

use std::path::PathBuf;

use anyhow::{Context, Result};
use pathway::core::roadmap::Roadmap;
use pathway::core::synthetic;
use pathway::storage::store::Store;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [steps, tasks, dir] = args.as_slice() else {
        anyhow::bail!("usage: generate STEPS TASKS_PER_STEP DIR");
    };
    let (steps, tasks): (usize, usize) = (steps.parse()?, tasks.parse()?);
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir)?;
    let text = synthetic::roadmap_yaml(steps, tasks);
    let path = dir.join("roadmap.yaml");
    std::fs::write(&path, &text).with_context(|| format!("writing {}", path.display()))?;
    let roadmap = Roadmap::parse(&text, "generated")?;
    Store::new(dir.join("progress.yaml")).save(&mut synthetic::all_done(&roadmap))?;
    println!(
        "{}: {} steps, {} tasks, and progress.yaml beside it",
        path.display(),
        steps,
        roadmap.task_count()
    );
    Ok(())
}
