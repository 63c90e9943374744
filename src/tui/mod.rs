//! The terminal front end: the app state and its pure `handle`, rendering, the key table,
//! configuration, and the terminal loop.

pub(crate) mod action;
pub mod app;
pub(crate) mod browser;
pub(crate) mod checking;
pub mod config;
pub(crate) mod editor;
pub mod keys;
pub(crate) mod terminal;
pub(crate) mod theme;
pub mod ui;
