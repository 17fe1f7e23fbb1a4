//! Checks that need more than one file: ids unique across every directory of the site (guides
//! cite them), regions known to site.yaml. One pass with hash maps, so 10,000 entries cost
//! milliseconds.

use std::collections::{HashMap, HashSet};

use super::model::{Directory, DirectoryEntry, DirectorySection};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::kinds::KindContext;

/// The directory sections of the site, in section order.
pub fn directory_sections<'a>(
    site: &'a KindContext,
) -> impl Iterator<Item = (usize, &'a DirectorySection)> {
    site.library
        .sections
        .iter()
        .enumerate()
        .filter_map(|(s, section)| Some((s, section.data::<DirectorySection>()?)))
}

/// Problems in section `section`. An id used twice is reported at its later use, naming the
/// first, so two sections never report the same pair.
pub fn validate(site: &KindContext, section: usize) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    let mut first_use: HashMap<&str, (&Directory, &DirectoryEntry)> = HashMap::new();
    for (s, directories) in directory_sections(site) {
        for directory in &directories.directories {
            for entry in &directory.entries {
                match first_use.get(entry.id.as_str()) {
                    Some(&(first_dir, first)) if s == section => {
                        found.push(duplicate(directory, entry, first_dir, first));
                    }
                    Some(_) => {}
                    None => {
                        first_use.insert(&entry.id, (directory, entry));
                    }
                }
            }
        }
    }
    if let Some(directories) = site.library.sections[section].data::<DirectorySection>() {
        check_regions(&site.config.regions, directories, &mut found);
    }
    found
}

fn duplicate(
    directory: &Directory,
    entry: &DirectoryEntry,
    first_dir: &Directory,
    first: &DirectoryEntry,
) -> Diagnostic {
    let place = match first.id_at.line() {
        0 => first_dir.file.clone(),
        line => format!("{}:{line}", first_dir.file),
    };
    directory.diagnostic_at(
        Diagnostic::error(
            "duplicate-id",
            &directory.file,
            format!(
                "the id `{}` is already used by {} ({place})",
                entry.id, first.name
            ),
        )
        .with_help(format!(
            "ids must be unique across all directories, in {} and {} alike; give one of them another id (guides refer to entries by id)",
            first_dir.file, directory.file
        )),
        &entry.id_at,
    )
    .underline(entry.id.chars().count())
}

fn check_regions(regions: &[String], section: &DirectorySection, found: &mut Vec<Diagnostic>) {
    let known: HashSet<&str> = regions.iter().map(String::as_str).collect();
    for directory in &section.directories {
        for entry in &directory.entries {
            if entry.region.is_empty() || known.contains(entry.region.as_str()) {
                continue;
            }
            let help = if regions.is_empty() {
                "list the townships in content/site.yaml, e.g. `regions: [瑶峰镇, 水头镇]`"
                    .to_string()
            } else {
                match did_you_mean(&entry.region, regions.iter().map(String::as_str)) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!(
                        "use one of the regions in content/site.yaml: {}",
                        regions.join("、")
                    ),
                }
            };
            found.push(
                directory
                    .diagnostic_at(
                        Diagnostic::error(
                            "unknown-region",
                            &directory.file,
                            format!("`{}` is not one of the site's regions", entry.region),
                        )
                        .with_help(help),
                        &entry.region_at,
                    )
                    .underline(entry.region.chars().count()),
            );
        }
    }
}
