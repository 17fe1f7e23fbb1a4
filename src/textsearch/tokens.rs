//! How text becomes search terms, in the build and (mirrored line for line) in the browser's
//! `search.js`: Chinese as single characters, runs of two and of four, and the last three
//! characters of each run; everything else as whole lowercase words (`12348`,
//! `0359-8500101`, `gb/t`), plus the parts of a word joined by `-`, `/` or `.` (`8500101`).
//! Full-width letters, digits and spaces count as their ASCII forms.
//!
//! Positions are character offsets into the text, so that a phrase of four or more Chinese
//! characters can be checked for adjacency with the positions of its four-character pieces.

/// One search term as the tokenizer finds it; a word borrows its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token<'a> {
    /// One Chinese character: for one-character queries.
    Uni(char),
    /// Two adjacent Chinese characters: the unit of two-character queries.
    Bi(char, char),
    /// The last three characters of a run: three-character queries, with the four-character
    /// terms that start with the same three.
    Tri(char, char, char),
    /// Four adjacent Chinese characters, with positions: four-character queries (the commonest
    /// Chinese words: 法律援助, 人民调解), and the adjacency check of longer ones.
    Quad(char, char, char, char),
    /// A word of letters and digits, lowercase.
    Word(&'a str),
}

/// A term as the index keeps it: Chinese terms of up to three characters are their characters
/// packed into 18 bits each (every Han character is below U+40000); four-character terms of
/// the common ideographs (U+4E00–U+9FFF) are their characters packed into 15 bits each; a word,
/// or four characters of the rarer blocks, is a hash of its text. The top bits say which.
pub type Key = u64;

const TAG_BI: u64 = 1 << 62;
const TAG_TRI: u64 = 2 << 62;
const TAG_WORD: u64 = 3 << 62;
/// Four-character terms have one more bit set than words.
const TAG_QUAD: u64 = 7 << 61;
/// A four-character term with a character outside U+4E00–U+9FFF: hashed, its text kept
/// beside the index like a word's.
const QUAD_HASHED: u64 = 1 << 60;
const COMMON_HAN: std::ops::RangeInclusive<u32> = 0x4e00..=0x9fff;

impl Token<'_> {
    /// The term as the index files and the browser spell it.
    pub fn text(&self) -> String {
        match *self {
            Token::Uni(a) => a.to_string(),
            Token::Bi(a, b) => [a, b].into_iter().collect(),
            Token::Tri(a, b, c) => [a, b, c].into_iter().collect(),
            Token::Quad(a, b, c, d) => [a, b, c, d].into_iter().collect(),
            Token::Word(word) => word.to_string(),
        }
    }

    /// The term's key. Always inlined: the index computes one for every occurrence of every
    /// term, and the rare cases (words, rarer characters) are calls of their own.
    #[inline(always)]
    pub fn key(&self) -> Key {
        let c = |c: char| u64::from(c) & 0x3_ffff;
        match *self {
            Token::Uni(a) => c(a),
            Token::Bi(a, b) => TAG_BI | c(a) << 18 | c(b),
            Token::Tri(a, b, d) => TAG_TRI | c(a) << 36 | c(b) << 18 | c(d),
            Token::Quad(a, b, d, e) => quad_key([a, b, d, e]),
            Token::Word(word) => word_key(word),
        }
    }

    /// Whether the index must keep this term's text beside its key (see [`han_text`]).
    pub fn named(&self) -> bool {
        match *self {
            Token::Word(_) => true,
            Token::Quad(..) => self.key() & QUAD_HASHED != 0,
            _ => false,
        }
    }
}

#[inline(always)]
fn quad_key(chars: [char; 4]) -> Key {
    let base = *COMMON_HAN.start();
    if chars.iter().all(|&c| COMMON_HAN.contains(&u32::from(c))) {
        return (0..4).fold(TAG_QUAD, |key, k| {
            key | u64::from(u32::from(chars[k]) - base) << (15 * (3 - k))
        });
    }
    hashed_quad_key(chars)
}

#[cold]
fn hashed_quad_key(chars: [char; 4]) -> Key {
    let mut bytes = [0u8; 16];
    for (k, ch) in chars.into_iter().enumerate() {
        bytes[k * 4..k * 4 + 4].copy_from_slice(&u32::from(ch).to_le_bytes());
    }
    TAG_QUAD | QUAD_HASHED | (fx64(&bytes) >> 4)
}

