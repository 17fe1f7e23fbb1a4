//! A directory file as editors write it, and the checked model the rest of the build uses.
//! A phone marked `public_phone: false` is dropped here, while loading: no later step, this
//! kind's or another's, can publish what the model never holds.

use std::collections::HashMap;

use rayon::prelude::*;
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use super::phone::{Phone, PhoneText, ShownPhone};
use crate::content::DataFile;
use crate::content::slug::slugify;
use crate::diagnostics::Diagnostic;
use crate::yaml::YamlSource;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDirectory {
    title: String,
    #[serde(default)]
    summary: String,
    #[serde(default)]
    weight: i64,
    #[serde(default)]
    entries: Vec<Spanned<RawEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    id: Option<Spanned<String>>,
    name: Option<String>,
    role: Option<String>,
    region: Option<Spanned<String>>,
    place: Option<Spanned<String>>,
    #[serde(default)]
    serves: Vec<Spanned<String>>,
    address: Option<String>,
    phone: Option<Spanned<PhoneText>>,
    hours: Option<String>,
    location: Option<Spanned<GeoPoint>>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default = "public_by_default")]
    public_phone: bool,
}

fn public_by_default() -> bool {
    true
}

/// A WGS-84 position, as GPS and OpenStreetMap give it.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct GeoPoint {
    /// Latitude in degrees, north positive.
    pub lat: f64,
    /// Longitude in degrees, east positive.
    pub lon: f64,
}

/// One office or person a citizen can turn to.
#[derive(Debug, Clone)]
pub struct DirectoryEntry {
    /// Stable, unique across all directories: the anchor of the entry and what guides cite.
    pub id: String,
    /// The office's or person's name as citizens know it (`水头司法所`).
    pub name: String,
    /// 司法所, 村（居）法律顾问, 法治副校长 …
    pub role: String,
    /// One of site.yaml `regions`; empty for county-wide offices.
    pub region: String,
    /// The village, school or organisation the entry belongs to.
    pub place: String,
    /// The villages or schools the person serves.
    pub serves: Vec<String>,
    /// Where to go, as written on a letter; empty when not given.
    pub address: String,
    /// Opening hours as the editor writes them (`周一至周五 8:00–12:00`).
    pub hours: String,
    /// `location: { lat, lon }`; `None` when not given. The coverage kind measures reach from it.
    pub location: Option<GeoPoint>,
    /// What can be asked for there (`人民调解`, `法律咨询`), in the editor's words.
    pub services: Vec<String>,
    /// `None` also when the editor marked it `public_phone: false`.
    phone: Option<Phone>,
    /// Where the id and region were written, for checks that need the whole site.
    pub(crate) id_at: Location,
    pub(super) region_at: Location,
    /// Where `place` and each of `serves` were written, for the coverage kind's checks.
    pub(crate) place_at: Location,
    pub(crate) serves_at: Vec<Location>,
}

impl DirectoryEntry {
    /// The phone as the site may publish it (masked if it is a mobile and the site masks
    /// them); `None` when there is none or it is private. The only way to a phone number, so
    /// every output, this kind's or the guides', honours the same choice.
    pub fn phone(&self, config: &crate::config::Config) -> Option<ShownPhone> {
        self.phone
            .as_ref()
            .map(|p| p.shown(config.directory.mask_mobile))
    }
}

/// One `.yaml` file: a directory of offices or people.
#[derive(Debug)]
pub struct Directory {
    /// `offices`, from `offices.yaml`.
    pub stem: String,
    /// The URL segment: the stem, pinyin if it is Chinese.
    pub slug: String,
    /// As editors see it: `content/directory/offices.yaml`.
    pub file: String,
    /// The directory's heading (`title:`).
    pub title: String,
    /// `summary:`, shown in lists and the page's description.
    pub summary: String,
    /// `weight:`, ordering directories within the section, smallest first.
    pub weight: i64,
    /// The entries in the file's order.
    pub entries: Vec<DirectoryEntry>,
    /// The file's text, for pointing later diagnostics at its lines.
    pub(super) text: String,
}

