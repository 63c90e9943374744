//! The disk: every bounded read and atomic write (fsio), the progress file (store and its
//! codec), the approvals of roadmaps' checks, the settings file and the catalog of roadmaps.

pub(crate) mod approvals;
pub mod catalog;
pub mod cohort;
pub(crate) mod fsio;
pub mod progress_yaml;
pub mod settings;
pub mod store;
