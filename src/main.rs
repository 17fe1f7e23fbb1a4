//! The `pufa` command: parse arguments, call the library, print, exit 0 / 1 / 2.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Parser, Subcommand, ValueEnum};
use pufa::diagnostics::Severity;
use pufa::images::ImageCounts;
use pufa::progress::{Progress, Reporter};
use pufa::scaffold::Scaffold;

#[derive(Parser)]
#[command(
    name = "pufa",
    version,
    about = "普法: a static site generator for legal-information portals"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site from ROOT/content into ROOT/public (or --out).
    Build {
        /// The site folder (holding content/ and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default ROOT/public).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Publish under this address instead of site.yaml's base_url.
        #[arg(long)]
        base_url: Option<String>,
        /// Include drafts and pages whose publish date is still to come.
        #[arg(long)]
        drafts: bool,
        /// Print only errors.
        #[arg(long)]
        quiet: bool,
        /// Also write the summary and every finding as JSON to this file.
        #[arg(long, value_name = "FILE.json")]
        report: Option<PathBuf>,
    },
    /// Serve the site on 127.0.0.1 while you edit: rebuilds what each save touches and
    /// reloads the browser.
    Serve {
        /// The site folder (holding content/ and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// The address to listen on; keep 127.0.0.1 unless others must see the preview.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Include drafts and pages whose publish date is still to come.
        #[arg(long)]
        drafts: bool,
    },
    /// Write a new file of KIND at PATH, with every field explained (never overwrites).
    New {
        #[arg(value_enum)]
        kind: NewKind,
        path: PathBuf,
    },
    /// Write a working starter site into DIR.
    Init { dir: PathBuf },
    /// Check everything `build` checks (links, ids, images, data, templates) without writing.
    Check {
        /// The site folder (holding content/ and optionally themes/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// `json` prints one object per finding, for CI annotations.
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum NewKind {
    Page,
    Report,
    Guide,
    Stop,
    Directory,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Human,
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            out,
            base_url,
            drafts,
            quiet,
            report,
        } => build(
            pufa::BuildOptions {
                root,
                out,
                base_url,
                drafts,
                progress: Reporter::default(),
            },
            quiet,
            report,
        ),
        Command::Serve {
            root,
            bind,
            port,
            drafts,
        } => serve(pufa::serve::ServeOptions {
            root,
            bind,
            port,
            drafts,
        }),
        Command::New { kind, path } => new_file(kind, &path),
        Command::Init { dir } => init(&dir),
        Command::Check { root, format } => {
            let options = pufa::BuildOptions {
                root,
                out: None,
                base_url: None,
                drafts: false,
                progress: Reporter::default(),
            };
            check(&options, format)
        }
    }
}

/// `pufa build`, with a progress bar on a terminal unless `--quiet`.
fn build(mut options: pufa::BuildOptions, quiet: bool, report: Option<PathBuf>) -> ExitCode {
    let bar = TerminalBar::for_build(quiet);
    if let Some(bar) = &bar {
        options.progress = Reporter::new(bar.clone() as Arc<dyn Progress>);
    }
    let started = Instant::now();
    let summary = pufa::build(&options);
    if let Some(bar) = bar {
        bar.clear();
    }
    finish_build(summary, quiet, report, started)
}

