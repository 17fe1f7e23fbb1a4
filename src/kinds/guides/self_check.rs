//! A guide's self-check (自助测评): a small decision tree in front matter — questions whose
//! answers lead to another question or to an outcome. The tree is checked as it is loaded, so
//! a citizen can never meet an answer that leads nowhere, a question no answer reaches, or a
//! circle of questions: each mistake is an error at its line, with the fix.

use std::collections::HashMap;

use serde::Deserialize;
use serde_saphyr::{Location, Spanned};

use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml::YamlSource;

/// `self_check:` as editors write it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSelfCheck {
    intro: Option<String>,
    #[serde(default)]
    questions: Vec<Spanned<RawQuestion>>,
    #[serde(default)]
    outcomes: Vec<Spanned<RawOutcome>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    ask: Option<Spanned<String>>,
    help: Option<String>,
    #[serde(default)]
    options: Vec<Spanned<RawOption>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOption {
    answer: Option<String>,
    next: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutcome {
    id: Option<Spanned<String>>,
    title: Option<String>,
    verdict: Option<Spanned<String>>,
    text: Option<String>,
    basis: Option<String>,
    #[serde(default)]
    bring: Vec<String>,
    #[serde(rename = "where")]
    offices: Option<Vec<Spanned<String>>>,
}

/// A checked self-check: every answer leads somewhere, every path ends in an outcome.
#[derive(Debug)]
pub struct SelfCheck {
    pub intro: Option<String>,
    /// In the order written; the first is where the check starts.
    pub questions: Vec<Question>,
    pub outcomes: Vec<Outcome>,
}

/// One question and its answers.
#[derive(Debug)]
pub struct Question {
    pub id: String,
    pub ask: String,
    pub help: Option<String>,
    pub options: Vec<Answer>,
    /// The most questions a reader can still meet from here, this one included: the
    /// progress line says "最多还有 N 题" without knowing the path.
    pub remaining: usize,
}

/// One answer and the step it leads to.
#[derive(Debug)]
pub struct Answer {
    pub text: String,
    pub next: Step,
}

/// Where an answer leads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Question(usize),
    Outcome(usize),
}

/// A result the reader reaches, with what it rests on and what to bring.
#[derive(Debug)]
pub struct Outcome {
    pub id: String,
    pub title: String,
    pub verdict: Verdict,
    pub text: Option<String>,
    /// The article the result rests on (《法律援助法》第三十一条).
    pub basis: Option<String>,
    pub bring: Vec<String>,
    /// Directory ids to show; `None`: the guide's `where`. Checked with the guide's.
    pub offices: Option<Vec<Spanned<String>>>,
}

/// How the result reads: the three answers a window clerk would give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Likely,
    Unlikely,
    Ask,
}

/// The verdicts editors write, as the page shows them.
const VERDICTS: &[(&str, Verdict)] = &[
    ("很可能符合", Verdict::Likely),
    ("可能不符合", Verdict::Unlikely),
    ("请咨询", Verdict::Ask),
];

impl Verdict {
    /// The words shown on the page.
    pub fn text(self) -> &'static str {
        VERDICTS
            .iter()
            .find(|(_, v)| *v == self)
            .map_or("", |(t, _)| t)
    }

    /// A class name for the outcome's colour band.
    pub fn class(self) -> &'static str {
        match self {
            Verdict::Likely => "likely",
            Verdict::Unlikely => "unlikely",
            Verdict::Ask => "ask",
        }
    }
}

/// Where each part of the tree was written, for errors that need the whole tree.
struct Places {
    /// Per question: where it is written, and per answer where its `next` is.
    questions: Vec<(Location, Vec<Location>)>,
    outcomes: Vec<Location>,
}

