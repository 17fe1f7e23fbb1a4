//! The search index step on its own, in one process, so that a change to the index can be
//! measured without the noise of a whole build on a shared machine (`tests/bench/search.sh`
//! measures whole builds against Hugo):
//!
//!     python3 ../shared/bench/gen_corpus.py --pages 10000 --out /dev/shm/corpus --flavor plain
//!     cargo bench --bench index -- /dev/shm/corpus [RUNS]
//!
//! Prints the fastest and the median of RUNS (default 7) for each part of the step: making the
//! pages' records, indexing them, encoding the bundle's files.

use std::time::{Duration, Instant};

use pufa::BuildOptions;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let root = args
        .next()
        .expect("usage: cargo bench --bench index -- SITE [RUNS]");
    let runs: usize = args
        .next()
        .map_or(7, |n| n.parse().expect("RUNS is a number"));
    let options = BuildOptions {
        root: root.into(),
        out: None,
        base_url: None,
        drafts: false,
        progress: Default::default(),
    };
    let site = match pufa::pipeline::load(&options) {
        Ok(Ok(site)) => site,
        _ => panic!("the site does not load: run `pufa check` on it"),
    };
    let pages = site.library.regular_pages().count();
    let mut times: [Vec<Duration>; 3] = Default::default();
    let mut bytes = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let records = pufa::search::page_records(&site);
        let made = Instant::now();
        let mut index = pufa::search::build_index(&site, records, false);
        let indexed = Instant::now();
        let files = index.files("search");
        let encoded = Instant::now();
        bytes = files.iter().map(|(_, b)| b.len()).sum();
        for (k, (from, to)) in [(start, made), (made, indexed), (indexed, encoded)]
            .into_iter()
            .enumerate()
        {
            times[k].push(to - from);
        }
    }
    println!("{pages} pages, {runs} runs, bundle {bytes} bytes");
    for (name, mut list) in ["records", "index", "encode"].into_iter().zip(times) {
        list.sort();
        println!(
            "{name:>8}: fastest {:>4} ms, median {:>4} ms",
            list[0].as_millis(),
            list[list.len() / 2].as_millis()
        );
    }
}
