//! What `guide.html` and `guides.html` see: finished values, each office's address, hours and
//! phone taken from the directory at build time (never retyped in the guide), URLs under the
//! base path, and full URLs for the printed handout.

use serde::Serialize;

use super::model::{Guide, Material, Step};
use crate::config::Config;
use crate::content::{Library, Page};
use crate::dates;
use crate::kinds::directory::{DirectoryEntry, EntryLink, ShownPhone};
use crate::render::views::permalink;
use crate::url::site_url;

/// Everything a guide page shows besides the shared `page` values.
#[derive(Serialize)]
pub struct GuideView {
    pub service: String,
    pub audience: Option<String>,
    pub eligibility: Vec<String>,
    pub materials: Vec<MaterialView>,
    pub steps: Vec<StepView>,
    pub time_limit: Option<String>,
    /// Always shown: a citizen needs to know whether to bring money.
    pub fee: String,
    /// The guide's own hotline, else the site's.
    pub hotline: Option<PhoneLink>,
    pub legal_basis: Vec<String>,
    pub online: Option<String>,
    pub offices: Vec<OfficeView>,
    pub related: Vec<PageLink>,
    pub referenced_by: Vec<PageLink>,
    /// `updated`, else `date`: when the guide was last checked.
    pub updated_zh: Option<String>,
    pub updated_iso: Option<String>,
    /// The full URL, printed on the handout so a paper copy leads back to the current version.
    pub permalink: String,
    /// The self-check page (`<guide>/check/`), if the guide has `self_check`.
    pub check_url: Option<String>,
    /// The printable application (`<guide>/apply/`), if the guide has `application`.
    pub apply_url: Option<String>,
}

/// One line of the materials checklist, with the id its checkbox and label share.
#[derive(Serialize)]
pub struct MaterialView {
    /// `material-1`: ties the checkbox to its label.
    pub id: String,
    pub name: String,
    pub note: Option<String>,
    pub copies: Option<String>,
}

/// A step with its number, so the template shows numbers without counting.
#[derive(Serialize)]
pub struct StepView {
    pub number: usize,
    pub title: String,
    pub detail: Option<String>,
}

/// A number to call, with its `tel:` link when it can be dialled as written.
#[derive(Serialize)]
pub struct PhoneLink {
    pub text: String,
    pub href: Option<String>,
}

impl PhoneLink {
    /// Only digits and dashes are dialled: `12348（工作日）` is shown, not linked.
    pub fn new(text: &str) -> PhoneLink {
        let dialable = text.chars().all(|c| c.is_ascii_digit() || c == '-')
            && text.chars().any(|c| c.is_ascii_digit());
        PhoneLink {
            text: text.to_string(),
            href: dialable.then(|| format!("tel:{text}")),
        }
    }
}

/// An office of `where`, as the directory publishes it.
#[derive(Serialize)]
pub struct OfficeView {
    pub id: String,
    pub name: String,
    pub role: String,
    /// Its row in the directory page: `/directory/offices/#legal-aid-center`.
    pub url: String,
    pub permalink: String,
    /// The directory's title, for "在…中查看".
    pub directory: String,
    pub address: String,
    pub hours: String,
    /// Private phones never reach here: [`DirectoryEntry::phone`] drops them.
    pub phone: Option<ShownPhone>,
    /// A "导航" link when the directory gives the office's position.
    pub navigate: Option<String>,
}

impl OfficeView {
    /// Everything shown comes from the directory entry; the guide holds only the id.
    pub fn new(entry: &DirectoryEntry, link: &EntryLink, config: &Config) -> OfficeView {
        OfficeView {
            id: entry.id.clone(),
            name: entry.name.clone(),
            role: entry.role.clone(),
            url: site_url(&config.base_path, &link.url),
            permalink: permalink(config, &link.url),
            directory: link.directory.clone(),
            address: entry.address.clone(),
            hours: entry.hours.clone(),
            phone: entry.phone(config),
            navigate: entry
                .location
                .map(|g| crate::geo::navigation_url(g.lat, g.lon, &entry.name)),
        }
    }
}

/// A page linked from a guide: a related guide or a page that refers to it.
#[derive(Serialize)]
pub struct PageLink {
    pub title: String,
    pub url: String,
    pub permalink: String,
    /// What the page is: its section (法治线路, 普法动态) or, for a guide, its service.
    pub context: String,
}

impl PageLink {
    /// `context` says what the page is, so a list of mixed pages reads without clicking.
    pub fn new(page: &Page, context: &str, config: &Config) -> PageLink {
        PageLink {
            title: page.meta.title.clone(),
            url: site_url(&config.base_path, &page.url),
            permalink: permalink(config, &page.url),
            context: context.to_string(),
        }
    }
}

/// The parts of a guide page that come from elsewhere in the site.
pub struct Neighbours {
    pub offices: Vec<OfficeView>,
    pub related: Vec<PageLink>,
    pub referenced_by: Vec<PageLink>,
}

