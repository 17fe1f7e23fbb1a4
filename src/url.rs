//! URL helpers that need nothing of the site: a leaf every layer may use (the route map's
//! navigation links in `geo` as much as the Markdown link pass). Site paths (`/guides/x/`) are
//! made into links with [`site_url`] and into output files with [`html_path`].

/// Percent-encodes what is not safe in a URL path (non-ASCII, spaces), keeping `/`.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Joins a base-path with a site path (`/sfj/` + `/guides/` → `/sfj/guides/`).
pub fn site_url(base_path: &str, path: &str) -> String {
    format!("{base_path}{}", path.trim_start_matches('/'))
}

/// The output file of a site path: `/news/x/` → `news/x/index.html`.
pub fn html_path(url: &str) -> String {
    format!("{}index.html", url.trim_start_matches('/'))
}

/// `/news/` for page 1, `/news/page/2/` after.
pub fn pager_path(list_path: &str, number: usize) -> String {
    if number <= 1 {
        list_path.to_string()
    } else {
        format!("{list_path}page/{number}/")
    }
}
