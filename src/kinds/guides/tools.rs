//! The two pages a guide can carry besides itself: the self-check at `<guide>/check/` and the
//! printable application at `<guide>/apply/`. Both are finished here for their templates:
//! anchors by position (an editor's id never reaches an HTML attribute), offices from the
//! directory, the township offices for the reader to pick from.

use serde::Serialize;
use tera::Context;

use super::application::{Application, Field, FieldKind};
use super::model::Guide;
use super::self_check::{Outcome, Question, SelfCheck, Step};
use super::views::{MaterialView, OfficeView, PhoneLink, apply_path, check_path, material_view};
use crate::config::Config;
use crate::content::{Library, Page};
use crate::kinds::directory::{DirectorySection, find_entry};
use crate::kinds::{KindContext, KindOutput};
use crate::render::views::{Link, breadcrumbs};
use crate::url::site_url;

/// The role a township's justice office has in the directory.
const TOWNSHIP_OFFICE: &str = "司法所";

/// The self-check page and the application page of one guide, if it has them.
pub fn outputs(site: &KindContext, section: usize, page: &Page, guide: &Guide) -> Vec<KindOutput> {
    let (library, config) = (site.library, site.config);
    let mut trail = breadcrumbs(library, config, section);
    trail.push(Link {
        title: page.meta.title.clone(),
        url: site_url(&config.base_path, &page.url),
    });
    let mut outputs = Vec::new();
    if let Some(check) = &guide.self_check {
        let mut context = Context::new();
        context.insert(
            "check",
            &CheckView::new(library, config, page, guide, check),
        );
        context.insert("breadcrumbs", &trail);
        outputs.push(KindOutput::Page {
            url: check_path(page),
            template: "guide_check.html",
            title: format!("自助测评：{}", page.meta.title),
            section,
            context,
        });
    }
    if let Some(application) = &guide.application {
        let mut context = Context::new();
        context.insert("form", &FormView::new(config, page, guide, application));
        context.insert("breadcrumbs", &trail);
        outputs.push(KindOutput::Page {
            url: apply_path(page),
            template: "guide_apply.html",
            title: form_title(guide, application),
            section,
            context,
        });
    }
    outputs
}

fn form_title(guide: &Guide, application: &Application) -> String {
    application
        .title
        .clone()
        .unwrap_or_else(|| format!("{}申请表", guide.service))
}

/// Everything `guide_check.html` shows.
#[derive(Serialize)]
pub struct CheckView {
    pub guide: Link,
    pub service: String,
    pub intro: Option<String>,
    pub questions: Vec<QuestionView>,
    pub outcomes: Vec<OutcomeView>,
    /// Each township of site.yaml `regions` that has a 司法所 in the directory.
    pub towns: Vec<TownView>,
    pub apply_url: Option<String>,
    pub hotline: Option<PhoneLink>,
}

/// One question as a page section; its answers are links to the next section.
#[derive(Serialize)]
pub struct QuestionView {
    /// `q-1`: the section's id and the target of the answers leading here.
    pub anchor: String,
    pub ask: String,
    pub help: Option<String>,
    /// At most this many questions are still to come, this one included.
    pub remaining: usize,
    pub options: Vec<AnswerView>,
}

/// An answer: a plain link to the step it leads to.
#[derive(Serialize)]
pub struct AnswerView {
    pub text: String,
    /// The next step's anchor (`q-2`, `result-1`).
    pub next: String,
}

/// One result.
#[derive(Serialize)]
pub struct OutcomeView {
    pub anchor: String,
    pub title: String,
    pub verdict: &'static str,
    /// `likely`, `unlikely`, `ask`: the colour band.
    pub verdict_class: &'static str,
    pub text: Option<String>,
    pub basis: Option<String>,
    pub bring: Vec<String>,
    pub offices: Vec<OfficeView>,
}

/// A township and its justice offices, as the directory publishes them.
#[derive(Serialize)]
pub struct TownView {
    pub region: String,
    pub offices: Vec<OfficeView>,
}

impl CheckView {
    fn new(
        library: &Library,
        config: &Config,
        page: &Page,
        guide: &Guide,
        check: &SelfCheck,
    ) -> CheckView {
        let hotline = guide
            .hotline
            .as_deref()
            .or(Some(config.hotline.as_str()).filter(|h| !h.is_empty()));
        CheckView {
            guide: Link {
                title: page.meta.title.clone(),
                url: site_url(&config.base_path, &page.url),
            },
            service: guide.service.clone(),
            intro: check.intro.clone(),
            questions: check
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| question_view(i, q))
                .collect(),
            outcomes: check
                .outcomes
                .iter()
                .enumerate()
                .map(|(i, o)| outcome_view(library, config, guide, i, o))
                .collect(),
            towns: towns(library, config),
            apply_url: guide
                .application
                .as_ref()
                .map(|_| site_url(&config.base_path, &apply_path(page))),
            hotline: hotline.map(PhoneLink::new),
        }
    }
}