#[inline(never)]
fn word_key(word: &str) -> Key {
    TAG_WORD | (fx64(word.as_bytes()) >> 3)
}

/// Whether the index keeps the positions of the term with this key (four-character terms).
pub fn has_positions(key: Key) -> bool {
    key >> 61 == 7
}

/// The text of a Chinese term's key (`None` for a word or a hashed four-character term:
/// their text is kept beside the index).
pub fn han_text(key: Key) -> Option<String> {
    han_chars(key).map(|(chars, n)| chars[..n].iter().collect())
}

/// The characters of a Chinese term's key and how many there are (`None` for a word or a
/// hashed four-character term).
pub fn han_chars(key: Key) -> Option<([char; 4], usize)> {
    let c = |shift: u32| char::from_u32(((key >> shift) & 0x3_ffff) as u32).unwrap_or('\u{fffd}');
    let common = |shift: u32| {
        char::from_u32(((key >> shift) & 0x7fff) as u32 + COMMON_HAN.start()).unwrap_or('\u{fffd}')
    };
    if has_positions(key) {
        return (key & QUAD_HASHED == 0)
            .then(|| ([common(45), common(30), common(15), common(0)], 4));
    }
    match key >> 62 {
        0 => Some(([c(0), ' ', ' ', ' '], 1)),
        1 => Some(([c(18), c(0), ' ', ' '], 2)),
        2 => Some(([c(36), c(18), c(0), ' '], 3)),
        _ => None,
    }
}

fn fx64(bytes: &[u8]) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for &b in bytes {
        hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Words longer than this are cut: nobody types them, and they would bloat the index.
const MAX_WORD: usize = 40;

/// Full-width ASCII (`１２３４８`, `ＧＢ`) and the ideographic space as their ASCII forms,
/// letters in lower case. One character in, one out: positions stay character offsets.
/// `#[inline]` here and on [`is_han`]: both run for every character the index reads, and
/// without it they stay calls (9% more instructions in the index step).
#[inline]
pub fn normalize(c: char) -> char {
    if is_han(c) || is_punctuation(c) {
        return c;
    }
    let c = match c {
        '\u{3000}' => ' ',
        '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
        _ => c,
    };
    if c.is_ascii() {
        c.to_ascii_lowercase()
    } else if c.is_uppercase() {
        c.to_lowercase().next().unwrap_or(c)
    } else {
        c
    }
}

/// A Chinese (Han) character: CJK unified ideographs and their extensions, compatibility
/// ideographs, and 〇.
#[inline]
pub fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3007 | 0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3ffff)
}

/// General and CJK punctuation, the commonest characters of Chinese text after Han ones:
/// neither letters nor digits, and no case (a quick answer before Unicode's tables).
fn is_punctuation(c: char) -> bool {
    matches!(c as u32, 0x2000..=0x206f | 0x3000..=0x3004 | 0x3008..=0x3020)
}

fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !is_punctuation(c) && c.is_alphanumeric() && !is_han(c)
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '/' | '.' | '_' | '@' | '+')
}

/// What takes the terms the tokenizer finds: any `FnMut(Token, u32)`, or a type whose
/// [`Sink::term`] is `#[inline(always)]`, which the tokenizer's loop then holds at each place it
/// finds a term, the kind of term known there (the index counts every occurrence this way: a
/// closure called at six places is not inlined).
pub trait Sink {
    /// Whether the sink takes, of each run of Chinese characters, only its four-character
    /// terms and its tail (its last three characters, or the whole run when it is shorter):
    /// every single character and pair of the run is in exactly one of them, once, so the
    /// index derives their counts from those terms' instead of counting each occurrence.
    const FOURS_AND_TAILS: bool = false;

    /// Takes one term and its position.
    fn term(&mut self, token: Token, position: u32);
}

impl<F: FnMut(Token, u32)> Sink for F {
    fn term(&mut self, token: Token, position: u32) {
        self(token, position)
    }
}

/// Calls `emit(term, position)` for every term of `text`, positions counted in characters
/// from `offset`.
pub fn tokenize(text: &str, offset: u32, mut emit: impl FnMut(Token, u32)) {
    tokenize_into(text, offset, &mut emit);
}

