//! Writing every planned file into the staging folder, pages rendered in parallel.

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use crate::content::LIST_PAGE_SIZE;
use crate::content::Page;
use crate::content::taxonomy::{Taxonomy, Term, term_list_pages};
use crate::diagnostics::Diagnostic;
use crate::kinds::KindOutput;
use crate::output::Staging;
use crate::plan::{Plan, list_pages};
use crate::render::views::{self, GovMeta, Link, ListItem, PageView, Paginator};
use crate::site::Site;
use crate::url::{html_path, pager_path, site_url};

/// One named step of writing; returns how many HTML pages it wrote.
type WriteStep = fn(&Site, &Plan, &Staging) -> Result<usize, Vec<Diagnostic>>;

/// Writes the whole site; returns the number of HTML pages written.
pub fn write_site(
    site: &Site,
    plan: &Plan,
    staging: &Staging,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    write_html(site, plan, staging, diagnostics)
        + write_feeds_and_files(site, plan, staging, diagnostics)
}

/// The first part of [`write_site`]: images, then every HTML page, in parallel. Returns the
/// number of HTML pages written.
pub fn write_html(
    site: &Site,
    plan: &Plan,
    staging: &Staging,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    if let Err(findings) = write_images(site, staging) {
        diagnostics.extend(findings);
    }
    let outputs = plan.claims.keys().filter(|p| p.ends_with(".html")).count();
    site.progress.step("writing", outputs);
    run(
        &[
            write_kind_outputs,
            write_pages,
            write_sections,
            write_taxonomies,
            write_aliases,
            write_special_pages,
        ],
        site,
        plan,
        staging,
        diagnostics,
    )
}

/// The rest of [`write_site`]: the feeds (mostly one core's work), the assets and the theme's
/// statics.
pub fn write_feeds_and_files(
    site: &Site,
    plan: &Plan,
    staging: &Staging,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    run(
        &[crate::feeds::write_feeds, copy_assets, write_statics],
        site,
        plan,
        staging,
        diagnostics,
    )
}

/// Runs `steps` one after another, gathering every error; returns the HTML pages written.
fn run(
    steps: &[WriteStep],
    site: &Site,
    plan: &Plan,
    staging: &Staging,
    diagnostics: &mut Vec<Diagnostic>,
) -> usize {
    let mut pages = 0;
    for step in steps {
        match step(site, plan, staging) {
            Ok(n) => pages += n,
            Err(e) => diagnostics.extend(e),
        }
    }
    pages
}

/// Runs `job` over `items` in parallel and gathers every error.
fn all<T: Sync>(
    items: &[T],
    job: impl Fn(&T) -> Result<(), Diagnostic> + Sync,
) -> Result<usize, Vec<Diagnostic>> {
    let errors: Vec<Diagnostic> = items
        .par_iter()
        .filter_map(|item| job(item).err())
        .collect();
    if errors.is_empty() {
        Ok(items.len())
    } else {
        Err(errors)
    }
}

/// The values every HTML page has: navigation, breadcrumbs, government metadata.
fn base_context(site: &Site, here: &str, section: usize, meta: &GovMeta, title: &str) -> Context {
    let mut context = Context::new();
    context.insert("nav", &views::nav(&site.config, here));
    context.insert(
        "breadcrumbs",
        &views::breadcrumbs(&site.library, &site.config, section),
    );
    context.insert("meta", meta);
    context.insert("title", title);
    context.insert("canonical", &views::permalink(&site.config, here));
    context
}

fn render_to(
    site: &Site,
    staging: &Staging,
    template: &str,
    context: &Context,
    path: &str,
    owner: &str,
) -> Result<(), Diagnostic> {
    if !staging.wants(path) {
        return Ok(());
    }
    if !site.renderer.has_template(template) {
        return Err(Diagnostic::error(
            "template",
            owner,
            format!("the theme has no template `{template}`"),
        )
        .with_help(format!(
            "add themes/{}/templates/{template}",
            site.config.theme
        )));
    }
    thread_local! {
        /// Each thread's page buffer, kept from one page to the next.
        static HTML: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(Vec::with_capacity(64 * 1024));
    }
    HTML.with_borrow_mut(|html| -> Result<(), Diagnostic> {
        site.renderer.render(template, context, html)?;
        staging.write(path, html)
    })?;
    site.progress.advance();
    Ok(())
}