fn anchor(step: Step) -> String {
    match step {
        Step::Question(i) => format!("q-{}", i + 1),
        Step::Outcome(i) => format!("result-{}", i + 1),
    }
}

fn question_view(index: usize, question: &Question) -> QuestionView {
    QuestionView {
        anchor: anchor(Step::Question(index)),
        ask: question.ask.clone(),
        help: question.help.clone(),
        remaining: question.remaining,
        options: question
            .options
            .iter()
            .map(|a| AnswerView {
                text: a.text.clone(),
                next: anchor(a.next),
            })
            .collect(),
    }
}

fn outcome_view(
    library: &Library,
    config: &Config,
    guide: &Guide,
    index: usize,
    outcome: &Outcome,
) -> OutcomeView {
    let ids = outcome.offices.as_ref().unwrap_or(&guide.offices);
    OutcomeView {
        anchor: anchor(Step::Outcome(index)),
        title: outcome.title.clone(),
        verdict: outcome.verdict.text(),
        verdict_class: outcome.verdict.class(),
        text: outcome.text.clone(),
        basis: outcome.basis.clone(),
        bring: outcome.bring.clone(),
        offices: ids
            .iter()
            .filter_map(|id| find_entry(library, &id.value))
            .map(|(entry, link)| OfficeView::new(entry, &link, config))
            .collect(),
    }
}

/// The townships of site.yaml in its order, each with its 司法所 from any directory.
fn towns(library: &Library, config: &Config) -> Vec<TownView> {
    let offices: Vec<&crate::kinds::directory::DirectoryEntry> = library
        .sections
        .iter()
        .filter_map(|s| s.data::<DirectorySection>())
        .flat_map(|d| &d.directories)
        .flat_map(|d| &d.entries)
        .filter(|e| e.role == TOWNSHIP_OFFICE)
        .collect();
    config
        .regions
        .iter()
        .map(|region| TownView {
            region: region.clone(),
            offices: offices
                .iter()
                .filter(|e| &e.region == region)
                .filter_map(|e| find_entry(library, &e.id))
                .map(|(entry, link)| OfficeView::new(entry, &link, config))
                .collect(),
        })
        .filter(|t| !t.offices.is_empty())
        .collect()
}

/// Everything `guide_apply.html` shows.
#[derive(Serialize)]
pub struct FormView {
    pub guide: Link,
    pub title: String,
    pub intro: Option<String>,
    pub sections: Vec<FormSectionView>,
    /// The guide's materials, to tick off before handing in the form.
    pub materials: Vec<MaterialView>,
    pub publisher: String,
}

/// A section of the form.
#[derive(Serialize)]
pub struct FormSectionView {
    pub anchor: String,
    pub title: String,
    pub note: Option<String>,
    pub fields: Vec<FieldView>,
}

/// A field, with the ids its label, hint and parts share.
#[derive(Serialize)]
pub struct FieldView {
    /// `f-2-3`: the input's id (a date's parts add `-y`, `-m`, `-d`; a choice's `-1`, `-2` …).
    pub id: String,
    pub label: String,
    /// `text`, `long_text`, `date`, `choice`, `phone`, `id_number`.
    pub kind: &'static str,
    pub required: bool,
    pub help: Option<String>,
    pub options: Vec<ChoiceView>,
    pub multiple: bool,
    pub lines: usize,
}

/// One answer of a choice field.
#[derive(Serialize)]
pub struct ChoiceView {
    pub id: String,
    pub label: String,
}

impl FormView {
    fn new(config: &Config, page: &Page, guide: &Guide, application: &Application) -> FormView {
        FormView {
            guide: Link {
                title: page.meta.title.clone(),
                url: site_url(&config.base_path, &page.url),
            },
            title: form_title(guide, application),
            intro: application.intro.clone(),
            sections: application
                .sections
                .iter()
                .enumerate()
                .map(|(s, section)| FormSectionView {
                    anchor: format!("part-{}", s + 1),
                    title: section.title.clone(),
                    note: section.note.clone(),
                    fields: section
                        .fields
                        .iter()
                        .enumerate()
                        .map(|(f, field)| field_view(&format!("f-{}-{}", s + 1, f + 1), field))
                        .collect(),
                })
                .collect(),
            materials: guide
                .materials
                .iter()
                .enumerate()
                .map(|(i, m)| {
                    let mut view = material_view(i + 1, m);
                    view.id = format!("bring-{}", i + 1);
                    view
                })
                .collect(),
            publisher: config.publisher.clone(),
        }
    }
}

fn field_view(id: &str, field: &Field) -> FieldView {
    FieldView {
        id: id.to_string(),
        label: field.label.clone(),
        kind: field.kind.name(),
        required: field.required,
        help: field.help.clone(),
        options: field
            .options
            .iter()
            .enumerate()
            .map(|(i, o)| ChoiceView {
                id: format!("{id}-{}", i + 1),
                label: o.clone(),
            })
            .collect(),
        multiple: field.multiple && field.kind == FieldKind::Choice,
        lines: field.lines,
    }
}