impl Directory {
    /// A diagnostic pointing at `at` in this file.
    pub(crate) fn diagnostic_at(&self, diagnostic: Diagnostic, at: &Location) -> Diagnostic {
        YamlSource {
            file: &self.file,
            text: &self.text,
            yaml: &self.text,
            first_line: 1,
        }
        .diagnostic_at(diagnostic, at)
    }
}

/// Every directory of one `kind: directory` section, with an index by id.
#[derive(Debug)]
pub struct DirectorySection {
    /// Sorted by weight, then stem.
    pub directories: Vec<Directory>,
    /// Entry id → (directory, entry), the first of each id.
    pub(super) by_id: HashMap<String, (usize, usize)>,
}

impl DirectorySection {
    /// The entry with `id` and its directory, by hash lookup (guides resolve many ids).
    pub fn entry(&self, id: &str) -> Option<(&Directory, &DirectoryEntry)> {
        let &(d, e) = self.by_id.get(id)?;
        let directory = &self.directories[d];
        Some((directory, &directory.entries[e]))
    }
}

/// Parses and checks every file of a section (in parallel); all problems of all files.
pub fn load(files: &[DataFile]) -> Result<DirectorySection, Vec<Diagnostic>> {
    let results: Vec<Result<Directory, Vec<Diagnostic>>> =
        files.par_iter().map(load_file).collect();
    let mut directories = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(directory) => directories.push(directory),
            Err(found) => errors.extend(found),
        }
    }
    directories.sort_by(|a, b| (a.weight, &a.stem).cmp(&(b.weight, &b.stem)));
    check_slugs(&directories, &mut errors);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut by_id = HashMap::new();
    for (d, directory) in directories.iter().enumerate() {
        for (e, entry) in directory.entries.iter().enumerate() {
            by_id.entry(entry.id.clone()).or_insert((d, e));
        }
    }
    Ok(DirectorySection { directories, by_id })
}

fn load_file(file: &DataFile) -> Result<Directory, Vec<Diagnostic>> {
    let source = file.yaml();
    let raw: RawDirectory = source.parse().map_err(|d| vec![d])?;
    let mut errors = Vec::new();
    let entries = raw
        .entries
        .into_iter()
        .filter_map(|entry| check_entry(&source, entry, &mut errors))
        .collect();
    let slug = slugify(file.stem());
    if slug.is_empty() {
        errors.push(
            Diagnostic::error(
                "no-slug",
                &file.file,
                "cannot make a web address from this file name",
            )
            .with_help("rename the file with letters, digits or Chinese, e.g. `offices.yaml`"),
        );
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Directory {
        stem: file.stem().to_string(),
        slug,
        file: file.file.clone(),
        title: raw.title,
        summary: raw.summary.trim().to_string(),
        weight: raw.weight,
        entries,
        text: file.text.clone(),
    })
}

/// Two files whose names give one web address (`法律顾问.yaml` and `fa-lv-gu-wen.yaml`).
fn check_slugs(directories: &[Directory], errors: &mut Vec<Diagnostic>) {
    let mut seen: HashMap<&str, &Directory> = HashMap::new();
    for directory in directories {
        if let Some(first) = seen.insert(&directory.slug, directory) {
            errors.push(
                Diagnostic::error(
                    "url-collision",
                    &directory.file,
                    format!(
                        "{} and {} would both be published at …/{}/",
                        first.file, directory.file, directory.slug
                    ),
                )
                .with_help("rename one of the two files"),
            );
        }
    }
}