fn write_pages(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let library = &site.library;
    let pages: Vec<usize> = library.regular_pages().map(|(i, _)| i).collect();
    all(&pages, |&i| {
        let page = &library.pages[i];
        if !staging.wants(&html_path(&page.url)) {
            return Ok(());
        }
        let kind = crate::kinds::of(library.sections[page.section].kind);
        let meta = views::gov_meta(library, &site.config, page);
        let mut context = base_context(site, &page.url, page.section, &meta, &page.meta.title);
        context.insert("page", &PageView::new(library, &site.config, i));
        kind.page_context(&site.kind_context(), i, &mut context);
        render_to(
            site,
            staging,
            kind.page_template(),
            &context,
            &html_path(&page.url),
            &page.file,
        )?;
        // A full build's index reads every page itself (`search::write_index`).
        if site.config.search.enabled
            && staging.is_incremental()
            && let Some(record) = crate::search::page_record(site, i)
        {
            staging.add_record(record);
        }
        Ok(())
    })
}

/// What a list template sees of its section.
#[derive(Serialize)]
struct SectionView<'a> {
    title: &'a str,
    url: String,
    content: &'a str,
    summary: String,
}

fn write_sections(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let library = &site.library;
    let jobs: Vec<(usize, usize)> = library
        .sections
        .iter()
        .enumerate()
        .flat_map(|(s, section)| (1..=list_pages(section)).map(move |n| (s, n)))
        .collect();
    all(&jobs, |&(s, n)| write_section_page(site, staging, s, n))
}

/// List page `n` of section `s` (the home page for the root): its index page's text, its
/// items of that page, its subsections and what its kind adds.
fn write_section_page(
    site: &Site,
    staging: &Staging,
    s: usize,
    n: usize,
) -> Result<(), Diagnostic> {
    let library = &site.library;
    let section = &library.sections[s];
    if !staging.wants(&html_path(&pager_path(&section.url, n))) {
        return Ok(());
    }
    let index = section.index.map(|i| &library.pages[i]);
    let title = if s == 0 {
        site.config.title.as_str()
    } else {
        library.section_title(section)
    };
    let meta = index.map_or_else(GovMeta::default, |p| {
        views::gov_meta(library, &site.config, p)
    });
    let here = pager_path(&section.url, n);
    let mut context = base_context(site, &here, section.parent.unwrap_or(0), &meta, title);
    context.insert(
        "section",
        &SectionView {
            title,
            url: site_url(&site.config.base_path, &section.url),
            content: index.map_or("", |p| &p.rendered.html),
            summary: index.map(Page::summary).unwrap_or_default(),
        },
    );
    context.insert("items", &section_items(site, s, n));
    context.insert("subsections", &subsection_links(site, s));
    if list_pages(section) > 1 {
        context.insert(
            "paginator",
            &Paginator::new(&site.config, &section.url, n, list_pages(section)),
        );
    }
    let template = if s == 0 {
        crate::home::insert(site, &mut context);
        "index.html"
    } else {
        crate::kinds::of(section.kind).section_template()
    };
    crate::kinds::of(section.kind).section_context(&site.kind_context(), s, &mut context);
    let owner = index.map_or("content/", |p| p.file.as_str());
    render_to(site, staging, template, &context, &html_path(&here), owner)
}

/// The entries list page `n` of section `s` shows: all its pages when it shows them on one
/// page (`paginate: 0`, or a kind that does not paginate), else that page's share.
fn section_items(site: &Site, s: usize, n: usize) -> Vec<ListItem<'_>> {
    let section = &site.library.sections[s];
    let per = section.settings.paginate;
    let shown: &[usize] = if per == 0 || !crate::kinds::of(section.kind).paginates() {
        &section.pages
    } else {
        paged(&section.pages, per, n)
    };
    shown
        .iter()
        .map(|&i| ListItem::new(&site.library.pages[i], &site.config))
        .collect()
}

fn paged(items: &[usize], per: usize, n: usize) -> &[usize] {
    let start = ((n - 1) * per).min(items.len());
    &items[start..(start + per).min(items.len())]
}

