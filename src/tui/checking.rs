//! Whether a roadmap's checks may run, and where and with what they run: read the same way by
//! `pathway check`, `pathway trust` and the checklist. It joins the approvals file and the
//! settings (`storage`) with trust and the check context (`checks`), which only the front ends
//! may do; the CLI uses `tui` already, so it lives here.

use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::checks::Context;
use crate::checks::trust::{self, Trust};
use crate::core::roadmap::Roadmap;
use crate::storage::settings::ChecksSection;

/// The approvals (in the progress file's folder) and the settings' `checks:`.
#[derive(Debug, Clone)]
pub struct CheckSetup {
    /// The folder of the approvals of roadmaps' checks.
    pub home: PathBuf,
    /// Where checks run and with what variables.
    pub settings: ChecksSection,
}

impl CheckSetup {
    pub fn new(home: &Path, settings: &ChecksSection) -> CheckSetup {
        CheckSetup {
            home: home.to_path_buf(),
            settings: settings.clone(),
        }
    }

    /// The roadmap's checks may run, or why not. An approvals file that cannot be read is an
    /// error naming it, never "not approved".
    pub fn trust(&self, roadmap: &Roadmap, built_in: bool) -> Result<Trust> {
        if built_in {
            return Ok(Trust::BuiltIn);
        }
        let text = crate::storage::approvals::read(&self.home)?;
        Ok(trust::status(roadmap, built_in, text.as_deref()))
    }

    /// Whether the checks may run without asking. An approvals file that cannot be read
    /// approves nothing; approving again names it.
    pub fn trusted(&self, roadmap: &Roadmap, built_in: bool) -> bool {
        self.trust(roadmap, built_in).is_ok_and(|t| t.may_run())
    }

    /// Records the learner's approval of the roadmap's checks as they are now.
    pub fn approve(&self, roadmap: &Roadmap) -> Result<()> {
        crate::storage::approvals::update(&self.home, |current| trust::approve(current, roadmap))
    }

    /// The project folder the settings set for this roadmap, if any.
    pub fn project(&self, roadmap: &Roadmap) -> Option<PathBuf> {
        self.settings.project(&roadmap.id)
    }

    /// Where and with what the roadmap's checks run: `project` (`--project`), else the
    /// settings, else the current folder; the roadmap's variables with the settings over them.
    pub fn context(&self, roadmap: &Roadmap, project: Option<PathBuf>) -> Result<Context> {
        let project = match project.or_else(|| self.project(roadmap)) {
            Some(p) => p,
            None => std::env::current_dir()?,
        };
        Ok(self.context_in(roadmap, &project))
    }

    /// The same, in this folder.
    pub fn context_in(&self, roadmap: &Roadmap, project: &Path) -> Context {
        Context::new(project, self.settings.vars(&roadmap.id, &roadmap.vars))
    }
}

/// What the checks run with, as the approval's listing shows it.
pub fn values(ctx: &Context) -> trust::Values {
    trust::Values {
        project: ctx.project.clone(),
        vars: ctx.vars.clone(),
    }
}
