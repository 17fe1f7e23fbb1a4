//! `kind: coverage`: the 半小时公共法律服务圈 as the bureau promised it, computed at build time.
//! The section's `.yaml` files list the county's villages and communities; the site's
//! directories give the service points (by `role`, as site.yaml `coverage.roles` names them)
//! and the counsels (by `serves`). Out come a page with every place's nearest points, one page
//! per township, a CSV, search results per place, and warnings for the editor wherever the
//! promise is broken.

mod checks;
mod compute;
mod csv;
mod map;
pub mod nearest;
mod places;
mod view;

use tera::Context;

use super::{Kind, KindContext, KindOutput};
use crate::content::KindData;
use crate::content::{DataFile, Section};
use crate::diagnostics::Diagnostic;
use crate::textsearch::{Field, Record};
use crate::url::site_url;
use compute::PlaceCoverage;
use places::PlacesData;
use view::{PlaceRow, TownshipView};

/// The kind registered as `coverage`; its places live on the section.
pub struct CoverageKind;

/// The file name of the CSV beside the page.
const CSV_NAME: &str = "coverage.csv";

impl Kind for CoverageKind {
    fn name(&self) -> &'static str {
        "coverage"
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "法律服务圈"
    }

    fn paginates(&self) -> bool {
        false
    }

    fn claims_file(&self, path: &str) -> bool {
        path.ends_with(".yaml") || path.ends_with(".yml")
    }

    fn load_section(&self, files: &[DataFile]) -> Result<Option<KindData>, Vec<Diagnostic>> {
        Ok(Some(Box::new(places::load(files)?)))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        let Some(data) = site.library.sections[section].data::<PlacesData>() else {
            return Vec::new();
        };
        let mut found = places::check_places(data, &site.config.regions);
        if found.iter().any(Diagnostic::is_error) {
            return found;
        }
        let coverage = compute::compute(site.library, data, &site.config.coverage);
        found.extend(checks::warnings(site, data, &coverage));
        found
    }

    fn section_template(&self) -> &'static str {
        "coverage.html"
    }

    fn is_browsed(&self) -> bool {
        true
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut Context) {
        let sec = &site.library.sections[section];
        let Some((data, coverage)) = computed(site, sec) else {
            return;
        };
        let rows = view::rows(site.library, site.config, &sec.url, data, &coverage);
        page_context(site, sec, data, rows, None, context);
        let title = format!("{}示意图", site.library.section_title(sec));
        context.insert(
            "coverage_map_svg",
            &map::svg(site, data, &coverage, None, &title),
        );
    }

    fn search_records(&self, site: &KindContext, section: usize) -> Vec<Record> {
        let sec = &site.library.sections[section];
        let Some((data, coverage)) = computed(site, sec) else {
            return Vec::new();
        };
        let owner = data
            .files
            .first()
            .map(|f| f.file.trim_start_matches("content/").to_string())
            .unwrap_or_default();
        view::rows(site.library, site.config, &sec.url, data, &coverage)
            .into_iter()
            .map(|row| place_record(row, &owner))
            .collect()
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        let sec = &site.library.sections[section];
        let Some((data, coverage)) = computed(site, sec) else {
            return Vec::new();
        };
        let rows = view::rows(site.library, site.config, &sec.url, data, &coverage);
        let mut outputs = vec![KindOutput::File {
            path: format!("{}{CSV_NAME}", sec.url.trim_start_matches('/')),
            bytes: csv::csv(&site.config.coverage, &rows),
        }];
        let title = site.library.section_title(sec).to_string();
        for township in view::townships(site.config, &sec.url, rows) {
            let mut context = Context::new();
            let url = format!(
                "{}{}/",
                sec.url,
                view::township_slug(site.config, &township.name)
            );
            let name = township.name.clone();
            let rows: Vec<PlaceRow> = township.rows;
            page_context(site, sec, data, rows, Some(&name), &mut context);
            let map_title = format!("{name}服务圈示意图");
            let svg = map::svg(site, data, &coverage, Some(&name), &map_title);
            context.insert("coverage_map_svg", &svg);
            outputs.push(KindOutput::Page {
                url,
                template: "coverage.html",
                title: format!("{title} · {name}"),
                section,
                context,
            });
        }
        outputs
    }
}

fn computed<'a>(
    site: &KindContext,
    sec: &'a Section,
) -> Option<(&'a PlacesData, Vec<PlaceCoverage>)> {
    let data = sec.data::<PlacesData>()?;
    Some((
        data,
        compute::compute(site.library, data, &site.config.coverage),
    ))
}

/// The values the page template reads, for the county or (with `township`) one township.
fn page_context(
    site: &KindContext,
    sec: &Section,
    data: &PlacesData,
    rows: Vec<PlaceRow>,
    township: Option<&str>,
    context: &mut Context,
) {
    let options = &site.config.coverage;
    let circle = view::circle_name(options.minutes);
    let total = rows.len();
    let reached = rows.iter().filter(|r| r.reached).count();
    let whole = township.unwrap_or("全县");
    let headline = format!("{whole} {total} 个村（社区）中 {reached} 个在{circle}服务圈内");
    let mut outside: Vec<&PlaceRow> = rows.iter().filter(|r| !r.reached).collect();
    outside.sort_by_key(|r| std::cmp::Reverse(r.closest_minutes.unwrap_or(u64::MAX)));
    let outside: Vec<serde_json::Value> = outside
        .into_iter()
        .map(|r| serde_json::to_value(r).unwrap_or_default())
        .collect();
    let townships: Vec<TownshipView> = view::townships(site.config, &sec.url, rows);
    let base = &site.config.base_path;
    context.insert("coverage_headline", &headline);
    context.insert("coverage_circle", &circle);
    context.insert("coverage_minutes", &view::number(options.minutes));
    context.insert("coverage_speed", &view::number(options.speed_kmh));
    context.insert("coverage_reach", &format!("{:.1}", options.reach_km()));
    context.insert("coverage_roles", &options.roles);
    context.insert("coverage_total", &total);
    context.insert("coverage_reached", &reached);
    context.insert("coverage_outside", &outside);
    context.insert("coverage_townships", &townships);
    context.insert("coverage_township", &township);
    context.insert("coverage_all_url", &site_url(base, &sec.url));
    context.insert(
        "coverage_csv_url",
        &site_url(base, &format!("{}{CSV_NAME}", sec.url)),
    );
    let notes: Vec<&str> = data
        .files
        .iter()
        .map(|f| f.summary.as_str())
        .filter(|s| !s.is_empty())
        .collect();
    context.insert("coverage_notes", &notes);
    let links: Vec<(String, String)> = site
        .config
        .regions
        .iter()
        .filter(|r| data.places.iter().any(|p| &p.region == *r))
        .map(|r| {
            let url = format!("{}{}/", sec.url, view::township_slug(site.config, r));
            (r.clone(), site_url(base, &url))
        })
        .collect();
    context.insert("coverage_township_links", &links);
}

/// What search finds of one place: its name and township, linking its row, where the nearest
/// points and the counsels are. Counsels' and offices' names stay out: a search for a counsel
/// finds the counsel's own entry, not every village they serve.
fn place_record(row: PlaceRow, owner: &str) -> Record {
    Record {
        url: row.url,
        title: format!("{}（{}）", row.name, row.region),
        kind: "法律服务圈",
        owner: owner.to_string(),
        fields: vec![
            (Field::Title, row.name),
            (Field::Detail, row.region),
            (Field::Detail, "法律服务圈".to_string()),
        ],
        excerpt: None,
    }
}