fn subsection_links(site: &Site, section: usize) -> Vec<Link> {
    let library = &site.library;
    library.sections[section]
        .subsections
        .iter()
        .map(|&s| {
            let sub = &library.sections[s];
            Link {
                title: library.section_title(sub).to_string(),
                url: site_url(&site.config.base_path, &sub.url),
            }
        })
        .collect()
}

/// Chinese names of the usual taxonomies, for headings.
pub fn taxonomy_title(name: &str) -> &str {
    match name {
        "tags" => "标签",
        "categories" => "分类",
        other => other,
    }
}

#[derive(Serialize)]
struct TermView {
    name: String,
    url: String,
    count: usize,
}

fn write_taxonomies(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let config = &site.config;
    let mut jobs: Vec<(usize, Option<usize>, usize)> = Vec::new();
    for (t, taxonomy) in site.taxonomies.iter().enumerate() {
        jobs.push((t, None, 1));
        for (i, term) in taxonomy.terms.iter().enumerate() {
            jobs.extend((1..=term_list_pages(term.pages.len())).map(|n| (t, Some(i), n)));
        }
    }
    all(&jobs, |&(t, term, n)| {
        let taxonomy = &site.taxonomies[t];
        let name = taxonomy_title(&taxonomy.name);
        let link = |url: &str| site_url(&config.base_path, url);
        let (here, title) = match term {
            None => (taxonomy.url(), name.to_string()),
            Some(i) => (
                pager_path(&taxonomy.term_url(&taxonomy.terms[i]), n),
                format!("{name}：{}", taxonomy.terms[i].name),
            ),
        };
        if !staging.wants(&html_path(&here)) {
            return Ok(());
        }
        let meta = GovMeta {
            column_name: name.to_string(),
            article_title: title.clone(),
            ..GovMeta::default()
        };
        let mut context = base_context(site, &here, 0, &meta, &title);
        context.insert(
            "taxonomy",
            &Link {
                title: name.to_string(),
                url: link(&taxonomy.url()),
            },
        );
        let template = match term {
            None => {
                context.insert("terms", &term_views(site, taxonomy));
                "taxonomy_list.html"
            }
            Some(i) => {
                insert_term_page(site, taxonomy, &taxonomy.terms[i], n, &mut context);
                "taxonomy_term.html"
            }
        };
        render_to(
            site,
            staging,
            template,
            &context,
            &html_path(&here),
            "content/site.yaml",
        )
    })
}

/// Every term of `taxonomy` with its URL and page count, for the taxonomy's own page.
fn term_views(site: &Site, taxonomy: &Taxonomy) -> Vec<TermView> {
    taxonomy
        .terms
        .iter()
        .map(|t| TermView {
            name: t.name.clone(),
            url: site_url(&site.config.base_path, &taxonomy.term_url(t)),
            count: t.pages.len(),
        })
        .collect()
}

/// What list page `n` of a term's pages shows: the term, its pages of that page, the paginator.
fn insert_term_page(
    site: &Site,
    taxonomy: &Taxonomy,
    term: &Term,
    n: usize,
    context: &mut Context,
) {
    let config = &site.config;
    let items: Vec<ListItem> = paged(&term.pages, LIST_PAGE_SIZE, n)
        .iter()
        .map(|&p| ListItem::new(&site.library.pages[p], config))
        .collect();
    context.insert(
        "term",
        &Link {
            title: term.name.clone(),
            url: site_url(&config.base_path, &taxonomy.term_url(term)),
        },
    );
    context.insert("items", &items);
    let total = term_list_pages(term.pages.len());
    if total > 1 {
        context.insert(
            "paginator",
            &Paginator::new(config, &taxonomy.term_url(term), n, total),
        );
    }
}

fn write_aliases(site: &Site, plan: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    all(&plan.aliases, |(path, i)| {
        let page = &site.library.pages[*i];
        let mut context = Context::new();
        context.insert("title", &page.meta.title);
        context.insert("target", &site_url(&site.config.base_path, &page.url));
        context.insert("canonical", &views::permalink(&site.config, &page.url));
        render_to(site, staging, "alias.html", &context, path, &page.file)
    })
    .map(|_| 0)
}

