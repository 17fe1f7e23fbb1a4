//! The theme: the built-in `default` (embedded at compile time) with the site's
//! `themes/<name>/` files laid over it, one file at a time.

use std::collections::BTreeMap;
use std::path::Path;

use walkdir::WalkDir;

use crate::diagnostics::Diagnostic;

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// A template's source and where an editor would find it.
pub struct TemplateSource {
    /// Shown in errors: `themes/xia/templates/page.html` or `(built-in) templates/page.html`.
    pub origin: String,
    /// The template's text.
    pub text: String,
}

/// A static file with its content-hashed output name.
pub struct StaticFile {
    /// The file's contents, copied unchanged to `output`.
    pub bytes: Vec<u8>,
    /// `css/pufa.3f2a9c1d.css`.
    pub output: String,
}

/// A theme: the built-in default theme, with the files of `themes/<name>/` (if any) overriding or
/// adding to it file by file.
pub struct Theme {
    /// Template name (`page.html`, `partials/nav.html`) → source.
    pub templates: BTreeMap<String, TemplateSource>,
    /// Logical path (`css/pufa.css`) → file.
    pub statics: BTreeMap<String, StaticFile>,
}

impl Theme {
    /// The theme `name`: the embedded default overlaid with `themes/<name>/` under `root`; an error
    /// when a named theme is missing or its folder is a symbolic link.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let mut files: BTreeMap<String, (String, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(path, bytes)| {
                (
                    path.to_string(),
                    (format!("(built-in) {path}"), bytes.to_vec()),
                )
            })
            .collect();
        let dir = root.join("themes").join(name);
        if std::fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(vec![
                Diagnostic::error(
                    "theme-link",
                    format!("themes/{name}"),
                    "the theme folder is a symbolic link; pufa reads themes only from inside themes/",
                )
                .with_help("copy the theme folder into themes/ instead of linking to it"),
            ]);
        }
        if dir.is_dir() {
            overlay(&dir, &format!("themes/{name}"), &mut files)?;
        } else if name != "default" {
            return Err(vec![
                Diagnostic::error(
                    "no-theme",
                    "content/site.yaml",
                    format!("the theme `{name}` does not exist (looked for themes/{name}/)"),
                )
                .with_help(
                    "remove the `theme:` line to use the built-in theme, or create the folder",
                ),
            ]);
        }
        let mut theme = Theme {
            templates: BTreeMap::new(),
            statics: BTreeMap::new(),
        };
        for (path, (origin, bytes)) in files {
            if let Some(name) = path.strip_prefix("templates/") {
                let text = String::from_utf8(bytes).map_err(|_| {
                    vec![Diagnostic::error(
                        "invalid-utf8",
                        &origin,
                        "the template is not valid UTF-8",
                    )]
                })?;
                theme
                    .templates
                    .insert(name.to_string(), TemplateSource { origin, text });
            } else if let Some(logical) = path.strip_prefix("static/") {
                let output = fingerprint(logical, &bytes);
                theme
                    .statics
                    .insert(logical.to_string(), StaticFile { bytes, output });
            }
        }
        Ok(theme)
    }
}

fn overlay(
    dir: &Path,
    shown: &str,
    files: &mut BTreeMap<String, (String, Vec<u8>)>,
) -> Result<(), Vec<Diagnostic>> {
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry =
            entry.map_err(|e| vec![Diagnostic::error("unreadable", shown, e.to_string())])?;
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if crate::content::walk::is_ignored_name(relative.rsplit('/').next().unwrap_or("")) {
            continue;
        }
        let origin = format!("{shown}/{relative}");
        let bytes = std::fs::read(entry.path())
            .map_err(|e| vec![Diagnostic::error("unreadable", &origin, e.to_string())])?;
        files.insert(relative, (origin, bytes));
    }
    Ok(())
}

/// `css/pufa.css` → `css/pufa.<8 hex of blake3>.css`: cacheable forever, busted on change.
fn fingerprint(path: &str, bytes: &[u8]) -> String {
    let hash = blake3::hash(bytes).to_hex();
    let short = &hash.as_str()[..8];
    let (dir, file) = path.rsplit_once('/').map_or(("", path), |(d, f)| (d, f));
    let named = match file.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{short}.{ext}"),
        None => format!("{file}.{short}"),
    };
    if dir.is_empty() {
        named
    } else {
        format!("{dir}/{named}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_follow_content() {
        let a = fingerprint("css/pufa.css", b"body{}");
        assert!(
            a.starts_with("css/pufa.")
                && a.ends_with(".css")
                && a.len() == "css/pufa.12345678.css".len()
        );
        assert_ne!(a, fingerprint("css/pufa.css", b"body{color:red}"));
    }

    #[test]
    fn the_built_in_stylesheets_have_balanced_braces() {
        for (path, bytes) in DEFAULT_THEME.iter().filter(|(p, _)| p.ends_with(".css")) {
            let css = String::from_utf8_lossy(bytes);
            let mut depth = 0i32;
            for c in css.chars() {
                depth += match c {
                    '{' => 1,
                    '}' => -1,
                    _ => 0,
                };
                assert!(depth >= 0, "{path}: a `}}` closes nothing");
            }
            assert_eq!(depth, 0, "{path}: a block is never closed");
        }
    }

    #[test]
    fn the_default_theme_is_embedded() {
        assert!(
            DEFAULT_THEME
                .iter()
                .any(|(p, _)| *p == "templates/base.html")
        );
    }
}