/// Checks one entry; problems go into `errors` so a file reports all of them at once.
fn check_entry(
    source: &YamlSource,
    entry: Spanned<RawEntry>,
    errors: &mut Vec<Diagnostic>,
) -> Option<DirectoryEntry> {
    let at_entry = entry.referenced;
    let raw = entry.value;
    let id = entry_id(source, raw.id.as_ref(), &at_entry);
    let name = entry_name(source, raw.name.as_deref(), id.as_deref().ok(), &at_entry);
    let phone = raw
        .phone
        .as_ref()
        .map(|p| entry_phone(source, p))
        .transpose();
    let location = raw
        .location
        .as_ref()
        .map(|l| entry_location(source, l))
        .transpose();
    let (id, name, phone, location) = match (id, name, phone, location) {
        (Ok(id), Ok(name), Ok(phone), Ok(location)) => (id, name, phone, location),
        (id, name, phone, location) => {
            errors.extend(
                [id.err(), name.err(), phone.err(), location.err()]
                    .into_iter()
                    .flatten(),
            );
            return None;
        }
    };
    let text = |value: Option<String>| value.map(|v| v.trim().to_string()).unwrap_or_default();
    let (region, region_at) = raw.region.map_or((String::new(), Location::UNKNOWN), |r| {
        (r.value.trim().to_string(), r.referenced)
    });
    let (place, place_at) = raw.place.map_or((String::new(), Location::UNKNOWN), |p| {
        (p.value.trim().to_string(), p.referenced)
    });
    let (serves, serves_at) = raw
        .serves
        .into_iter()
        .map(|s| (s.value, s.referenced))
        .unzip();
    Some(DirectoryEntry {
        id_at: raw.id.map_or(at_entry, |id| id.referenced),
        id,
        name,
        role: text(raw.role),
        region,
        region_at,
        place,
        place_at,
        serves,
        serves_at,
        address: text(raw.address),
        hours: text(raw.hours),
        location,
        services: raw.services,
        phone: phone.filter(|_| raw.public_phone),
    })
}

fn entry_id(
    source: &YamlSource,
    id: Option<&Spanned<String>>,
    at_entry: &Location,
) -> Result<String, Diagnostic> {
    match id {
        Some(id) if is_valid_id(&id.value) => Ok(id.value.clone()),
        Some(id) => Err(source.diagnostic_at(
            Diagnostic::error("bad-id", source.file, format!("`{}` cannot be an entry id", id.value))
                .with_help("use lowercase letters, digits and dashes, e.g. `shuitou-sfs`; the id becomes the entry's web address (…/#shuitou-sfs)"),
            &id.referenced,
        ).underline(id.value.chars().count())),
        None => Err(source.diagnostic_at(
            Diagnostic::error("missing-key", source.file, "this entry has no `id`")
                .with_help("add a line `id: …` with lowercase letters, digits and dashes, e.g. `id: shuitou-sfs`; guides refer to entries by it"),
            at_entry,
        )),
    }
}

fn entry_name(
    source: &YamlSource,
    name: Option<&str>,
    id: Option<&str>,
    at_entry: &Location,
) -> Result<String, Diagnostic> {
    let name = name.map(str::trim).unwrap_or_default();
    if !name.is_empty() {
        return Ok(name.to_string());
    }
    let what = id.map_or_else(
        || "this entry".to_string(),
        |id| format!("the entry `{id}`"),
    );
    Err(source.diagnostic_at(
        Diagnostic::error("missing-name", source.file, format!("{what} has no `name`"))
            .with_help("add a line `name: …` with the office's or the person's name"),
        at_entry,
    ))
}

fn entry_phone(source: &YamlSource, phone: &Spanned<PhoneText>) -> Result<Phone, Diagnostic> {
    let written = &phone.value;
    Phone::parse(&written.text).map_err(|message| {
        let help = if written.unquoted_number {
            "put the number in quotes, e.g. `phone: \"0359-8561234\"`: unquoted, YAML reads it as a number and drops a leading 0"
        } else {
            "write a landline with its area code (\"0359-8561234\"), an 11-digit mobile (\"13800000001\") or a service number (\"12348\")"
        };
        source
            .diagnostic_at(
                Diagnostic::error("bad-phone", source.file, message).with_help(help),
                &phone.referenced,
            )
            .underline(phone.referenced.span().len() as usize)
    })
}

fn entry_location(
    source: &YamlSource,
    location: &Spanned<GeoPoint>,
) -> Result<GeoPoint, Diagnostic> {
    let GeoPoint { lat, lon } = location.value;
    let Some((message, help)) = crate::geo::location_problem(lat, lon) else {
        return Ok(location.value);
    };
    Err(source.diagnostic_at(
        Diagnostic::error("bad-location", source.file, message).with_help(help),
        &location.referenced,
    ))
}