/// [`tokenize`] into a [`Sink`]; returns the number of characters of `text` (the index
/// weighs a record's length by them).
pub fn tokenize_into(text: &str, offset: u32, sink: &mut impl Sink) -> u32 {
    thread_local! {
        /// The characters of the text being split, kept from one text to the next: the index
        /// splits hundreds of thousands of fields.
        static CHARS: std::cell::Cell<Vec<char>> = const { std::cell::Cell::new(Vec::new()) };
    }
    let mut chars = CHARS.take();
    chars.clear();
    chars.extend(text.chars().map(normalize));
    split(&chars, offset, sink);
    let count = chars.len() as u32;
    CHARS.set(chars);
    count
}

fn split(chars: &[char], offset: u32, emit: &mut impl Sink) {
    let mut i = 0;
    while i < chars.len() {
        let start = i;
        if is_han(chars[i]) {
            while i < chars.len() && is_han(chars[i]) {
                i += 1;
            }
            han_run(&chars[start..i], offset + start as u32, emit);
        } else if is_word_char(chars[i]) {
            while i < chars.len()
                && (is_word_char(chars[i])
                    || (is_joiner(chars[i]) && chars.get(i + 1).is_some_and(|&c| is_word_char(c))))
            {
                i += 1;
            }
            word(&chars[start..i], offset + start as u32, emit);
        } else {
            i += 1;
        }
    }
}

/// Every character, every run of two and of four; of the runs of three only the last (where
/// no run of four starts): every other one is the first three characters of a run of four,
/// which the browser finds by prefix in the same shard (see [`shard_hash`]).
fn han_run<S: Sink>(run: &[char], at: u32, emit: &mut S) {
    if S::FOURS_AND_TAILS {
        return fours_and_tail(run, at, emit);
    }
    for (k, &c) in run.iter().enumerate() {
        let p = at + k as u32;
        emit.term(Token::Uni(c), p);
        if let Some(&d) = run.get(k + 1) {
            emit.term(Token::Bi(c, d), p);
            if let Some(&e) = run.get(k + 2) {
                match run.get(k + 3) {
                    Some(&f) => emit.term(Token::Quad(c, d, e, f), p),
                    None => emit.term(Token::Tri(c, d, e), p),
                }
            }
        }
    }
}

/// A run's four-character terms and its tail, for a [`Sink::FOURS_AND_TAILS`] sink: the tail
/// is a [`Token::Tri`] (as in every run), or the whole run as a [`Token::Bi`] or
/// [`Token::Uni`] when it is shorter than three.
fn fours_and_tail(run: &[char], at: u32, emit: &mut impl Sink) {
    for (k, four) in run.windows(4).enumerate() {
        emit.term(
            Token::Quad(four[0], four[1], four[2], four[3]),
            at + k as u32,
        );
    }
    let tail = at + run.len().saturating_sub(3) as u32;
    match *run {
        [.., a, b, c] => emit.term(Token::Tri(a, b, c), tail),
        [a, b] => emit.term(Token::Bi(a, b), tail),
        [a] => emit.term(Token::Uni(a), tail),
        [] => {}
    }
}

fn word(chars: &[char], at: u32, emit: &mut impl Sink) {
    let mut buffer = [0u8; MAX_WORD * 4];
    emit.term(Token::Word(utf8(chars, &mut buffer)), at);
    if !chars.iter().any(|&c| is_joiner(c)) {
        return;
    }
    let mut start = 0;
    for (k, &c) in chars.iter().chain([&' ']).enumerate() {
        if !is_word_char(c) {
            if k > start {
                emit.term(
                    Token::Word(utf8(&chars[start..k], &mut buffer)),
                    at + start as u32,
                );
            }
            start = k + 1;
        }
    }
}

/// The first [`MAX_WORD`] characters of `chars` as text, written into `buffer`: words are
/// split without an allocation each.
fn utf8<'a>(chars: &[char], buffer: &'a mut [u8; MAX_WORD * 4]) -> &'a str {
    let mut length = 0;
    for &c in chars.iter().take(MAX_WORD) {
        length += c.encode_utf8(&mut buffer[length..]).len();
    }
    std::str::from_utf8(&buffer[..length]).unwrap_or_default()
}