fn write_special_pages(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let specials = [
        ("404.html", "404.html", "页面不存在", "/404.html"),
        ("search.html", "search/index.html", "站内搜索", "/search/"),
        (
            "accessibility.html",
            "accessibility/index.html",
            "无障碍声明",
            "/accessibility/",
        ),
    ];
    all(&specials, |(template, path, title, here)| {
        if *template == "search.html" && !site.config.search.enabled {
            return Ok(());
        }
        let meta = GovMeta {
            column_name: title.to_string(),
            article_title: title.to_string(),
            content_source: site.config.publisher.clone(),
            ..GovMeta::default()
        };
        let mut context = base_context(site, here, 0, &meta, title);
        context.insert("browse", &browsed_sections(site));
        if *template == "404.html" {
            crate::home::insert_help(site, &mut context);
        }
        render_to(site, staging, template, &context, path, "the theme")
    })
}

/// The lists a reader can browse instead of searching (guides, directories).
fn browsed_sections(site: &Site) -> Vec<Link> {
    let library = &site.library;
    library
        .sections
        .iter()
        .filter(|s| crate::kinds::of(s.kind).is_browsed() && s.parent == Some(0))
        .map(|s| Link {
            title: library.section_title(s).to_string(),
            url: site_url(&site.config.base_path, &s.url),
        })
        .collect()
}

fn write_kind_outputs(
    site: &Site,
    plan: &Plan,
    staging: &Staging,
) -> Result<usize, Vec<Diagnostic>> {
    let pages = plan
        .kind_outputs
        .iter()
        .filter(|(_, o)| matches!(o, KindOutput::Page { .. }))
        .count();
    all(&plan.kind_outputs, |(owner, output)| match output {
        _ if !staging.wants(&output.path()) => Ok(()),
        KindOutput::File { path, bytes } => staging.write(path, bytes),
        KindOutput::Page {
            url,
            template,
            title,
            section,
            context,
        } => {
            let index = site.library.sections[*section]
                .index
                .map(|i| &site.library.pages[i]);
            let mut meta = index.map_or_else(GovMeta::default, |p| {
                views::gov_meta(&site.library, &site.config, p)
            });
            meta.article_title = title.clone();
            let mut full = base_context(site, url, *section, &meta, title);
            full.extend(context.clone());
            render_to(site, staging, template, &full, &html_path(url), owner)
        }
    })
    .map(|_| pages)
}

/// Publishes every image pages show, processed (resized, upright, without EXIF), in parallel
/// over the images. Errors point at the first place that shows the image. Warnings (an
/// unwritable cache) come back with the errors.
fn write_images(site: &Site, staging: &Staging) -> Result<(), Vec<Diagnostic>> {
    let images: Vec<_> = site
        .images
        .shown()
        .into_iter()
        .filter(|(image, _)| image.variants.iter().any(|v| staging.wants(&v.path)))
        .collect();
    if images.is_empty() {
        return Ok(());
    }
    site.progress.step("images", images.len());
    let mut findings: Vec<Diagnostic> = site.images.prepare_cache().into_iter().collect();
    findings.par_extend(images.par_iter().filter_map(|(image, shown_at)| {
        let written = match site.images.render(image) {
            Ok(files) => files
                .iter()
                .try_for_each(|(path, bytes)| staging.write(path, bytes)),
            Err(reason) => Err(shown_at.bad_image(&image.source, &reason)),
        };
        site.progress.advance();
        written.err()
    }));
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings)
    }
}

/// Copies the files pages link to as they are; images pages show are published processed.
fn copy_assets(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let content = site.root.join("content");
    let assets: Vec<&String> = site
        .library
        .assets
        .iter()
        .filter(|asset| !site.images.is_processed(asset))
        .collect();
    all(&assets, |asset| staging.copy(&content.join(asset), asset)).map(|_| 0)
}

fn write_statics(site: &Site, _: &Plan, staging: &Staging) -> Result<usize, Vec<Diagnostic>> {
    let files: Vec<_> = site.theme.statics.values().collect();
    all(&files, |file| staging.write(&file.output, &file.bytes)).map(|_| 0)
}
