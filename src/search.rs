//! The search index: Pagefind, used as a library (its `extended` feature segments Chinese, so
//! 援助 finds 法律援助). Pages mark their searchable part with `data-pagefind-body`; the
//! writer captures those pages as it renders them, and this step indexes them and writes the
//! bundle under `/pagefind/`. No separate binary, no npm.

use crate::diagnostics::Diagnostic;
use crate::output::Staging;
use crate::plan::Plan;
use crate::site::Site;

/// The folder the index is written to, under the output root.
pub const BUNDLE: &str = "pagefind";

/// Bundle files our own search page does not use (Pagefind's ready-made interfaces).
fn is_unused(name: &str) -> bool {
    name.starts_with("pagefind-ui")
        || name.starts_with("pagefind-component-ui")
        || name.starts_with("pagefind-modular-ui")
        || name.starts_with("pagefind-highlight")
}

/// Indexes every captured searchable page and writes the bundle.
pub fn write_index(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    if !staging.indexes_search() || !site.config.search {
        return Ok(0);
    }
    let pages = staging.take_searchable();
    let base_path = site.config.base_path.clone();
    // Pagefind's API is async; run it on a runtime of its own, on a thread of its own, so this
    // works whether or not the caller is inside a runtime (`pufa serve` is).
    let files = std::thread::spawn(move || index(pages, &base_path))
        .join()
        .unwrap_or_else(|_| Err("the search indexer stopped unexpectedly".to_string()))
        .map_err(|message| vec![Diagnostic::error("search-index", "pagefind", message)])?;
    let errors: Vec<Diagnostic> = files
        .into_iter()
        .filter(|(name, _)| !is_unused(name.rsplit('/').next().unwrap_or(name)))
        .filter_map(|(name, bytes)| staging.write(&format!("{BUNDLE}/{name}"), &bytes).err())
        .collect();
    if errors.is_empty() {
        Ok(0)
    } else {
        Err(errors)
    }
}

/// (output path, HTML) → the bundle's files as (path inside the bundle, bytes).
fn index(
    mut pages: Vec<(String, String)>,
    base_path: &str,
) -> Result<Vec<(String, Vec<u8>)>, String> {
    pages.sort();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        let config = pagefind::options::PagefindServiceConfig::builder().build();
        let mut index =
            pagefind::api::PagefindIndex::new(Some(config)).map_err(|e| e.to_string())?;
        for (path, html) in pages {
            let url = format!("{base_path}{}", path.trim_end_matches("index.html"));
            index
                .add_html_file(None, Some(url), html)
                .await
                .map_err(|e| format!("{path}: {e}"))?;
        }
        let files = index.get_files().await.map_err(|e| e.to_string())?;
        Ok(files
            .into_iter()
            .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
            .collect())
    })
}

/// Rebuilds the index of a built site folder from its pages on disk: how `pufa serve` brings
/// search up to date after an edit without holding every page in memory. Bundle files the new
/// index no longer has are removed.
pub fn reindex_folder(out: &std::path::Path, base_path: &str) -> Result<usize, String> {
    let mut pages = Vec::new();
    for entry in walkdir::WalkDir::new(out)
        .follow_links(false)
        .sort_by_file_name()
    {
        let entry = entry.map_err(|e| e.to_string())?;
        let Ok(relative) = entry.path().strip_prefix(out) else {
            continue;
        };
        let relative = relative.to_string_lossy().replace('\\', "/");
        if !relative.ends_with(".html") || relative.starts_with(BUNDLE) {
            continue;
        }
        let html = std::fs::read_to_string(entry.path()).map_err(|e| format!("{relative}: {e}"))?;
        if html.contains("data-pagefind-body") {
            pages.push((relative, html));
        }
    }
    let count = pages.len();
    let files = index(pages, base_path)?;
    let bundle = out.join(BUNDLE);
    let mut kept = std::collections::HashSet::new();
    for (name, bytes) in files
        .into_iter()
        .filter(|(name, _)| !is_unused(name.rsplit('/').next().unwrap_or(name)))
    {
        let path = bundle.join(&name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
        }
        if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            std::fs::write(&path, &bytes).map_err(|e| e.to_string())?;
        }
        kept.insert(path);
    }
    for entry in walkdir::WalkDir::new(&bundle)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
    {
        if !kept.contains(entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
    Ok(count)
}
