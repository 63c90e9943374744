//! Clicks and the wheel, placed through what the last frame drew.

use super::{App, Effect, Row};

impl App {
    pub(super) fn click(&mut self, col: u16, row: u16) -> Effect {
        let viewport = self.viewport.get();
        if !viewport.tree.contains((col, row).into()) {
            return Effect::None;
        }
        let index = viewport.tree_offset + (row - viewport.tree.y) as usize;
        if index >= self.rows().len() {
            return Effect::None;
        }
        if index != self.selected() {
            return self.select(index);
        }
        // A second click on a step opens or closes it, as in a file tree.
        match self.selected_row() {
            Some(Row::Step(s)) if !self.filtering() => self.set_expanded(s, !self.tree.is_open(s)),
            _ => Effect::None,
        }
    }

    pub(super) fn wheel(&mut self, col: u16, row: u16, down: bool) -> Effect {
        let viewport = self.viewport.get();
        if viewport
            .detail
            .is_some_and(|d| d.contains((col, row).into()))
        {
            self.detail_scroll = if down {
                self.detail_scroll
                    .saturating_add(3)
                    .min(viewport.detail_max_scroll)
            } else {
                self.detail_scroll.saturating_sub(3)
            };
            Effect::None
        } else if down {
            self.select(self.selected().saturating_add(1))
        } else {
            self.select(self.selected().saturating_sub(1))
        }
    }
}
