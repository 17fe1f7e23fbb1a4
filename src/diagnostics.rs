//! Every problem an editor can cause becomes a [`Diagnostic`]: the file, the line and column,
//! the offending line itself, and what to do about it. Steps collect diagnostics instead of
//! stopping at the first, so one build lists every error.

use std::fmt::Write as _;
use std::sync::Mutex;

use serde::Serialize;

/// Errors fail the build (exit 1); warnings are printed and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Fails the build: `pufa build` and `pufa check` exit 1 and nothing is published.
    Error,
    /// Printed and counted, but the site is still written.
    Warning,
}

/// One finding about the site, pointing at the place an editor has to change.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Whether this finding fails the build.
    pub severity: Severity,
    /// A short stable name (`unknown-key`, `broken-link`, …) for CI annotations and tests.
    pub code: &'static str,
    /// The file as the editor knows it, relative to the site root (`content/about.md`).
    pub file: String,
    /// 1-based line in `file`; `None` for findings about a whole file or the site.
    pub line: Option<usize>,
    /// 1-based column in characters (not bytes), so it matches what an editor's cursor shows.
    pub column: Option<usize>,
    /// What is wrong, in the editor's terms, in one sentence.
    pub message: String,
    /// What to do about it, shown as `help:` under the location.
    pub help: Option<String>,
    /// The text of the offending line, shown under the location.
    #[serde(skip)]
    pub source_line: Option<String>,
    /// How many characters to underline from `column`.
    #[serde(skip)]
    pub width: usize,
}

impl Diagnostic {
    /// A finding that fails the build; point it with [`Diagnostic::at`] and add a fix with
    /// [`Diagnostic::with_help`].
    pub fn error(code: &'static str, file: impl Into<String>, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, file.into(), message.into())
    }

    /// A finding that is reported but lets the site be written.
    pub fn warning(
        code: &'static str,
        file: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self::new(Severity::Warning, code, file.into(), message.into())
    }

    fn new(severity: Severity, code: &'static str, file: String, message: String) -> Self {
        Diagnostic {
            severity,
            code,
            file,
            line: None,
            column: None,
            message,
            help: None,
            source_line: None,
            width: 1,
        }
    }

    /// Adds the `help:` line: the change that fixes the finding.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Points the diagnostic at `line:column` (both 1-based, column in characters) of `text`.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
        self
    }

    /// Points the diagnostic at a byte offset of `text`.
    pub fn at_offset(self, text: &str, offset: usize) -> Self {
        let (line, column) = line_column(text, offset);
        self.at(text, line, column)
    }

    /// Underlines `width` characters from the column (at least 1), to mark the whole offending
    /// value.
    pub fn underline(mut self, width: usize) -> Self {
        self.width = width.max(1);
        self
    }

    /// True for findings that fail the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The rustc-style text shown on a terminal and in the browser error page.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let _ = writeln!(out, "{label}[{}]: {}", self.code, visible(&self.message));
        let file = visible(&self.file);
        let location = match (self.line, self.column) {
            (Some(line), Some(col)) => format!("{file}:{line}:{col}"),
            (Some(line), None) => format!("{file}:{line}"),
            _ => file,
        };
        let gutter = self.line.map_or(1, |l| l.to_string().len());
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {location}");
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let col = self.column.unwrap_or(1);
            let shown: String = text.chars().take(200).map(shown_char).collect();
            let before: usize = text.chars().take(col - 1).map(shown_width).sum();
            let width: usize = text
                .chars()
                .skip(col - 1)
                .take(self.width)
                .map(shown_width)
                .sum::<usize>()
                .max(1);
            let _ = writeln!(out, "{pad} |");
            let _ = writeln!(out, "{line} | {shown}");
            let _ = writeln!(out, "{pad} | {}{}", " ".repeat(before), "^".repeat(width));
        }
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {}", visible(help));
        }
        out
    }
}

/// Text as it may safely reach a terminal or a CI log: control characters (ESC, BEL, CR, …)
/// and the invisible bidirectional overrides are shown escaped (`\u{1b}`), so a file cannot
/// erase, recolour or fake lines of the build output. Line breaks are kept.
pub fn visible(text: &str) -> String {
    text.split('\n')
        .map(|line| line.chars().map(shown_char).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Whether a character would act on the terminal or reorder the text around it rather than
/// show as itself.
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn shown_char(c: char) -> String {
    match c {
        '\r' => "\\r".into(),
        '\t' => "\\t".into(),
        c if is_hidden_control(c) => format!("\\u{{{:x}}}", u32::from(c)),
        c => c.to_string(),
    }
}

fn shown_width(c: char) -> usize {
    if is_hidden_control(c) {
        shown_char(c).chars().count()
    } else {
        display_width(c)
    }
}

/// Terminal columns a character takes: CJK and full-width forms take two.
fn display_width(c: char) -> usize {
    let c = c as u32;
    let wide = (0x1100..=0x115F).contains(&c)
        || (0x2E80..=0xA4CF).contains(&c)
        || (0xAC00..=0xD7A3).contains(&c)
        || (0xF900..=0xFAFF).contains(&c)
        || (0xFE30..=0xFE4F).contains(&c)
        || (0xFF00..=0xFF60).contains(&c)
        || (0xFFE0..=0xFFE6).contains(&c)
        || (0x20000..=0x3FFFD).contains(&c);
    if wide { 2 } else { 1 }
}

/// 1-based line and character column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// The nearest of `candidates` to `word`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.75)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A thread-safe collector that steps running in parallel can push into.
#[derive(Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    /// Adds one finding; callable from any thread.
    pub fn push(&self, diagnostic: Diagnostic) {
        self.lock().push(diagnostic);
    }

    /// Adds many findings at once.
    pub fn extend(&self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.lock().extend(diagnostics);
    }

    /// Whether any collected finding is an error, so a step can stop before writing.
    pub fn has_errors(&self) -> bool {
        self.lock().iter().any(Diagnostic::is_error)
    }

    /// All findings, sorted by file and position so output is stable and easy to scan.
    pub fn into_sorted(self) -> Vec<Diagnostic> {
        let mut items = self.items.into_inner().unwrap_or_else(|e| e.into_inner());
        items.sort_by(|a, b| {
            (&a.file, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.column, b.severity, &b.message))
        });
        items.dedup_by(|a, b| {
            a.file == b.file && a.line == b.line && a.column == b.column && a.message == b.message
        });
        items
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Diagnostic>> {
        self.items.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters_not_bytes() {
        let text = "第一行\n标题：[链接](x.md)\n";
        let offset = text.find('[').unwrap();
        assert_eq!(line_column(text, offset), (2, 4));
    }

    #[test]
    fn render_shows_location_line_and_help() {
        let text = "title: 关于\ntilte: x\n";
        let d = Diagnostic::error("unknown-key", "content/about.md", "unknown key `tilte`")
            .at(text, 2, 1)
            .underline(5)
            .with_help("did you mean `title`?");
        let shown = d.render();
        assert!(shown.contains("--> content/about.md:2:1"), "{shown}");
        assert!(shown.contains("2 | tilte: x"), "{shown}");
        assert!(shown.contains("  | ^^^^^"), "{shown}");
        assert!(shown.contains("help: did you mean `title`?"), "{shown}");
    }

    #[test]
    fn suggestions_only_for_near_misses() {
        let keys = ["title", "date", "summary"];
        assert_eq!(did_you_mean("tilte", keys), Some("title"));
        assert_eq!(did_you_mean("sumary", keys), Some("summary"));
        assert_eq!(did_you_mean("zzzz", keys), None);
    }
}