/// `pufa new KIND PATH`: one file from the kind's scaffold, dated today.
fn new_file(kind: NewKind, path: &Path) -> ExitCode {
    let scaffold = match kind {
        NewKind::Page => Scaffold::Page,
        NewKind::Report => Scaffold::Report,
        NewKind::Guide => Scaffold::Guide,
        NewKind::Stop => Scaffold::Stop,
        NewKind::Directory => Scaffold::Directory,
    };
    match pufa::scaffold::new_file(scaffold, path, &pufa::scaffold::today()) {
        Ok(note) => {
            println!("wrote {}", path.display());
            if let Some(note) = note {
                println!("  {note}");
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// `pufa init DIR`: a starter site.
fn init(dir: &Path) -> ExitCode {
    match pufa::scaffold::init_site(dir, &pufa::scaffold::today()) {
        Ok(files) => {
            println!(
                "wrote {} files; build with: pufa build --root {}",
                files.len(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

fn serve(options: pufa::serve::ServeOptions) -> ExitCode {
    use pufa::serve::ServeEvent;
    let result = pufa::serve::serve(options, |event| match event {
        ServeEvent::Listening { url, scratch } => {
            println!(
                "serving {url} (built in {}); press Ctrl+C to stop",
                scratch.display()
            );
        }
        ServeEvent::Rebuilt(rebuild) => {
            let errors: Vec<_> = rebuild.errors().collect();
            for error in &errors {
                eprintln!("{}", error.render());
            }
            if !errors.is_empty() {
                println!(
                    "{} error(s): the browser shows them until the next good save",
                    errors.len()
                );
            } else if rebuild.full {
                println!("built the whole site in {} ms", rebuild.elapsed_ms);
            } else {
                println!(
                    "rebuilt {} file(s) in {} ms",
                    rebuild.written.len(),
                    rebuild.elapsed_ms
                );
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

fn check(options: &pufa::BuildOptions, format: Format) -> ExitCode {
    let summary = match pufa::check(options) {
        Ok(summary) => summary,
        Err(pufa::UnusableRoot(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    match format {
        Format::Json => {
            println!(
                "{}",
                serde_json::to_string_pretty(&summary.diagnostics).unwrap_or_default()
            );
        }
        Format::Human => {
            for diagnostic in &summary.diagnostics {
                println!("{}", diagnostic.render());
            }
            println!(
                "checked {} pages: {} error(s), {} warning(s)",
                summary.pages,
                summary.errors(),
                summary.warnings()
            );
        }
    }
    if summary.errors() > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn finish_build(
    summary: Result<pufa::BuildSummary, pufa::UnusableRoot>,
    quiet: bool,
    report: Option<PathBuf>,
    started: Instant,
) -> ExitCode {
    let summary = match summary {
        Ok(summary) => summary,
        Err(pufa::UnusableRoot(message)) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let elapsed = started.elapsed().as_millis();
    for diagnostic in &summary.diagnostics {
        if !quiet || diagnostic.severity == Severity::Error {
            eprintln!("{}", diagnostic.render());
        }
    }
    let (errors, warnings) = (summary.errors(), summary.warnings());
    if let Some(path) = report {
        let json = serde_json::json!({
            "pages": summary.pages,
            "files": summary.files,
            "errors": errors,
            "warnings": warnings,
            "elapsed_ms": elapsed,
            "images": summary.images,
            "diagnostics": summary.diagnostics,
        });
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text + "\n") {
            eprintln!("error: cannot write the report {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    if errors > 0 {
        eprintln!(
            "build failed: {errors} error(s), {warnings} warning(s); the previous output was left as it was"
        );
        return ExitCode::from(1);
    }
    if !quiet {
        let images = match summary.images {
            ImageCounts {
                processed: 0,
                reused: 0,
            } => String::new(),
            ImageCounts { processed, reused } => {
                format!(" ({processed} image(s) processed, {reused} from the cache)")
            }
        };
        println!(
            "built {} pages, {} files{images}, {warnings} warning(s) in {elapsed} ms",
            summary.pages, summary.files
        );
    }
    ExitCode::SUCCESS
}

/// The progress bar of a long build, on stderr, redrawn in place (`\r`) ten times a second
/// by a thread of its own once the build has run for a second, so that a step stuck on one
/// big photo still shows the build is alive.
struct TerminalBar {
    started: Instant,
    state: Mutex<BarState>,
    done: std::sync::atomic::AtomicBool,
    ticker: Mutex<Option<std::thread::JoinHandle<()>>>,
}

#[derive(Default)]
struct BarState {
    step: &'static str,
    total: usize,
    done: usize,
    /// The line on screen, if any.
    shown: Option<String>,
}

impl TerminalBar {
    const AFTER: Duration = Duration::from_secs(1);
    const EVERY: Duration = Duration::from_millis(100);

    /// A bar when a person watches stderr; none in CI logs, pipes or with `--quiet`.
    fn for_build(quiet: bool) -> Option<Arc<TerminalBar>> {
        let ci = std::env::var_os("CI").is_some();
        if !pufa::progress::bar_wanted(std::io::stderr().is_terminal(), ci, quiet) {
            return None;
        }
        let bar = Arc::new(TerminalBar {
            started: Instant::now(),
            state: Mutex::new(BarState::default()),
            done: Default::default(),
            ticker: Mutex::new(None),
        });
        let ticking = bar.clone();
        let ticker = std::thread::spawn(move || ticking.tick());
        *bar.ticker.lock().unwrap_or_else(|e| e.into_inner()) = Some(ticker);
        Some(bar)
    }

    fn state(&self) -> std::sync::MutexGuard<'_, BarState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn tick(&self) {
        use std::sync::atomic::Ordering;
        while !self.done.load(Ordering::Relaxed) {
            std::thread::park_timeout(Self::EVERY);
            let elapsed = self.started.elapsed();
            if elapsed < Self::AFTER || self.done.load(Ordering::Relaxed) {
                continue;
            }
            let mut state = self.state();
            let line = format!(
                "{}  {} s",
                pufa::progress::bar_line(state.step, state.done, state.total),
                elapsed.as_secs()
            );
            if state.shown.as_ref() != Some(&line) {
                eprint!("\r{line}");
                state.shown = Some(line);
            }
        }
    }

    /// Stops the bar and rubs it out, before the summary and the findings are printed.
    fn clear(&self) {
        self.done.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(ticker) = self.ticker.lock().unwrap_or_else(|e| e.into_inner()).take() {
            ticker.thread().unpark();
            let _ = ticker.join();
        }
        if let Some(line) = self.state().shown.take() {
            eprint!("\r{}\r", " ".repeat(line.len()));
        }
    }
}

impl Progress for TerminalBar {
    fn step(&self, name: &'static str, total: usize) {
        let mut state = self.state();
        state.step = name;
        state.total = total;
        state.done = 0;
    }

    fn advance(&self) {
        self.state().done += 1;
    }
}
