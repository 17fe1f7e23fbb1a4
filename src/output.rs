//! Writing the site safely: everything goes into a staging folder beside the output, which is
//! swapped in only when the whole build succeeded. A failed build leaves the previous output
//! exactly as it was.
//!
//! The staging folder is double-buffered: the output replaced by the last build is kept as
//! `.<out>.pufa-spare/` and becomes the next staging folder, where files whose bytes did not
//! change are left alone. On file systems where creating a file or folder costs a journal
//! write (most of them), this makes a rebuild of an unchanged 10,000-page site several times
//! faster than writing a fresh tree and deleting the old one.

use std::collections::{BTreeSet, HashSet};
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::textsearch::{Index, Record};

/// Where one build writes: a staging folder swapped in at the end, the output itself (`pufa
/// serve`), or nowhere (`pufa check`). Shared by the threads writing pages; records every path
/// written.
pub struct Staging {
    /// `None` for a dry run (`pufa check`): everything is rendered, nothing is written.
    dir: Option<PathBuf>,
    /// The output folder the staged site replaces; `None` when writing straight into the
    /// output (`pufa serve` updating a few files) or not at all.
    target: Option<PathBuf>,
    /// Only these output paths are rendered and written, when set (incremental rebuilds).
    only: Option<HashSet<String>>,
    /// Search records of the pages rendered, for the search index.
    records: Mutex<Vec<Record>>,
    written: Mutex<HashSet<String>>,
    /// The search index a full build made and its files' paths: for `pufa serve` to update
    /// after edits, or for the caller to free.
    index: Mutex<Option<(Index, BTreeSet<String>)>>,
    /// Whether the build's search index is to be edited (`pufa serve`): it is then made
    /// editable.
    keeps_index: bool,
}

