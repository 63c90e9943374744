//! The disk: every bounded read and atomic write (fsio), the progress file (store and its
//! codec), the settings file and the catalog of roadmaps.

pub mod catalog;
pub mod fsio;
pub mod progress_yaml;
pub mod settings;
pub mod store;
