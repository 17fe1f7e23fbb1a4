//! Finding the site's files. Symlinks are never followed (a loop cannot hang the build) and
//! editor leftovers are skipped.

use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

/// The files under `content/`, as `/`-separated paths relative to it, sorted.
#[derive(Debug, Default)]
pub struct ContentFiles {
    /// `.md` files: pages and section indexes.
    pub markdown: Vec<String>,
    /// Everything else: copied, or claimed by a kind (a directory's `.yaml`).
    pub assets: Vec<String>,
}

/// Editor swap and backup files, and dot-files: never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
        || name == "Thumbs.db"
        || name == "desktop.ini"
}

/// Lists the Markdown files and every other file under `content/`, skipping editor and system
/// litter ([`is_ignored_name`]); an unreadable entry becomes a diagnostic instead of stopping
/// the walk.
pub fn walk(content: &Path, diagnostics: &mut Vec<Diagnostic>) -> ContentFiles {
    let mut files = ContentFiles::default();
    let walker = WalkDir::new(content)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_str().is_some_and(is_ignored_name));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let file = e.path().map_or("content".into(), |p| display(content, p));
                diagnostics.push(Diagnostic::error(
                    "unreadable",
                    file,
                    format!("cannot read: {e}"),
                ));
                continue;
            }
        };
        let Some(relative) = relative_path(content, entry.path()) else {
            diagnostics.push(
                Diagnostic::error(
                    "file-name",
                    display(content, entry.path()),
                    "the file name is not valid UTF-8",
                )
                .with_help("rename the file using ordinary characters"),
            );
            continue;
        };
        if entry.path_is_symlink() {
            diagnostics.push(
                Diagnostic::warning(
                    "symlink",
                    format!("content/{relative}"),
                    "symbolic link skipped",
                )
                .with_help(
                    "pufa never follows links; copy the file or folder into content/ instead",
                ),
            );
            continue;
        }
        if !entry.file_type().is_file() || relative == "site.yaml" {
            continue;
        }
        if relative.ends_with(".md") {
            files.markdown.push(relative);
        } else {
            files.assets.push(relative);
        }
    }
    files
}

fn relative_path(content: &Path, path: &Path) -> Option<String> {
    let relative = path.strip_prefix(content).ok()?;
    let parts: Option<Vec<&str>> = relative
        .components()
        .map(|c| c.as_os_str().to_str())
        .collect();
    Some(parts?.join("/"))
}

fn display(content: &Path, path: &Path) -> String {
    match path.strip_prefix(content) {
        Ok(rel) => format!("content/{}", rel.to_string_lossy()),
        Err(_) => path.to_string_lossy().into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_leftovers_are_ignored() {
        for name in [
            ".about.md.swp",
            "about.md~",
            "#about.md#",
            ".git",
            ".DS_Store",
        ] {
            assert!(is_ignored_name(name), "{name}");
        }
        assert!(!is_ignored_name("about.md"));
    }
}