impl Staging {
    /// Prepares the staging folder next to `target`, reusing the spare copy if there is one.
    pub fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let dir = sibling(target, "pufa-spare");
        let failed = |e: io::Error| {
            Diagnostic::error(
                "output",
                dir.display().to_string(),
                format!("cannot prepare the staging folder: {e}"),
            )
        };
        let previous = sibling(target, "pufa-previous");
        if !target.exists() && previous.is_dir() {
            // A build died between the two renames of a swap: put the old site back first.
            std::fs::rename(&previous, target).map_err(failed)?;
        }
        if dir.exists() && !dir.is_dir() {
            std::fs::remove_file(&dir).map_err(failed)?;
        }
        std::fs::create_dir_all(&dir).map_err(failed)?;
        Ok(Staging {
            dir: Some(dir),
            target: Some(target.to_path_buf()),
            only: None,
            records: Mutex::default(),
            written: Mutex::new(HashSet::new()),
            index: Mutex::default(),
            keeps_index: false,
        })
    }

    /// A staging area that writes nothing, for checking a site without building it.
    pub fn dry() -> Staging {
        Staging {
            dir: None,
            target: None,
            only: None,
            records: Mutex::default(),
            written: Mutex::new(HashSet::new()),
            index: Mutex::default(),
            keeps_index: false,
        }
    }

    /// Writes only the output paths in `only`, straight into `out`: how `pufa serve` updates
    /// the few files an edit touches in its scratch folder.
    pub fn direct(out: &Path, only: HashSet<String>) -> Staging {
        Staging {
            dir: Some(out.to_path_buf()),
            target: None,
            only: Some(only),
            records: Mutex::default(),
            written: Mutex::new(HashSet::new()),
            index: Mutex::default(),
            keeps_index: false,
        }
    }

    /// Whether this writes only some outputs (`pufa serve` after an edit), so that the search
    /// index is updated by the caller rather than rebuilt.
    pub fn is_incremental(&self) -> bool {
        self.only.is_some()
    }

    /// The same staging area, for a build whose search index `pufa serve` will edit (the
    /// index keeps a digest of each record, to tell which records an edit changed).
    pub fn keeping_index(self) -> Staging {
        Staging {
            keeps_index: true,
            ..self
        }
    }

    /// Whether the build's search index is to be edited ([`Staging::keeping_index`]).
    pub fn keeps_index(&self) -> bool {
        self.keeps_index
    }

    /// Keeps the search record of a page just rendered.
    pub fn add_record(&self, record: Record) {
        self.records
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(record);
    }

    /// The search records gathered so far (emptied).
    pub fn take_records(&self) -> Vec<Record> {
        std::mem::take(&mut *self.records.lock().unwrap_or_else(|e| e.into_inner()))
    }

    /// Keeps the index this build wrote, and the paths of its files: for `pufa serve` to edit,
    /// or for the caller to free where that costs no time.
    pub fn keep_index(&self, index: Index, files: BTreeSet<String>) {
        *self.index.lock().unwrap_or_else(|e| e.into_inner()) = Some((index, files));
    }

    /// The index this build wrote and its files' paths, if it wrote one.
    pub fn take_index(&self) -> Option<(Index, BTreeSet<String>)> {
        self.index.lock().unwrap_or_else(|e| e.into_inner()).take()
    }

    /// Whether this output path is to be rendered and written at all.
    pub fn wants(&self, path: &str) -> bool {
        self.only.as_ref().is_none_or(|only| only.contains(path))
    }

    /// The output paths written so far, sorted.
    pub fn written(&self) -> Vec<String> {
        let mut paths: Vec<String> = self.lock().iter().cloned().collect();
        paths.sort();
        paths
    }

    /// Writes one output file; `path` is relative to the output root, `/`-separated. A file
    /// already holding exactly these bytes is not rewritten.
    pub fn write(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_file(path, bytes, false)
    }

    /// [`Staging::write`] for a file whose name holds a hash of its content (the search
    /// bundle's): a file there of that name and size holds these bytes, and is not read
    /// again to be compared (a browser that cached it under that name relies on the same).
    pub fn write_hashed(&self, path: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_file(path, bytes, true)
    }

    fn write_file(&self, path: &str, bytes: &[u8], hashed: bool) -> Result<(), Diagnostic> {
        if !self.wants(path) {
            return Ok(());
        }
        let Some(dir) = &self.dir else {
            self.lock().insert(path.to_string());
            return Ok(());
        };
        let full = dir.join(path);
        let unchanged = std::fs::metadata(&full)
            .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
            && (hashed || std::fs::read(&full).is_ok_and(|old| old == bytes));
        if !unchanged {
            let written = if self.only.is_some() {
                replace_atomically(&full, bytes)
            } else {
                write_creating_dirs(&full, bytes)
            };
            written.map_err(|e| Diagnostic::error("output", path, format!("cannot write: {e}")))?;
        }
        self.lock().insert(path.to_string());
        Ok(())
    }

    /// Copies a file into the output (assets).
    pub fn copy(&self, from: &Path, path: &str) -> Result<(), Diagnostic> {
        if !self.wants(path) {
            return Ok(());
        }
        if self.dir.is_none() {
            return match from.is_file() {
                true => self.write(path, &[]),
                false => Err(Diagnostic::error(
                    "unreadable",
                    from.display().to_string(),
                    "cannot read the file",
                )),
            };
        }
        let bytes = std::fs::read(from).map_err(|e| {
            Diagnostic::error(
                "unreadable",
                from.display().to_string(),
                format!("cannot read: {e}"),
            )
        })?;
        self.write(path, &bytes)
    }

    /// How many distinct output files this build has written so far (or, in a dry run, would have).
    pub fn files_written(&self) -> usize {
        self.lock().len()
    }

    /// Removes what the previous build left that this one did not write, then swaps the
    /// staged site in. The replaced output becomes the spare for the next build.
    pub fn commit(self) -> Result<(), Diagnostic> {
        let (Some(dir), Some(target)) = (&self.dir, &self.target) else {
            return Ok(());
        };
        let failed = |e: io::Error| {
            Diagnostic::error(
                "output",
                target.display().to_string(),
                format!("cannot replace the output folder: {e}"),
            )
        };
        self.remove_stale(dir).map_err(failed)?;
        let previous = sibling(target, "pufa-previous");
        if previous.exists() {
            std::fs::remove_dir_all(&previous).map_err(failed)?;
        }
        if target.is_dir() && exchange(dir, target).is_ok() {
            return Ok(());
        }
        if target.exists() {
            if !target.is_dir() {
                return Err(failed(io::Error::other("it exists and is not a folder")));
            }
            std::fs::rename(target, &previous).map_err(failed)?;
        }
        if let Err(e) = std::fs::rename(dir, target) {
            let _ = std::fs::rename(&previous, target);
            return Err(failed(e));
        }
        if previous.exists() {
            std::fs::rename(&previous, dir).map_err(failed)?;
        }
        Ok(())
    }

    /// Leaves the output untouched; the staging folder stays as the spare.
    pub fn discard(self) {}

    fn remove_stale(&self, dir: &Path) -> io::Result<()> {
        let written = self.lock();
        // The folders that hold a file of this build: only the others can be left empty, so
        // only they are removed (trying every folder of a large site costs a failed call each).
        let mut needed: HashSet<&str> = HashSet::new();
        for path in written.iter() {
            let mut path = path.as_str();
            while let Some((parent, _)) = path.rsplit_once('/') {
                if !needed.insert(parent) {
                    break;
                }
                path = parent;
            }
        }
        sweep(dir, "", &written, &needed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        self.written.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Removes from `folder` (at `relative` in the staging folder) every file this build did not
/// write, then does the same in each subfolder, the subfolders in parallel (a site of 10,000
/// pages has 12,000 folders: read one after another, they held a build's last step ~80 ms
/// on one core), removing those that hold no file of this build once emptied.
fn sweep(
    folder: &Path,
    relative: &str,
    written: &HashSet<String>,
    needed: &HashSet<&str>,
) -> io::Result<()> {
    let mut subfolders = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let entry = entry?;
        let name = entry.file_name();
        let name = name.to_string_lossy();
        let path = match relative {
            "" => name.into_owned(),
            _ => format!("{relative}/{name}"),
        };
        if entry.file_type()?.is_dir() {
            subfolders.push((entry.path(), path));
        } else if !written.contains(&path) {
            std::fs::remove_file(entry.path())?;
        }
    }
    subfolders.into_par_iter().try_for_each(|(full, path)| {
        sweep(&full, &path, written, needed)?;
        if !needed.contains(path.as_str()) {
            let _ = std::fs::remove_dir(&full); // fails, as it should, unless empty
        }
        Ok(())
    })
}

/// Swaps two folders in one atomic step, so that whatever happens to the process the output
/// folder is always a complete site, old or new; the old one is left at `staged`.
#[cfg(target_os = "linux")]
fn exchange(staged: &Path, target: &Path) -> io::Result<()> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| CString::new(p.as_os_str().as_bytes()).map_err(io::Error::other);
    let (from, to) = (c(staged)?, c(target)?);
    // SAFETY: both arguments are valid NUL-terminated paths that outlive the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            from.as_ptr(),
            libc::AT_FDCWD,
            to.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(io::Error::last_os_error())
    }
}