/// Parses and checks `self_check`; problems go to `errors`, each at its line.
pub fn parse(
    source: &YamlSource,
    raw: Spanned<RawSelfCheck>,
    errors: &mut Vec<Diagnostic>,
) -> Option<SelfCheck> {
    let before = errors.len();
    let raw_check = raw.value;
    if raw_check.questions.is_empty() {
        errors.push(error(
            source,
            "selfcheck-dead-end",
            &raw.referenced,
            "`self_check` has no questions".into(),
            "add `questions:`, each with `id`, `ask` and `options` (`- { answer: 是, next: … }`)",
        ));
        return None;
    }
    let ids = collect_ids(source, &raw_check, errors);
    let (questions, question_places) = questions(source, &raw_check.questions, &ids, errors);
    let places = Places {
        questions: question_places,
        outcomes: raw_check.outcomes.iter().map(|o| o.referenced).collect(),
    };
    let outcomes = outcomes(source, raw_check.outcomes, errors);
    if errors.len() > before {
        return None;
    }
    let mut check = SelfCheck {
        intro: non_empty(raw_check.intro),
        questions,
        outcomes,
    };
    let found = check_paths(source, &check, &places);
    if !found.is_empty() {
        errors.extend(found);
        return None;
    }
    let remaining = remaining(&check);
    for (q, n) in check.questions.iter_mut().zip(remaining) {
        q.remaining = n;
    }
    Some(check)
}

/// Every id with the step it names; a second use of an id is an error at the second.
fn collect_ids(
    source: &YamlSource,
    raw: &RawSelfCheck,
    errors: &mut Vec<Diagnostic>,
) -> HashMap<String, Step> {
    let mut ids: HashMap<String, (Step, Location)> = HashMap::new();
    let questions = raw.questions.iter().enumerate().map(|(i, q)| {
        (
            q.value.id.as_ref(),
            Step::Question(i),
            &q.referenced,
            "question",
        )
    });
    let outcomes = raw.outcomes.iter().enumerate().map(|(i, o)| {
        (
            o.value.id.as_ref(),
            Step::Outcome(i),
            &o.referenced,
            "outcome",
        )
    });
    for (id, step, at, what) in questions.chain(outcomes) {
        let Some(id) = id.filter(|id| !id.value.trim().is_empty()) else {
            errors.push(error(
                source,
                "missing-key",
                at,
                format!("a {what} of `self_check` has no `id`"),
                "give it a short id such as `id: labour-pay`; answers lead to it with `next: labour-pay`",
            ));
            continue;
        };
        let name = id.value.trim().to_string();
        if let Some((_, first)) = ids.get(&name) {
            errors.push(error(
                source,
                "selfcheck-duplicate-id",
                &id.referenced,
                format!("the id `{name}` is used twice in `self_check` (first on line {})", source.first_line + first.line() as usize - 1),
                "give every question and outcome its own id, and point the answers at the one they mean",
            ).underline(name.chars().count()));
            continue;
        }
        ids.insert(name, (step, id.referenced));
    }
    ids.into_iter().map(|(k, (s, _))| (k, s)).collect()
}

/// The questions with their answers resolved to steps, and where each was written.
fn questions(
    source: &YamlSource,
    raw: &[Spanned<RawQuestion>],
    ids: &HashMap<String, Step>,
    errors: &mut Vec<Diagnostic>,
) -> (Vec<Question>, Vec<(Location, Vec<Location>)>) {
    let mut places = Vec::new();
    let questions = raw
        .iter()
        .map(|q| {
            let id = q.value.id.as_ref().map_or("", |i| i.value.trim()).to_string();
            let ask = q.value.ask.as_ref().map_or("", |a| a.value.trim()).to_string();
            if ask.is_empty() && !id.is_empty() {
                errors.push(error(
                    source,
                    "selfcheck-empty-question",
                    q.value.ask.as_ref().map_or(&q.referenced, |a| &a.referenced),
                    format!("question `{id}` asks nothing (`ask` is empty)"),
                    "write the question a citizen answers, e.g. `ask: 您是否因为经济困难请不起律师？`",
                ));
            }
            let mut nexts = Vec::new();
            let options = q
                .value
                .options
                .iter()
                .filter_map(|o| {
                    let answer = answer(source, &id, o, ids, errors)?;
                    nexts.push(o.value.next.as_ref().map_or(o.referenced, |n| n.referenced));
                    Some(answer)
                })
                .collect();
            places.push((q.referenced, nexts));
            Question {
                id,
                ask,
                help: non_empty(q.value.help.clone()),
                options,
                remaining: 0,
            }
        })
        .collect();
    (questions, places)
}

