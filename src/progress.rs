//! How far a build has got, for the progress bar the `pufa` binary draws on a terminal. The
//! library only reports; whether and how anything is shown is the binary's business.

use std::sync::Arc;

/// Receives a build's progress. Called from many threads at once.
pub trait Progress: Send + Sync {
    /// A step of `total` units starts: `"pages"` rendered from Markdown, `"images"` processed,
    /// `"writing"` output pages.
    fn step(&self, name: &'static str, total: usize);
    /// One more unit of the current step is done.
    fn advance(&self);
}

/// Reports to nobody: the default, and what `pufa serve` and `pufa check` use.
pub struct Silent;

impl Progress for Silent {
    fn step(&self, _: &'static str, _: usize) {}
    fn advance(&self) {}
}

/// A shared [`Progress`], so that build options stay `Clone` and `Debug`.
#[derive(Clone)]
pub struct Reporter(Arc<dyn Progress>);

impl Reporter {
    /// Shares `progress` with every step of the build.
    pub fn new(progress: Arc<dyn Progress>) -> Reporter {
        Reporter(progress)
    }

    /// Announces a step of `total` units; see [`Progress::step`].
    pub fn step(&self, name: &'static str, total: usize) {
        self.0.step(name, total);
    }

    /// Marks one unit of the current step done.
    pub fn advance(&self) {
        self.0.advance();
    }
}

impl Default for Reporter {
    fn default() -> Self {
        Reporter(Arc::new(Silent))
    }
}

impl std::fmt::Debug for Reporter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}

/// Whether a progress bar may be drawn: only when a person watches a terminal — never into
/// a CI log (`CI` set, or stderr not a terminal) and never with `--quiet`.
pub fn bar_wanted(stderr_is_terminal: bool, ci: bool, quiet: bool) -> bool {
    stderr_is_terminal && !ci && !quiet
}

/// One line of the bar, plain ASCII so that it draws the same on every terminal:
/// `images   [########----------------]   12/40`.
pub fn bar_line(step: &str, done: usize, total: usize) -> String {
    const CELLS: usize = 24;
    let done = done.min(total);
    let filled = (done * CELLS).checked_div(total).unwrap_or(CELLS);
    format!(
        "{step:<8} [{}{}] {done:>6}/{total}",
        "#".repeat(filled),
        "-".repeat(CELLS - filled)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_in_proportion_and_never_overflows() {
        assert_eq!(
            bar_line("images", 12, 48),
            "images   [######------------------]     12/48"
        );
        assert_eq!(
            bar_line("writing", 50, 40),
            "writing  [########################]     40/40"
        );
        assert_eq!(
            bar_line("pages", 0, 0),
            "pages    [########################]      0/0"
        );
    }

    #[test]
    fn no_bar_in_ci_logs_pipes_or_quiet_builds() {
        assert!(bar_wanted(true, false, false));
        assert!(!bar_wanted(false, false, false));
        assert!(!bar_wanted(true, true, false));
        assert!(!bar_wanted(true, false, true));
    }
}