/// Which shard holds the term with this key and text: [`fnv1a`] of its text, but of only the
/// first three characters of a four-character term, so that a term of three characters and
/// every term of four that starts with it share a shard (the browser finds a three-character
/// word by prefix there).
pub fn shard_hash(key: Key, text: &str) -> u32 {
    if has_positions(key) {
        let cut = text.char_indices().nth(3).map_or(text.len(), |(at, _)| at);
        return fnv1a(&text[..cut]);
    }
    fnv1a(text)
}

/// 32-bit FNV-1a of the term's UTF-8 text (the browser computes the same over `TextEncoder`
/// bytes).
pub fn fnv1a(text: &str) -> u32 {
    text.bytes().fold(0x811c_9dc5, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<(String, u32)> {
        let mut out = Vec::new();
        tokenize(text, 0, |term, p| out.push((term.text(), p)));
        out
    }

    fn texts(text: &str) -> Vec<String> {
        terms(text).into_iter().map(|(t, _)| t).collect()
    }

    /// A sink that takes only four-character terms and tails, as the index's does.
    struct FoursAndTails(Vec<(String, u32)>);

    impl Sink for FoursAndTails {
        const FOURS_AND_TAILS: bool = true;
        fn term(&mut self, token: Token, position: u32) {
            self.0.push((token.text(), position));
        }
    }

    #[test]
    fn a_fours_and_tails_sink_gets_each_run_s_four_character_terms_and_its_tail() {
        let mut sink = FoursAndTails(Vec::new());
        tokenize_into("法律援助中心，调解 法 GB/T 民法典", 0, &mut sink);
        let expected = [
            ("法律援助", 0),
            ("律援助中", 1),
            ("援助中心", 2),
            ("助中心", 3),
            ("调解", 7),
            ("法", 10),
            ("gb/t", 12),
            ("gb", 12),
            ("t", 15),
            ("民法典", 17),
        ];
        let expected: Vec<(String, u32)> =
            expected.iter().map(|&(t, p)| (t.to_string(), p)).collect();
        assert_eq!(sink.0, expected);
    }

    #[test]
    fn chinese_becomes_characters_bigrams_four_character_terms_and_a_last_trigram() {
        assert_eq!(
            terms("离婚纠纷"),
            [
                ("离", 0),
                ("离婚", 0),
                ("离婚纠纷", 0),
                ("婚", 1),
                ("婚纠", 1),
                ("婚纠纷", 1),
                ("纠", 2),
                ("纠纷", 2),
                ("纷", 3)
            ]
            .map(|(t, p)| (t.to_string(), p))
        );
    }

    #[test]
    fn every_three_characters_are_the_last_trigram_or_the_start_of_a_four_character_term() {
        for run in ["离婚", "离婚案", "法律援助中心", "一二三四五六七"] {
            let found = terms(run);
            let chars: Vec<char> = run.chars().collect();
            for (k, three) in chars.windows(3).enumerate() {
                let three: String = three.iter().collect();
                let as_tri = found.contains(&(three.clone(), k as u32));
                let as_prefix = found.iter().any(|(t, p)| {
                    *p == k as u32 && t.chars().count() == 4 && t.starts_with(&three)
                });
                assert!(as_tri != as_prefix, "{run}: {three} at {k}");
                assert_eq!(as_tri, k + 3 == chars.len(), "{run}: {three} at {k}");
            }
        }
    }

    #[test]
    fn a_four_character_term_shares_the_shard_of_its_first_three_characters() {
        let mut found = Vec::new();
        tokenize("法律援助 法律援 gb/t 𠀀𠀁𠀂𠀃", 0, |t, _| {
            found.push((t.key(), t.text()))
        });
        let hash = |text: &str| {
            let (key, text) = found.iter().find(|(_, t)| t == text).unwrap();
            shard_hash(*key, text)
        };
        assert_eq!(hash("法律援助"), fnv1a("法律援"));
        assert_eq!(hash("法律援"), fnv1a("法律援"));
        assert_eq!(hash("𠀀𠀁𠀂𠀃"), fnv1a("𠀀𠀁𠀂"));
        assert_eq!(hash("法律"), fnv1a("法律"));
        assert_eq!(hash("gb/t"), fnv1a("gb/t"));
    }

    #[test]
    fn punctuation_breaks_a_run() {
        let found = texts("离，婚");
        assert!(found.contains(&"离".to_string()) && found.contains(&"婚".to_string()));
        assert!(!found.iter().any(|t| t == "离婚"), "{found:?}");
        assert!(!texts("离 婚").iter().any(|t| t == "离婚"));
    }

    #[test]
    fn latin_words_and_numbers_are_whole_lowercase_tokens() {
        assert_eq!(
            texts("拨打12348热线"),
            ["拨", "拨打", "打", "12348", "热", "热线", "线"]
        );
        assert_eq!(texts("GB/T 7714"), ["gb/t", "gb", "t", "7714"]);
        assert_eq!(
            texts("电话0359-8500101。"),
            ["电", "电话", "话", "0359-8500101", "0359", "8500101"]
        );
        // A joiner at the end of a word is not part of it.
        assert_eq!(texts("v2. 下"), ["v2", "下"]);
    }

    #[test]
    fn full_width_digits_letters_and_spaces_count_as_ascii() {
        assert_eq!(texts("１２３４８"), ["12348"]);
        assert_eq!(texts("ＧＢ／Ｔ"), ["gb/t", "gb", "t"]);
        assert_eq!(texts("离\u{3000}婚"), ["离", "婚"]);
    }

    #[test]
    fn positions_are_character_offsets_from_the_offset() {
        let mut found = Vec::new();
        tokenize("法律 a-b", 10, |term, p| found.push((term.text(), p)));
        assert_eq!(
            found,
            [
                ("法", 10),
                ("法律", 10),
                ("律", 11),
                ("a-b", 13),
                ("a", 13),
                ("b", 15)
            ]
            .map(|(t, p)| (t.to_string(), p))
        );
    }

    #[test]
    fn long_words_are_cut_and_odd_input_never_panics() {
        let long = "x".repeat(500);
        assert_eq!(texts(&long), ["x".repeat(MAX_WORD)]);
        for odd in ["\u{0}\u{1b}[2J", "\u{202e}abc", "𠀀𠀁", "-/-", "", "Ⅻ", "İ"] {
            let _ = texts(odd);
        }
        assert_eq!(texts("𠀀𠀁"), ["𠀀", "𠀀𠀁", "𠀁"]);
        assert_eq!(
            texts("一二三四五")
                .iter()
                .filter(|t| t.chars().count() == 4)
                .count(),
            2
        );
    }

    #[test]
    fn keys_are_distinct_per_term_and_chinese_keys_give_back_their_text() {
        let mut keys = std::collections::HashMap::new();
        tokenize(
            "离婚纠纷 a1 离婚 𠀀𠀁𠀂 ab 㐀丁七万 鿿丁七万",
            0,
            |t, _| {
                let previous = keys.insert(t.key(), t.text());
                assert!(previous.is_none_or(|p| p == t.text()), "{t:?}");
                assert_eq!(
                    has_positions(t.key()),
                    matches!(t, Token::Quad(..)),
                    "{t:?}"
                );
                // Words and four characters beyond the common block keep their text beside the
                // index; every other Chinese key gives it back.
                assert_eq!(
                    t.named(),
                    matches!(t, Token::Word(_))
                        || matches!(t, Token::Quad(..)) && t.text().contains(['㐀', '𠀀']),
                    "{t:?}"
                );
                if t.named() {
                    assert!(han_text(t.key()).is_none());
                } else {
                    assert_eq!(han_text(t.key()).unwrap(), t.text());
                }
            },
        );
        assert_eq!(keys.len(), 29);
    }

    #[test]
    fn the_quick_punctuation_answer_is_unicode_s_answer() {
        for c in (0x2000..=0x303f)
            .filter_map(char::from_u32)
            .filter(|&c| is_punctuation(c))
        {
            assert!(
                !c.is_alphanumeric() && !c.is_uppercase() && !is_han(c),
                "{c:?}"
            );
            assert_eq!(c.to_lowercase().next(), Some(c), "{c:?}");
        }
    }

    #[test]
    fn fnv1a_matches_the_reference_values() {
        assert_eq!(fnv1a(""), 0x811c_9dc5);
        assert_eq!(fnv1a("a"), 0xe40c_292c);
        assert_eq!(fnv1a("foobar"), 0xbf9c_f968);
    }
}