/// One answer, its `next` resolved; an answer without text or leading nowhere is an error.
fn answer(
    source: &YamlSource,
    question: &str,
    raw: &Spanned<RawOption>,
    ids: &HashMap<String, Step>,
    errors: &mut Vec<Diagnostic>,
) -> Option<Answer> {
    let text = raw.value.answer.as_deref().unwrap_or("").trim().to_string();
    if text.is_empty() {
        errors.push(error(
            source,
            "missing-key",
            &raw.referenced,
            format!("an answer of question `{question}` has no text (`answer`)"),
            "write what the citizen taps, e.g. `- { answer: 是, next: … }`",
        ));
        return None;
    }
    let Some(next) = raw.value.next.as_ref() else {
        errors.push(error(
            source,
            "selfcheck-dead-end",
            &raw.referenced,
            format!("the answer `{text}` of question `{question}` leads nowhere, so this path never reaches an outcome"),
            "add `next:` with the id of the question that follows, or of an outcome",
        ));
        return None;
    };
    let name = next.value.trim();
    match ids.get(name) {
        Some(&step) => Some(Answer { text, next: step }),
        None => {
            let help = match did_you_mean(name, ids.keys().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`?"),
                None => "use the `id` of one of this self-check's questions or outcomes".into(),
            };
            errors.push(
                error(
                    source,
                    "selfcheck-unknown-id",
                    &next.referenced,
                    format!("the answer `{text}` of question `{question}` leads to `{name}`, which is neither a question nor an outcome"),
                    &help,
                )
                .underline(name.chars().count()),
            );
            None
        }
    }
}

fn outcomes(
    source: &YamlSource,
    raw: Vec<Spanned<RawOutcome>>,
    errors: &mut Vec<Diagnostic>,
) -> Vec<Outcome> {
    raw.into_iter()
        .map(|o| {
            let at = o.referenced;
            let o = o.value;
            let id = o.id.as_ref().map_or("", |i| i.value.trim()).to_string();
            let title = o.title.as_deref().unwrap_or("").trim().to_string();
            if title.is_empty() && !id.is_empty() {
                errors.push(error(
                    source,
                    "missing-key",
                    &at,
                    format!("outcome `{id}` has no `title`"),
                    "write the result in a few words, e.g. `title: 您很可能可以申请法律援助`",
                ));
            }
            Outcome {
                verdict: verdict(source, &id, o.verdict.as_ref(), &at, errors),
                id,
                title,
                text: non_empty(o.text),
                basis: non_empty(o.basis),
                bring: o
                    .bring
                    .into_iter()
                    .filter_map(|b| non_empty(Some(b)))
                    .collect(),
                offices: o.offices,
            }
        })
        .collect()
}

fn verdict(
    source: &YamlSource,
    id: &str,
    raw: Option<&Spanned<String>>,
    at: &Location,
    errors: &mut Vec<Diagnostic>,
) -> Verdict {
    let known = || VERDICTS.iter().map(|(t, _)| *t);
    let written = raw.map_or("", |v| v.value.trim());
    if let Some((_, v)) = VERDICTS.iter().find(|(t, _)| *t == written) {
        return *v;
    }
    let help = match did_you_mean(written, known()) {
        Some(near) if !written.is_empty() => format!("did you mean `{near}`?"),
        _ => format!("write one of: {}", known().collect::<Vec<_>>().join(" / ")),
    };
    errors.push(error(
        source,
        "selfcheck-verdict",
        raw.map_or(at, |v| &v.referenced),
        format!("outcome `{id}` needs a `verdict` the page knows, not `{written}`"),
        &help,
    ));
    Verdict::Ask
}

/// Loops, unreachable steps and questions without answers, once every answer is resolved.
fn check_paths(source: &YamlSource, check: &SelfCheck, places: &Places) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    let mut walk = Walk {
        check,
        state: vec![Visit::New; check.questions.len()],
        reached_outcomes: vec![false; check.outcomes.len()],
        trail: Vec::new(),
        loops: Vec::new(),
    };
    walk.visit(0);
    let Walk {
        state,
        reached_outcomes,
        loops,
        ..
    } = walk;
    for (from, answer) in loops {
        errors.push(loop_error(source, check, places, from, answer));
    }
    for (i, q) in check.questions.iter().enumerate() {
        let at = &places.questions[i].0;
        if state[i] == Visit::New {
            errors.push(unreachable(source, at, "question", &q.id));
        } else if q.options.is_empty() {
            errors.push(error(
                source,
                "selfcheck-dead-end",
                at,
                format!("question `{}` has no answers, so a citizen who reaches it never gets a result", q.id),
                "add `options:`, each `- { answer: …, next: … }` leading to another question or to an outcome",
            ));
        }
    }
    for (i, o) in check.outcomes.iter().enumerate() {
        if !reached_outcomes[i] {
            errors.push(unreachable(source, &places.outcomes[i], "outcome", &o.id));
        }
    }
    errors
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    OnPath,
    Done,
}

/// A depth-first walk from the first question, noting each answer that closes a loop.
struct Walk<'a> {
    check: &'a SelfCheck,
    state: Vec<Visit>,
    reached_outcomes: Vec<bool>,
    /// The questions on the current path, in order.
    trail: Vec<usize>,
    /// (question, answer index) of each answer that leads back onto the path.
    loops: Vec<(usize, usize)>,
}

impl Walk<'_> {
    fn visit(&mut self, question: usize) {
        self.state[question] = Visit::OnPath;
        self.trail.push(question);
        for (a, answer) in self.check.questions[question].options.iter().enumerate() {
            match answer.next {
                Step::Outcome(o) => self.reached_outcomes[o] = true,
                Step::Question(q) => match self.state[q] {
                    Visit::New => self.visit(q),
                    Visit::OnPath => self.loops.push((question, a)),
                    Visit::Done => {}
                },
            }
        }
        self.trail.pop();
        self.state[question] = Visit::Done;
    }
}

/// The error for an answer that leads back to a question already on its path.
fn loop_error(
    source: &YamlSource,
    check: &SelfCheck,
    places: &Places,
    from: usize,
    answer: usize,
) -> Diagnostic {
    let Step::Question(to) = check.questions[from].options[answer].next else {
        unreachable!("only answers leading to questions close loops")
    };
    let mut circle = vec![check.questions[to].id.as_str()];
    let mut at = to;
    while at != from {
        at = path_step(check, at, from);
        circle.push(check.questions[at].id.as_str());
    }
    circle.push(check.questions[to].id.as_str());
    let text = &check.questions[from].options[answer].text;
    error(
        source,
        "selfcheck-loop",
        &places.questions[from].1[answer],
        format!("the answer `{text}` leads back to an earlier question, so the questions go round in a circle: {}", circle.join(" → ")),
        "point this answer to a later question or to an outcome, so that every path ends with a result",
    )
    .underline(check.questions[to].id.chars().count())
}

/// The question after `at` on some path from `at` to `goal` (one exists: `goal` was reached
/// from `at` on the walk's path).
fn path_step(check: &SelfCheck, at: usize, goal: usize) -> usize {
    let leads = |from: usize| {
        check.questions[from]
            .options
            .iter()
            .filter_map(|a| match a.next {
                Step::Question(q) => Some(q),
                Step::Outcome(_) => None,
            })
    };
    let mut seen = vec![false; check.questions.len()];
    let mut stack: Vec<(usize, usize)> = leads(at).map(|q| (q, q)).collect();
    while let Some((q, first)) = stack.pop() {
        if q == goal {
            return first;
        }
        if !std::mem::replace(&mut seen[q], true) {
            stack.extend(leads(q).map(|n| (n, first)));
        }
    }
    goal
}

fn unreachable(source: &YamlSource, at: &Location, what: &str, id: &str) -> Diagnostic {
    error(
        source,
        "selfcheck-unreachable",
        at,
        format!("no answer leads to {what} `{id}`, so no citizen will ever see it"),
        &format!(
            "point an answer to it (`next: {id}`) or remove it; the self-check starts at the first question"
        ),
    )
}

/// For each question, the most questions met from it to an outcome (the tree has no loops).
fn remaining(check: &SelfCheck) -> Vec<usize> {
    fn depth(check: &SelfCheck, q: usize, memo: &mut Vec<Option<usize>>) -> usize {
        if let Some(n) = memo[q] {
            return n;
        }
        let deepest = check.questions[q]
            .options
            .iter()
            .filter_map(|a| match a.next {
                Step::Question(n) => Some(depth(check, n, memo)),
                Step::Outcome(_) => None,
            })
            .max()
            .unwrap_or(0);
        memo[q] = Some(deepest + 1);
        deepest + 1
    }
    let mut memo = vec![None; check.questions.len()];
    (0..check.questions.len())
        .map(|q| depth(check, q, &mut memo))
        .collect()
}

fn error(
    source: &YamlSource,
    code: &'static str,
    at: &Location,
    message: String,
    help: &str,
) -> Diagnostic {
    source.diagnostic_at(
        Diagnostic::error(code, source.file, message).with_help(help),
        at,
    )
}

fn non_empty(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(yaml: &str) -> Result<SelfCheck, Vec<Diagnostic>> {
        let source = YamlSource {
            file: "content/guides/a.md",
            text: yaml,
            yaml,
            first_line: 1,
        };
        let raw: Spanned<RawSelfCheck> = source.parse().map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        parse(&source, raw, &mut errors).ok_or(errors)
    }

    fn codes(yaml: &str) -> Vec<(&'static str, Option<usize>)> {
        match run(yaml) {
            Ok(_) => panic!("expected errors"),
            Err(e) => e.iter().map(|d| (d.code, d.line)).collect(),
        }
    }

    const OUTCOME: &str = "outcomes:\n  - { id: yes, title: 可以, verdict: 很可能符合 }\n";

    #[test]
    fn remaining_counts_the_longest_path_from_each_question() {
        let check = run(&format!(
            "questions:\n  - {{ id: a, ask: A, options: [{{ answer: 1, next: b }}, {{ answer: 2, next: yes }}] }}\n  - {{ id: b, ask: B, options: [{{ answer: 1, next: c }}, {{ answer: 2, next: yes }}] }}\n  - {{ id: c, ask: C, options: [{{ answer: 1, next: yes }}] }}\n{OUTCOME}"
        ))
        .unwrap();
        let remaining: Vec<usize> = check.questions.iter().map(|q| q.remaining).collect();
        assert_eq!(remaining, [3, 2, 1]);
        assert_eq!(check.questions[0].options[1].next, Step::Outcome(0));
        assert_eq!(check.outcomes[0].verdict, Verdict::Likely);
    }

    #[test]
    fn an_answer_without_next_or_text_and_an_empty_tree_are_errors() {
        assert_eq!(
            codes(&format!(
                "questions:\n  - id: a\n    ask: A\n    options:\n      - {{ answer: 是 }}\n      - {{ next: yes }}\n{OUTCOME}"
            )),
            [("selfcheck-dead-end", Some(5)), ("missing-key", Some(6))]
        );
        assert_eq!(codes(OUTCOME), [("selfcheck-dead-end", Some(1))]);
    }

    #[test]
    fn an_unknown_verdict_suggests_the_known_ones() {
        let errors = run(
            "questions:\n  - { id: a, ask: A, options: [{ answer: 1, next: r }] }\noutcomes:\n  - { id: r, title: R, verdict: 很可能 }\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].code, "selfcheck-verdict");
        assert_eq!(errors[0].line, Some(4));
        assert!(errors[0].help.as_deref().unwrap().contains("很可能符合"));
    }

    #[test]
    fn a_loop_deep_in_the_tree_names_its_whole_circle_and_an_unused_outcome_is_unreachable() {
        let errors = run(&format!(
            "questions:\n  - {{ id: a, ask: A, options: [{{ answer: 1, next: b }}] }}\n  - {{ id: b, ask: B, options: [{{ answer: 1, next: c }}, {{ answer: 2, next: yes }}] }}\n  - {{ id: c, ask: C, options: [{{ answer: 1, next: b }}] }}\n{OUTCOME}  - {{ id: spare, title: S, verdict: 请咨询 }}\n"
        ))
        .unwrap_err();
        let found: Vec<&str> = errors.iter().map(|d| d.code).collect();
        assert_eq!(found, ["selfcheck-loop", "selfcheck-unreachable"]);
        assert!(
            errors[0].message.ends_with("b → c → b"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].line, Some(4));
        assert!(errors[1].message.contains("outcome `spare`"));
    }
}
