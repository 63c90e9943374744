//! The terminal front end: the app state and its pure `handle`, rendering, the key table,
//! configuration, and the terminal loop.

pub mod action;
pub mod app;
pub mod browser;
pub mod checking;
pub mod config;
pub mod editor;
pub mod keys;
pub mod terminal;
pub mod theme;
pub mod ui;