/// Elsewhere the swap takes two renames (see [`Staging::commit`]); [`Staging::create`]
/// recovers if the process dies between them.
#[cfg(not(target_os = "linux"))]
fn exchange(_: &Path, _: &Path) -> io::Result<()> {
    Err(io::Error::from(io::ErrorKind::Unsupported))
}

/// `public` → `.public.pufa-<what>` in the same folder (same file system, so renames are atomic).
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    let parent = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.{what}"))
}

/// Replaces a file that may be read at this very moment (`pufa serve` updating its live
/// folder): the bytes go to a hidden file beside it, renamed over it when complete, so a
/// reader gets the old file or the new one, never a half-written one.
pub fn replace_atomically(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temporary = path.with_file_name(format!(".{name}.pufa-tmp"));
    write_creating_dirs(&temporary, bytes)?;
    if let Err(e) = std::fs::rename(&temporary, path) {
        let _ = std::fs::remove_file(&temporary);
        if path.is_dir() {
            std::fs::remove_dir_all(path)?;
            return replace_atomically(path, bytes);
        }
        return Err(e);
    }
    Ok(())
}

/// Writes a file, creating its folders only when the first attempt finds them missing.
fn write_creating_dirs(path: &Path, bytes: &[u8]) -> io::Result<()> {
    match std::fs::write(path, bytes) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, bytes)
        }
        Err(e) if e.kind() == io::ErrorKind::IsADirectory => {
            std::fs::remove_dir_all(path)?;
            std::fs::write(path, bytes)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_compared_before_it_is_rewritten_unless_its_name_holds_its_hash() {
        let root = tempfile::tempdir().unwrap();
        let staging = Staging::direct(
            root.path(),
            ["page.html", "search/d1.0a0b0c0d.bin"]
                .map(String::from)
                .into(),
        );
        let read = |path: &str| std::fs::read(root.path().join(path)).unwrap();
        for path in ["page.html", "search/d1.0a0b0c0d.bin"] {
            staging.write_hashed(path, b"first").unwrap();
            assert_eq!(read(path), b"first");
            // Another size: written again, whatever the name.
            staging.write_hashed(path, b"second").unwrap();
            assert_eq!(read(path), b"second");
        }
        // The same size: a plain file is read and rewritten when its bytes differ; a file
        // whose name holds its hash is taken to hold these bytes already.
        staging.write("page.html", b"third!").unwrap();
        assert_eq!(read("page.html"), b"third!");
        staging
            .write_hashed("search/d1.0a0b0c0d.bin", b"third!")
            .unwrap();
        assert_eq!(read("search/d1.0a0b0c0d.bin"), b"second");
        // Only paths wanted are written.
        staging
            .write_hashed("search/d2.00000000.bin", b"x")
            .unwrap();
        assert!(!root.path().join("search/d2.00000000.bin").exists());
    }
}
