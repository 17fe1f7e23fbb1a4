//! What `report.html` sees besides `page`: the metadata table, key figures and charts, as
//! shown.

use serde::Serialize;

use crate::content::Page;
use crate::dates;
use crate::kinds::KindContext;
use crate::render::views;
use crate::svg::chart::{self, BarChart};
use crate::url::site_url;

use super::archive::year_url;
use super::feed::{feed_path, feed_title};
use super::model::{Chart, Report};

/// What `report.html` sees besides `page`.
#[derive(Serialize)]
pub(super) struct ReportView {
    /// The disclosure table, in the order government sites use; empty fields left out.
    pub(super) metadata: Vec<MetaRow>,
    pub(super) figures: Vec<FigureView>,
    pub(super) charts: Vec<ChartView>,
    pub(super) publisher: String,
    pub(super) signed_zh: Option<String>,
    pub(super) signed_iso: Option<String>,
    /// This report's year archive.
    pub(super) year: Option<views::Link>,
    pub(super) feed_url: String,
    pub(super) feed_title: String,
}

#[derive(Serialize)]
pub(super) struct MetaRow {
    pub(super) name: &'static str,
    pub(super) value: String,
}

#[derive(Serialize)]
pub(super) struct FigureView {
    pub(super) label: String,
    pub(super) value: String,
    pub(super) unit: String,
}

#[derive(Serialize)]
pub(super) struct ChartView {
    pub(super) id: String,
    /// `图1　人民调解工作情况`.
    pub(super) caption: String,
    /// The drawing, inline so that the theme's colours apply to it.
    pub(super) svg: String,
    /// The value column's heading: `数量（件）`.
    pub(super) value_header: String,
    pub(super) rows: Vec<ChartRow>,
}

/// A label and a value, both as shown.
#[derive(Serialize)]
pub(super) struct ChartRow {
    pub(super) label: String,
    pub(super) value: String,
}

impl ReportView {
    pub(super) fn new(site: &KindContext, page: &Page, report: &Report) -> ReportView {
        let (library, config) = (site.library, site.config);
        let section = &library.sections[page.section];
        let publisher = report.publisher(config).to_string();
        let rows = [
            (
                "索引号",
                report.index_number.as_ref().map(|n| n.value.clone()),
            ),
            ("主题分类", report.category.clone()),
            ("发布机构", Some(publisher.clone())),
            ("成文日期", report.signed.map(dates::ymd_zh)),
            ("文号", report.doc_number.as_ref().map(|n| n.value.clone())),
            ("发布日期", page.meta.date.map(dates::ymd_zh)),
            ("信息来源", Some(report.source(config).to_string())),
        ];
        ReportView {
            metadata: rows
                .into_iter()
                .filter_map(|(name, value)| {
                    let value = value.filter(|v| !v.is_empty())?;
                    Some(MetaRow { name, value })
                })
                .collect(),
            figures: report
                .stats
                .iter()
                .map(|stat| FigureView {
                    label: stat.label.value.clone(),
                    value: stat.figure.shown(),
                    unit: stat.unit.clone(),
                })
                .collect(),
            charts: report
                .charts
                .iter()
                .enumerate()
                .map(|(i, chart)| chart_view(i + 1, chart))
                .collect(),
            publisher,
            signed_zh: report.signed.map(dates::ymd_zh),
            signed_iso: report.signed.map(dates::ymd),
            year: page.meta.date.map(|date| {
                let year = dates::year(date);
                views::Link {
                    title: format!("{year}年"),
                    url: site_url(&config.base_path, &year_url(&section.url, year)),
                }
            }),
            feed_url: site_url(&config.base_path, &format!("/{}", feed_path(&section.url))),
            feed_title: feed_title(library, config, page.section),
        }
    }
}

pub(super) fn chart_view(number: usize, chart: &Chart) -> ChartView {
    let id = format!("report-chart-{number}");
    let svg = chart::render(&BarChart {
        id: &id,
        title: &chart.title,
        unit: &chart.unit,
        bars: &chart.bars,
    });
    ChartView {
        caption: format!("图{number}　{}", chart.title),
        svg,
        value_header: if chart.unit.is_empty() {
            "数值".to_string()
        } else {
            format!("数值（{}）", chart.unit)
        },
        rows: chart
            .bars
            .iter()
            .map(|bar| ChartRow {
                label: bar.label.clone(),
                value: bar.shown.clone(),
            })
            .collect(),
        id,
    }
}
