//! Writing the site safely: everything goes into a staging folder beside the output, which is
//! swapped in only when the whole build succeeded. A failed build leaves the previous output
//! exactly as it was.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::diagnostics::Diagnostic;

pub struct Staging {
    dir: PathBuf,
    target: PathBuf,
    written: AtomicUsize,
}

impl Staging {
    /// Creates an empty staging folder next to `target` (removing one left by a crash).
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let name = target
            .file_name()
            .map_or("public".into(), |n| n.to_string_lossy().into_owned());
        let parent = target
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let dir = parent.join(format!(".{name}.pufa-staging"));
        let failed = |e: io::Error| {
            Diagnostic::error(
                "output",
                dir.display().to_string(),
                format!("cannot create the staging folder: {e}"),
            )
        };
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(failed)?;
        }
        std::fs::create_dir_all(&dir).map_err(failed)?;
        Ok(Staging {
            dir,
            target: target.to_path_buf(),
            written: AtomicUsize::new(0),
        })
    }

    /// Writes one output file; `path` is relative to the output root, `/`-separated.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let full = self.dir.join(path);
        let result = full
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&full, bytes));
        result.map_err(|e| Diagnostic::error("output", path, format!("cannot write: {e}")))?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Copies a file into the output (assets), keeping no timestamps.
    pub fn copy(&self, from: &Path, path: &str) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| {
            Diagnostic::error(
                "unreadable",
                from.display().to_string(),
                format!("cannot read: {e}"),
            )
        })?;
        self.write(path, &bytes)
    }

    pub fn files_written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Replaces the output with the staged site.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let failed = |e: io::Error| {
            Diagnostic::error(
                "output",
                self.target.display().to_string(),
                format!("cannot replace the output folder: {e}"),
            )
        };
        let old = self
            .dir
            .with_file_name(self.dir.file_name().map_or("old".into(), |n| {
                n.to_string_lossy().replace("pufa-staging", "pufa-old")
            }));
        if old.exists() {
            std::fs::remove_dir_all(&old).map_err(failed)?;
        }
        if self.target.exists() {
            if !self.target.is_dir() {
                return Err(failed(io::Error::other("it exists and is not a folder")));
            }
            std::fs::rename(&self.target, &old).map_err(failed)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(failed(e));
        }
        let _ = std::fs::remove_dir_all(&old);
        Ok(())
    }

    /// Throws the staged site away, leaving the output untouched.
    pub fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}