/// Ids become anchors and guide references: ASCII letters, digits, `-` and `_`, starting with
/// a letter or digit, so they survive every URL and chat app unchanged.
fn is_valid_id(id: &str) -> bool {
    id.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(name: &str, text: &str) -> DataFile {
        DataFile {
            path: format!("directory/{name}"),
            file: format!("content/directory/{name}"),
            text: text.to_string(),
        }
    }

    const OFFICES: &str = "title: 司法所\nentries:\n  - id: shuitou-sfs\n    name: 水头司法所\n    region: 水头镇\n    phone: \"0359-8561234\"\n    location: { lat: 35.05, lon: 111.3 }\n  - id: secret\n    name: 张三\n    phone: 13800000001\n    public_phone: false\n";

    #[test]
    fn entries_load_with_their_positions() {
        let section = load(&[data("offices.yaml", OFFICES)]).unwrap();
        let (directory, entry) = section.entry("shuitou-sfs").unwrap();
        assert_eq!(directory.slug, "offices");
        assert_eq!(entry.name, "水头司法所");
        assert_eq!(entry.region, "水头镇");
        assert_eq!(entry.region_at.line(), 5);
        assert_eq!(entry.id_at.line(), 3);
        assert_eq!(
            entry.location,
            Some(GeoPoint {
                lat: 35.05,
                lon: 111.3
            })
        );
    }

    #[test]
    fn a_private_phone_never_enters_the_model() {
        let section = load(&[data("offices.yaml", OFFICES)]).unwrap();
        let (_, entry) = section.entry("secret").unwrap();
        assert!(entry.phone.is_none());
        assert!(!format!("{entry:?}").contains("13800000001"));
    }

    #[test]
    fn every_bad_entry_of_a_file_is_reported() {
        let text = "title: x\nentries:\n  - id: a\n    phone: \"0359-12\"\n  - name: 无编号\n  - id: Bad Id\n    name: y\n    location: { lat: 111.2, lon: 35.1 }\n";
        let errors = load(&[data("x.yaml", text)]).unwrap_err();
        let found: Vec<(&str, Option<usize>)> = errors.iter().map(|d| (d.code, d.line)).collect();
        assert_eq!(
            found,
            [
                ("missing-name", Some(3)),
                ("bad-phone", Some(4)),
                ("missing-key", Some(5)),
                ("bad-id", Some(6)),
                ("bad-location", Some(8)),
            ]
        );
        assert!(errors[4].help.as_deref().unwrap().contains("swapped"));
    }

    #[test]
    fn unknown_keys_suggest_the_nearest() {
        let errors = load(&[data(
            "x.yaml",
            "title: x\nentries:\n  - id: a\n    name: b\n    adress: c\n",
        )])
        .unwrap_err();
        assert_eq!(errors[0].code, "unknown-key");
        assert_eq!(errors[0].line, Some(5));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `address`?"));
    }

    #[test]
    fn the_contracts_example_loads() {
        let text = "title: 村（居）法律顾问名录\nsummary: …\nentries:\n  - id: shuitou-sfs          # unique across all directories; referenced by guides\n    name: 水头司法所\n    role: 司法所\n    region: 水头镇            # must be one of site.yaml `regions`\n    place: 水头村             # village, school or organisation (optional)\n    serves: [水头村, 小晁村]   # optional: the villages or schools this person serves\n    address: …\n    phone: \"0359-0000000\"\n    hours: 周一至周五 8:00–12:00, 14:30–18:00\n    location: { lat: 35.0, lon: 111.0 }\n    services: [人民调解, 法律咨询]\n    public_phone: true       # false: the phone is kept out of every output\n";
        let section = load(&[data("counsels.yaml", text)]).unwrap();
        let (_, entry) = section.entry("shuitou-sfs").unwrap();
        assert_eq!(entry.serves, ["水头村", "小晁村"]);
        assert_eq!(entry.hours, "周一至周五 8:00–12:00, 14:30–18:00");
        assert_eq!(entry.phone.as_ref().unwrap().display, "0359-0000000");
    }

    #[test]
    fn ids_are_url_safe() {
        assert!(is_valid_id("shuitou-sfs"));
        assert!(is_valid_id("2024_a"));
        assert!(!is_valid_id("-a"));
        assert!(!is_valid_id("水头"));
        assert!(!is_valid_id("A"));
        assert!(!is_valid_id(""));
    }
}
