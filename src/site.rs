//! The site model: a loaded, checked [`Site`] (configuration, library, taxonomies, theme) that
//! the build steps read, with the options and summary of a build. The steps that make and
//! write it are in `crate::pipeline`; this module calls none of them.

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::content::Library;
use crate::content::taxonomy::Taxonomy;
use crate::diagnostics::Diagnostic;
use crate::images::{ImageCounts, ImageStore};
use crate::kinds::KindContext;
use crate::progress::Reporter;
use crate::render::Renderer;
use crate::render::theme::Theme;

/// What `pufa build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The site folder, holding `content/` (with `site.yaml`) and optionally `themes/`.
    pub root: PathBuf,
    /// Defaults to `ROOT/public`.
    pub out: Option<PathBuf>,
    /// `--base-url`: replaces site.yaml's `base_url` (with a trailing `/` added), for previews and
    /// staging servers.
    pub base_url: Option<String>,
    /// `--drafts`: also build pages marked `draft: true` and those whose `publish:` date is to
    /// come.
    pub drafts: bool,
    /// Where the build reports how far it has got (nowhere by default).
    pub progress: Reporter,
}

/// A loaded, checked site, ready to write.
pub struct Site {
    /// The site folder the build was started on; paths in diagnostics are relative to it.
    pub root: PathBuf,
    /// site.yaml, checked.
    pub config: Config,
    /// Every page and section, loaded, rendered to HTML and with kinds attached.
    pub library: Library,
    /// The terms of each taxonomy of site.yaml `taxonomies:`, with the pages that carry them.
    pub taxonomies: Vec<Taxonomy>,
    /// The templates and static files of the theme in use (embedded default or `themes/<name>/`).
    pub theme: Theme,
    /// Tera with the theme's templates loaded, shared by every write step.
    pub renderer: Renderer,
    /// The images pages show, probed while rendering and processed while writing.
    pub images: ImageStore,
    /// Where the build reports its progress to.
    pub progress: Reporter,
    /// Findings so far (warnings, and errors that did not stop loading).
    pub diagnostics: Vec<Diagnostic>,
}

/// A written search index and the paths of its files, kept by `pufa serve` between edits.
pub type SearchState = (crate::textsearch::Index, std::collections::BTreeSet<String>);

/// The outcome of a build that ran to the end (with or without errors).
#[derive(Debug)]
pub struct BuildSummary {
    /// How many HTML pages were written (or, for `check`, rendered).
    pub pages: usize,
    /// How many files were written in all (HTML, feeds, images, CSV, …); for `check`, how many
    /// would be.
    pub files: usize,
    /// Every warning and error, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// How many images were resized and how many came from the cache.
    pub images: ImageCounts,
}

impl BuildSummary {
    /// The summary of a build that stopped before writing anything.
    pub fn failed(diagnostics: Vec<Diagnostic>) -> BuildSummary {
        BuildSummary {
            pages: 0,
            files: 0,
            diagnostics,
            images: ImageCounts::default(),
        }
    }

    /// How many findings are errors; non-zero means the build failed and nothing was published.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many findings are warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// The root folder is missing or unreadable: a usage problem (exit 2), not a site error.
#[derive(Debug)]
pub struct UnusableRoot(pub String);

impl UnusableRoot {
    /// Refuses an output folder that would swap away or later delete what pufa did not write:
    /// one that is, holds or lies inside `content/` or `themes/` (the root itself included),
    /// or an existing folder of other files.
    pub fn check_out(root: &Path, out: &Path) -> Result<(), UnusableRoot> {
        let out_real = real_path(out);
        let root_real = real_path(root);
        for folder in ["content", "themes"] {
            let source = root_real.join(folder);
            if out_real.starts_with(&source) || source.starts_with(&out_real) {
                return Err(UnusableRoot(format!(
                    "--out {} overlaps the site's {folder}/ folder: a build would replace it and the next one delete it; choose a folder outside content/ and themes/, e.g. {}",
                    out.display(),
                    root.join("public").display()
                )));
            }
        }
        let foreign = std::fs::read_dir(out).is_ok_and(|mut entries| entries.next().is_some())
            && !out.join("404.html").is_file()
            && !out.join("sitemap.xml").is_file();
        if foreign {
            return Err(UnusableRoot(format!(
                "--out {} is a folder of other files, not a site pufa built: a build replaces the whole folder; choose a folder outside content/ and themes/ that is new or empty",
                out.display()
            )));
        }
        Ok(())
    }
}

/// The absolute path with `.` and `..` taken away, and links resolved in the part that
/// already exists.
fn real_path(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut lexical = PathBuf::new();
    for part in absolute.components() {
        match part {
            std::path::Component::ParentDir => {
                lexical.pop();
            }
            std::path::Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut rest = Vec::new();
    let mut existing = lexical.as_path();
    loop {
        if let Ok(real) = existing.canonicalize() {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

impl Site {
    /// What kinds see of the site.
    pub fn kind_context(&self) -> KindContext<'_> {
        KindContext {
            library: &self.library,
            config: &self.config,
        }
    }
}
