//! Published reports (公开报告): each page of a `kind: reports` section is a government
//! document with its disclosure metadata (索引号, 文号, 成文日期 …), its key figures and charts,
//! listed newest first, archived by year and offered as a feed of its own.
//!
//! The figures are checked against each other (`sum_of`, `ratio`) because a published report
//! that says "656 received, 628 settled, 98%" should be caught by the build, not by a citizen
//! with a calculator. A mismatch is a warning: the page still shows what the document says.
//!
//! `model` is a report as the build uses it, `parse` reads it from front matter, `checks`
//! holds what the build verifies, `view` is what `report.html` sees, `archive` the year pages
//! and `feed` the section's Atom feed.

mod archive;
mod checks;
mod feed;
mod model;
mod parse;
#[cfg(test)]
mod tests;
mod view;

use archive::ArchiveView;
use checks::{check_dates, check_report};
use model::Report;
use parse::parse_report;
use view::ReportView;

use super::{HomeEntries, Kind, KindContext, KindOutput};
use crate::content::KindData;
use crate::diagnostics::Diagnostic;
use crate::render::views;
use crate::textsearch::Field;
use crate::yaml::YamlSource;

/// The `reports` kind: registered in [`super::lookup`] under the name editors write.
pub struct Reports;

/// The front-matter keys a report takes besides the shared ones.
const KEYS: &[&str] = &[
    "publisher",
    "source",
    "doc_number",
    "index_number",
    "category",
    "signed",
    "stats",
    "charts",
];

impl Kind for Reports {
    fn name(&self) -> &'static str {
        "reports"
    }

    fn search_label(&self, _dated: bool) -> &'static str {
        "公开报告"
    }

    fn home(&self, site: &KindContext, section: usize, home: &mut HomeEntries) {
        home.reports.extend(site.dated_pages(section));
    }

    fn search_fields(&self, site: &KindContext, page: usize) -> Vec<(Field, String)> {
        let Some(report) = site.library.pages[page].kind_data::<Report>() else {
            return Vec::new();
        };
        let mut texts = vec![report.publisher(site.config).to_string()];
        texts.extend(report.doc_number.iter().map(|n| n.value.clone()));
        texts.extend(report.index_number.iter().map(|n| n.value.clone()));
        texts.extend(report.category.clone());
        texts.extend(report.stats.iter().map(|s| s.label.value.clone()));
        texts.extend(report.charts.iter().map(|c| c.title.clone()));
        texts.into_iter().map(|t| (Field::Detail, t)).collect()
    }

    fn page_keys(&self) -> &'static [&'static str] {
        KEYS
    }

    fn load_page(
        &self,
        source: &YamlSource,
        is_index: bool,
    ) -> Result<Option<KindData>, Vec<Diagnostic>> {
        if is_index {
            return Ok(None);
        }
        let report = parse_report(source)?;
        Ok(Some(Box::new(report)))
    }

    fn validate(&self, site: &KindContext, section: usize) -> Vec<Diagnostic> {
        let library = site.library;
        let mut found = Vec::new();
        for &i in &library.sections[section].pages {
            let page = &library.pages[i];
            if page.meta.date.is_none() {
                found.push(
                    Diagnostic::error(
                        "report-date",
                        &page.file,
                        "a report needs its publication date (`date`)",
                    )
                    .at(&page.text, 2, 1)
                    .with_help("add a line `date: 2025-02-19` (发布日期) to the front matter"),
                );
            }
            if let Some(report) = page.kind_data::<Report>() {
                found.extend(check_report(page, report));
                found.extend(check_dates(page, report));
            }
        }
        found
    }

    fn page_template(&self) -> &'static str {
        "report.html"
    }

    fn section_template(&self) -> &'static str {
        "reports.html"
    }

    fn page_context(&self, site: &KindContext, page: usize, context: &mut tera::Context) {
        let page = &site.library.pages[page];
        let Some(report) = page.kind_data::<Report>() else {
            return;
        };
        let mut meta = views::gov_meta(site.library, site.config, page);
        meta.content_source = report.source(site.config).to_string();
        context.insert("meta", &meta);
        context.insert("report", &ReportView::new(site, page, report));
    }

    fn section_context(&self, site: &KindContext, section: usize, context: &mut tera::Context) {
        context.insert("reports", &ArchiveView::new(site, section, None));
    }

    fn outputs(&self, site: &KindContext, section: usize) -> Vec<KindOutput> {
        let mut outputs = archive::year_pages(site, section);
        outputs.push(feed::feed(site, section));
        outputs
    }
}
