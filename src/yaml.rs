//! YAML in, editor-friendly diagnostics out. serde-saphyr gives correct positions; this module
//! maps them from the YAML fragment back to the file (front matter starts on line 2), strips
//! its wording down to the message, and adds the fix.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Diagnostic, did_you_mean};

/// A YAML fragment and where it sits in the file an editor wrote.
pub struct YamlSource<'a> {
    /// The file as shown to editors (`content/site.yaml`).
    pub file: &'a str,
    /// The whole file, for showing offending lines.
    pub text: &'a str,
    /// The YAML itself (the whole file, or the front matter between `---` lines).
    pub yaml: &'a str,
    /// The 1-based line of the file on which `yaml` starts.
    pub first_line: usize,
}

impl YamlSource<'_> {
    /// Deserializes the YAML into `T`; a syntax or type error becomes one diagnostic at the
    /// file's own line and column, explained in the editor's terms with a fix.
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, Diagnostic> {
        serde_saphyr::from_str_with_options(self.yaml, options()).map_err(|e| self.error(&e))
    }

    /// A diagnostic pointing at a value that deserialized fine but is wrong.
    pub fn diagnostic_at(&self, diagnostic: Diagnostic, location: &Location) -> Diagnostic {
        if location.line() == 0 {
            return diagnostic;
        }
        let line = self.first_line + location.line() as usize - 1;
        diagnostic.at(self.text, line, location.column() as usize)
    }

    fn error(&self, error: &serde_saphyr::Error) -> Diagnostic {
        let full = error.to_string();
        let message = full
            .rsplit_once(" at line ")
            .map_or(full.as_str(), |(m, _)| m)
            .to_string();
        let (code, message, help) = explain(&message);
        let diagnostic = Diagnostic::error(code, self.file, message).with_help(help);
        match error.location() {
            Some(location) => self.diagnostic_at(diagnostic, &location),
            None => diagnostic,
        }
    }
}

fn options() -> serde_saphyr::Options {
    let mut options = serde_saphyr::Options::default();
    // `draft: no` must not silently mean false.
    options.strict_booleans = true;
    options.with_snippet = false;
    // The default budget (250,000 nodes) suits configuration files; a directory of 10,000
    // entries is about 330,000 nodes. Aliases and nesting keep their default caps.
    let mut budget = serde_saphyr::Budget::default();
    budget.max_nodes = 5_000_000;
    budget.max_events = 20_000_000;
    options.budget = Some(budget);
    options
}

/// Turns serde's wording into a message and a fix an editor can act on.
fn explain(message: &str) -> (&'static str, String, String) {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = expected
            .trim_start_matches(", expected one of ")
            .trim_start_matches(", expected ")
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty())
            .collect();
        return unknown_key(key, &known);
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        let key = rest.trim_end_matches('`');
        return (
            "missing-key",
            format!("`{key}` is required but missing"),
            format!("add a line `{key}: …`"),
        );
    }
    if message.contains("invalid boolean") {
        return (
            "yaml-type",
            "this must be true or false".into(),
            "write `true` or `false` (yes/no/on/off are not accepted)".into(),
        );
    }
    if message.starts_with("duplicate mapping key") {
        let key = message
            .trim_start_matches("duplicate mapping key: ")
            .split(',')
            .next()
            .unwrap_or("");
        return (
            "duplicate-key",
            format!("the key `{key}` appears twice"),
            "keep one of the two lines".into(),
        );
    }
    if message.starts_with("invalid type") || message.starts_with("expected ") {
        return ("yaml-type", message.to_string(), type_help(message));
    }
    (
        "yaml-syntax",
        format!("broken YAML: {message}"),
        "check quotes, colons and indentation on this line and the one before; \
         text containing `:` or `#` must be in quotes"
            .into(),
    )
}

fn type_help(message: &str) -> String {
    if message.contains("sequence") {
        "write a list, e.g. `[法律援助, 调解]` or one `- item` per line".into()
    } else if message.contains("string") {
        "write plain text here; put it in quotes if it starts with [ { * & ! or contains `: `"
            .into()
    } else {
        "check the value's type against the documentation".into()
    }
}

/// The shared wording for a key nobody knows, with the nearest known one.
pub fn unknown_key(key: &str, known: &[&str]) -> (&'static str, String, String) {
    let help = match did_you_mean(key, known.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("remove it; the known keys are: {}", known.join(", ")),
    };
    ("unknown-key", format!("unknown key `{key}`"), help)
}

/// A YAML value loosely typed, for keys whose shape the core does not know in advance
/// (taxonomy lists named in site.yaml).
#[derive(Debug, Clone, PartialEq)]
pub enum Loose {
    /// A string or a number, as text.
    Text(String),
    /// A sequence of loose values.
    List(Vec<Loose>),
    /// A map, a boolean or null: no shape the core reads.
    Other,
}

impl<'de> Deserialize<'de> for Loose {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LooseVisitor)
    }
}

struct LooseVisitor;

impl<'de> Visitor<'de> for LooseVisitor {
    type Value = Loose;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Loose, E> {
        Ok(Loose::Text(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_none<E: de::Error>(self) -> Result<Loose, E> {
        Ok(Loose::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Loose, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Loose::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Loose, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Loose::Other)
    }
}

/// The top-level keys of a mapping with their positions and loosely typed values, so keys can be
/// checked against a set that depends on the section's kind and the site's taxonomies.
pub struct TopLevel(pub Vec<(Spanned<String>, Spanned<Loose>)>);

impl<'de> Deserialize<'de> for TopLevel {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MapVisitor;
        impl<'de> Visitor<'de> for MapVisitor {
            type Value = TopLevel;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a mapping of `key: value` lines")
            }
            fn visit_unit<E: de::Error>(self) -> Result<TopLevel, E> {
                Ok(TopLevel(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TopLevel, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(TopLevel(entries))
            }
        }
        deserializer.deserialize_map(MapVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)] // only parsed, to provoke errors
    struct Sample {
        title: String,
        draft: Option<bool>,
    }

    fn source(yaml: &str) -> YamlSource<'_> {
        YamlSource {
            file: "content/a.md",
            text: yaml,
            yaml,
            first_line: 1,
        }
    }

    #[test]
    fn unknown_key_suggests_the_nearest() {
        let err = source("title: x\ntilte: y\n")
            .parse::<Sample>()
            .unwrap_err();
        assert_eq!(err.code, "unknown-key");
        assert_eq!((err.line, err.column), (Some(2), Some(1)));
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
    }

    #[test]
    fn positions_are_shifted_to_the_file() {
        let text = "---\ntitle: x\ndraft: no\n---\n";
        let src = YamlSource {
            file: "f.md",
            text,
            yaml: &text[4..text.len() - 4],
            first_line: 2,
        };
        let err = src.parse::<Sample>().unwrap_err();
        assert_eq!(err.line, Some(3));
        assert_eq!(err.source_line.as_deref(), Some("draft: no"));
        assert!(err.help.unwrap().contains("true"));
    }

    #[test]
    fn top_level_keeps_keys_and_loose_values() {
        let top: TopLevel = source("title: x\ntags: [a, 2024]\n").parse().unwrap();
        let keys: Vec<&str> = top.0.iter().map(|(k, _)| k.value.as_str()).collect();
        assert_eq!(keys, ["title", "tags"]);
        assert_eq!(
            top.0[1].1.value,
            Loose::List(vec![Loose::Text("a".into()), Loose::Text("2024".into())])
        );
        assert_eq!(top.0[1].0.referenced.line(), 2);
    }
}
