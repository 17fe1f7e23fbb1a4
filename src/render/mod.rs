//! Tera, set up once per build: the theme's templates parsed once, the site's values in the
//! global context, and `asset()` / `url()` for links under the base path. Templates receive
//! finished values from [`views`]; they hold markup, not logic.

pub mod atom;
pub mod theme;
pub mod views;

use std::collections::{BTreeMap, HashMap};

use tera::{Context, Kwargs, State, Tera};

use crate::config::Config;
use crate::diagnostics::Diagnostic;
use theme::Theme;

/// The theme's templates compiled once per build, shared by every write step. Templates get the
/// `site` value ([`views::SiteView`]) globally and two functions: `asset(path=…)` for a static
/// file's fingerprinted URL and `url(path=…)` for a site path with the base path.
pub struct Renderer {
    tera: Tera,
    /// Template name → (origin shown to editors, source).
    sources: HashMap<String, (String, String)>,
}

impl Renderer {
    /// Compiles the theme's templates; a template error points at the theme file (or the built-in
    /// template) it came from.
    pub fn new(theme: &Theme, config: &Config) -> Result<Renderer, Vec<Diagnostic>> {
        let mut tera = Tera::new();
        tera.set_escape_fn(escape_html);
        let sources: HashMap<String, (String, String)> = theme
            .templates
            .iter()
            .map(|(name, t)| (name.clone(), (t.origin.clone(), t.text.clone())))
            .collect();
        let assets: BTreeMap<String, String> = theme
            .statics
            .iter()
            .map(|(logical, file)| {
                (
                    logical.clone(),
                    format!("{}{}", config.base_path, file.output),
                )
            })
            .collect();
        tera.register_function(
            "asset",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: String = kwargs.must_get("path")?;
                assets
                    .get(path.trim_start_matches('/'))
                    .cloned()
                    .ok_or_else(|| {
                        tera::Error::message(format!(
                            "asset(path=\"{path}\"): no such file in the theme's static/ folder"
                        ))
                    })
            },
        );
        let base_path = config.base_path.clone();
        tera.register_function(
            "url",
            move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
                let path: String = kwargs.must_get("path")?;
                Ok(format!("{base_path}{}", path.trim_start_matches('/')))
            },
        );
        tera.global_context()
            .insert("site", &views::SiteView::new(config));
        let all = theme
            .templates
            .iter()
            .map(|(name, t)| (name.as_str(), t.text.as_str()));
        tera.add_raw_templates(all)
            .map_err(|e| vec![template_error(&e, &sources)])?;
        Ok(Renderer { tera, sources })
    }

    /// Whether the theme has the template `name` (`route_stop.html`), so that a missing one is
    /// reported as an editor-facing error naming the file to add, not as a Tera failure.
    pub fn has_template(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    /// Renders `template` into `out` (emptied first); a failure names the template file and
    /// line. Tera writes valid UTF-8 from `str` values and template text, so the bytes are not
    /// checked again.
    pub fn render(
        &self,
        template: &str,
        context: &Context,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        out.clear();
        self.tera
            .render_to(template, context, &mut *out)
            .map_err(|e| template_error(&e, &self.sources))
    }
}

/// Tera's own HTML escaping (the same five characters as the same entities), but writing
/// each run of plain text at once instead of byte by byte: a quarter of the time of writing
/// a page went into escaping.
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[start..i])?;
        out.write_all(entity)?;
        start = i + 1;
    }
    out.write_all(&bytes[start..])
}

/// Tera's errors read `error: …\n --> page.html:5:12\n  |\n5 | …`: keep the message, map the
/// template name to the file it came from, and point at the line.
fn template_error(error: &tera::Error, sources: &HashMap<String, (String, String)>) -> Diagnostic {
    let shown = error.to_string();
    let mut message = shown
        .lines()
        .next()
        .unwrap_or("")
        .trim_start_matches("error: ")
        .to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        message.push_str(": ");
        message.push_str(&inner.to_string());
        cause = inner.source();
    }
    let location = shown
        .lines()
        .find_map(|l| l.trim_start().strip_prefix("--> "));
    let parsed = location.and_then(|loc| {
        let mut parts = loc.rsplitn(3, ':');
        let column = parts.next()?.parse::<usize>().ok()?;
        let line = parts.next()?.parse::<usize>().ok()?;
        Some((parts.next()?.to_string(), line, column))
    });
    let help = "fix the template, or delete the override to use the built-in one";
    match parsed {
        Some((name, line, column)) => match sources.get(&name) {
            Some((origin, text)) => Diagnostic::error("template", origin, message)
                .at(text, line, column)
                .with_help(help),
            None => Diagnostic::error("template", name, message).with_help(help),
        },
        None => Diagnostic::error("template", "themes", message).with_help(help),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ours(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        escape_html(text, &mut out).unwrap();
        out
    }

    #[test]
    fn escaping_writes_what_tera_s_escaping_writes() {
        for text in [
            "",
            "plain 文本",
            "<script>alert('x')</script>",
            "a&b\"c'd>e<",
            "&&&",
            "尾&",
        ] {
            let mut theirs = Vec::new();
            tera::escape_html(text, &mut theirs).unwrap();
            assert_eq!(ours(text), theirs, "{text}");
        }
        assert_eq!(
            ours("<a href=\"x\">'"),
            b"&lt;a href=&quot;x&quot;&gt;&#39;"
        );
    }

    proptest::proptest! {
        #[test]
        fn escaping_writes_what_tera_s_escaping_writes_for_any_text(text in "\\PC{0,60}") {
            let mut theirs = Vec::new();
            tera::escape_html(&text, &mut theirs).unwrap();
            proptest::prop_assert_eq!(ours(&text), theirs);
        }
    }
}