impl GuideView {
    /// Numbers the steps and materials and picks the hotline and updated date to show.
    pub fn new(page: &Page, guide: &Guide, neighbours: Neighbours, config: &Config) -> GuideView {
        let updated = page.meta.updated.or(page.meta.date);
        let hotline = guide
            .hotline
            .as_deref()
            .or(Some(config.hotline.as_str()).filter(|h| !h.is_empty()));
        GuideView {
            service: guide.service.clone(),
            audience: guide.audience.clone(),
            eligibility: guide.eligibility.clone(),
            materials: guide
                .materials
                .iter()
                .enumerate()
                .map(|(i, m)| material_view(i + 1, m))
                .collect(),
            steps: guide
                .steps
                .iter()
                .enumerate()
                .map(|(i, s)| step_view(i + 1, s))
                .collect(),
            time_limit: guide.time_limit.clone(),
            fee: guide
                .fee
                .clone()
                .unwrap_or_else(|| "未注明，请电话咨询".to_string()),
            hotline: hotline.map(PhoneLink::new),
            legal_basis: guide.legal_basis.clone(),
            online: guide.online.clone(),
            offices: neighbours.offices,
            related: neighbours.related,
            referenced_by: neighbours.referenced_by,
            updated_zh: updated.map(dates::ymd_zh),
            updated_iso: updated.map(dates::ymd),
            permalink: permalink(config, &page.url),
            check_url: guide
                .self_check
                .as_ref()
                .map(|_| site_url(&config.base_path, &check_path(page))),
            apply_url: guide
                .application
                .as_ref()
                .map(|_| site_url(&config.base_path, &apply_path(page))),
        }
    }
}

/// `/guides/legal-aid/check/`.
pub(super) fn check_path(page: &Page) -> String {
    format!("{}check/", page.url)
}

/// `/guides/legal-aid/apply/`.
pub(super) fn apply_path(page: &Page) -> String {
    format!("{}apply/", page.url)
}

pub(super) fn material_view(number: usize, material: &Material) -> MaterialView {
    MaterialView {
        id: format!("material-{number}"),
        name: material.name.clone(),
        note: material.note.clone(),
        copies: material.copies.clone(),
    }
}

fn step_view(number: usize, step: &Step) -> StepView {
    StepView {
        number,
        title: step.title.clone(),
        detail: step.detail.clone(),
    }
}

/// One service on the guides index, with its guides in the section's order.
#[derive(Serialize)]
pub struct ServiceGroup {
    pub service: String,
    /// `fa-lv-yuan-zhu`, for the index's jump links.
    pub anchor: String,
    pub guides: Vec<GuideCard>,
}

/// A guide as the index lists it.
#[derive(Serialize)]
pub struct GuideCard {
    pub title: String,
    pub url: String,
    pub summary: String,
    pub time_limit: Option<String>,
    pub fee: Option<String>,
    /// The offices' names, `、`-joined.
    pub offices: String,
}

/// Groups `guides` by service, services in the order their first guide appears.
pub fn service_groups(
    library: &Library,
    config: &Config,
    guides: &[(&Page, &Guide)],
) -> Vec<ServiceGroup> {
    let mut groups: Vec<ServiceGroup> = Vec::new();
    for (page, guide) in guides {
        let card = GuideCard {
            title: page.meta.title.clone(),
            url: site_url(&config.base_path, &page.url),
            summary: page.summary(),
            time_limit: guide.time_limit.clone(),
            fee: guide.fee.clone(),
            offices: guide
                .offices
                .iter()
                .filter_map(|id| crate::kinds::directory::find_entry(library, &id.value))
                .map(|(entry, _)| entry.name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        };
        match groups.iter_mut().find(|g| g.service == guide.service) {
            Some(group) => group.guides.push(card),
            None => groups.push(ServiceGroup {
                service: guide.service.clone(),
                anchor: service_anchor(&guide.service, groups.len() + 1),
                guides: vec![card],
            }),
        }
    }
    groups
}

/// `service-fa-lv-yuan-zhu`; a service whose name gives no slug gets its number.
fn service_anchor(service: &str, number: usize) -> String {
    match crate::content::slug::slugify(service) {
        slug if slug.is_empty() => format!("service-{number}"),
        slug => format!("service-{slug}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbers_get_tel_links() {
        assert_eq!(PhoneLink::new("12348").href.as_deref(), Some("tel:12348"));
        assert_eq!(
            PhoneLink::new("0359-8500012").href.as_deref(),
            Some("tel:0359-8500012")
        );
        assert_eq!(PhoneLink::new("12348（工作日）").href, None);
        assert_eq!(PhoneLink::new("--").href, None);
    }

    #[test]
    fn service_anchors_are_ascii() {
        assert_eq!(service_anchor("法律援助", 1), "service-fa-lv-yuan-zhu");
        assert_eq!(service_anchor("！", 3), "service-3");
    }
}
