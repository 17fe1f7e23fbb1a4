//! URL helpers that need nothing of the site: a leaf every layer may use (the route map's
//! navigation links in `geo` as much as the Markdown link pass).

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
