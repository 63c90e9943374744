//! What the last frame fit: written by the renderer, read by the app on the next key. The app
//! never computes layout itself, as in gitui's `VerticalScroll`.

use std::cell::Cell;

use ratatui::layout::Rect;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    /// Where the tree's lines are drawn (inside its border); empty when it is not shown.
    pub tree: Rect,
    /// The index of the first row the tree showed.
    pub tree_offset: usize,
    /// The detail pane, border included, if it was shown.
    pub detail: Option<Rect>,
    /// Lines of text the detail pane has room for.
    pub detail_height: u16,
    /// How far the detail text could scroll before its last line reaches the bottom.
    pub detail_max_scroll: u16,
    /// How far the help text could scroll.
    pub help_max_scroll: u16,
}

/// The renderer's report, kept in the app: a `Cell` because rendering only reads the app.
#[derive(Debug, Clone, Default)]
pub struct LastFrame(Cell<Viewport>);

impl LastFrame {
    pub fn get(&self) -> Viewport {
        self.0.get()
    }

    pub fn update(&self, f: impl FnOnce(&mut Viewport)) {
        let mut viewport = self.0.get();
        f(&mut viewport);
        self.0.set(viewport);
    }
}
