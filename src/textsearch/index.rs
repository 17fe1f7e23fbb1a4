//! The index itself: every record's terms, weighted by field, and the files the browser reads.
//!
//! The bundle, under `search/` of the output:
//! - `index.json`: the manifest (record count, kinds as id ranges, shard count, file names,
//!   synonyms). The only name without a content hash.
//! - `d<shard>.<hash>.bin`: for each term of the shard, the records that have it and a one-byte
//!   BM25 weight each. A term lives in shard `fnv1a(term) mod shards`, so a query loads only
//!   the shards of its own terms; a four-character term lives in the shard of its first three
//!   characters, where a three-character query finds it by prefix (only the last three
//!   characters of a run are a term of their own).
//! - `p<shard>.<hash>.bin`: the positions of the shard's four-character terms in each record,
//!   loaded only for Chinese words of five characters or more (to check that they are adjacent).
//! - `m<chunk>.<hash>.json`: title, URL and excerpt text of a few records, loaded for the
//!   results shown.
//!
//! Weights depend on the record alone (BM25 normalised against a fixed length, not the
//! average), so changing one record changes only the files that hold its terms: how
//! `pufa serve` keeps search current after each save.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rayon::prelude::*;
use serde::Serialize;

use super::tokens::{
    Key, Sink, Token, han_chars, han_text, has_positions, shard_hash, tokenize, tokenize_into,
};

/// Which part of a page a text is: a title match ranks above a summary match, which ranks
/// above a body match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// The page's or entry's title (or an entry's name).
    Title,
    /// The summary from front matter, or the first paragraph.
    Summary,
    /// Headings of the body.
    Heading,
    /// A kind's own fields: a guide's service and materials, a stop's activities, a report's
    /// issuer, a directory entry's role and services.
    Detail,
    /// The body text, theme text excluded.
    Body,
}

impl Field {
    fn weight(self) -> u32 {
        match self {
            Field::Title => 10,
            Field::Summary | Field::Heading => 3,
            Field::Detail => 2,
            Field::Body => 1,
        }
    }
}

/// The entries an edit gives terms: term → (record id, weight, positions) of each record.
type NewPostings = FxMap<Key, Vec<(u32, u8, Vec<u32>)>>;

/// One search result to be: a page, or a directory entry on its directory's page.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// As linked, base path included: `/sfj/directory/counsels/#counsel-001`.
    pub url: String,
    /// The result's heading as shown in the list of results.
    pub title: String,
    /// What a citizen calls it: 办事指南, 服务名录, 公开报告, 动态.
    pub kind: &'static str,
    /// The content file the record comes from, for replacing it after an edit.
    pub owner: String,
    /// The searchable texts, title first.
    pub fields: Vec<(Field, String)>,
    /// The text shown under the title, when the record's kind writes its own (a directory
    /// entry labels its fields: `电话：…；服务事项：…`); otherwise it is made of the fields.
    /// Shown only, never indexed: its labels are not the editors' words.
    pub excerpt: Option<String>,
}

impl Record {
    /// The text shown under the title, cut at [`EXCERPT_CHARS`]: the record's own
    /// [`Record::excerpt`], or every field but the title (only what fits is copied: a body can
    /// be 200 KB).
    fn excerpt_text(&self) -> String {
        let mut text = String::new();
        let mut room = EXCERPT_CHARS;
        if let Some(shown) = &self.excerpt {
            push_cut(&mut text, shown.trim(), &mut room);
            return text;
        }
        for (field, value) in &self.fields {
            let value = value.trim();
            if *field == Field::Title || value.is_empty() {
                continue;
            }
            if !text.is_empty() {
                text.push(' ');
                room -= 1;
            }
            push_cut(&mut text, value, &mut room);
            if room == 0 {
                break;
            }
        }
        text
    }
}

/// Adds to `text` as much of `value` as `room` (characters) leaves, and takes that from it.
fn push_cut(text: &mut String, value: &str, room: &mut usize) {
    match value.char_indices().nth(*room) {
        Some((cut, _)) => {
            text.push_str(&value[..cut]);
            *room = 0;
        }
        None => {
            text.push_str(value);
            *room -= value.chars().count();
        }
    }
}

/// How much of a record's text the browser gets for its excerpt.
pub const EXCERPT_CHARS: usize = 160;
/// Records per metadata file: a result page loads at most one file per result shown.
pub const CHUNK: usize = 6;
/// The length BM25 normalises against (characters, field-weighted).
const REFERENCE_LENGTH: f64 = 600.0;
/// What one shard of postings should weigh, roughly.
const SHARD_BYTES: usize = 16 * 1024;

/// FxHash: the terms are not attacker-chosen keys of a server, and SipHash would double the
/// time of merging millions of postings.
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    /// The high bits, which the multiplications mix best, brought down: a table places an
    /// entry by the low bits of its hash, and a key's low bits are its last character alone.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;

/// The records that have one term, in record order, kept as the bytes the shard files hold:
/// (record id delta, weight) pairs, and for four-character terms each record's position count and
/// deltas. About two bytes a record: the whole index of 10,000 pages fits in ~20 MB.
#[derive(Debug, Default, Clone, PartialEq)]
struct Postings {
    count: u32,
    last: u32,
    docs: Vec<u8>,
    positions: Vec<u8>,
}

impl Postings {
    /// Adds a record after every record already there (the index writes its lists through
    /// [`Postings::push_count`] and [`Tally::take`]; tests make lists with this).
    #[cfg(test)]
    fn push(&mut self, record: u32, weight: u8, positions: &[u32]) {
        self.add_gap(record);
        self.docs.push(weight);
        self.add_positions(positions);
    }

    /// [`Postings::push`] with the record's count of the term in place of its weight, while
    /// the record's part is being indexed ([`Postings::weigh`] turns counts into weights).
    fn push_count(&mut self, record: u32, count: u32, positions: &[u32]) {
        self.add_gap(record);
        varint(&mut self.docs, count);
        self.add_positions(positions);
    }

    /// Starts the entry of `record`, after every record already there: its gap from the last.
    fn add_gap(&mut self, record: u32) {
        varint(
            &mut self.docs,
            record - if self.count == 0 { 0 } else { self.last },
        );
        self.count += 1;
        self.last = record;
    }

    fn add_positions(&mut self, positions: &[u32]) {
        if !positions.is_empty() {
            encode_positions(&mut self.positions, positions);
        }
    }

    /// (record, count) of each record, from postings made by [`Postings::push_count`].
    fn counts(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let (mut at, mut record) = (0, 0);
        (0..self.count).map(move |_| {
            record += read_varint(&self.docs, &mut at);
            (record, read_varint(&self.docs, &mut at))
        })
    }

    /// Replaces each record's count by its weight, in place (a weight is one byte, a count
    /// one or more). `rows[record - first]` is the record's row in `weights`.
    fn weigh(&mut self, first: u32, rows: &[u16], weights: &mut Weights) {
        let (mut read, mut write, mut record) = (0, 0, 0);
        for _ in 0..self.count {
            let start = read;
            record += read_varint(&self.docs, &mut read);
            // A gap is a byte or two: copied by hand, not by a call to `memmove`.
            for at in start..read {
                self.docs[write] = self.docs[at];
                write += 1;
            }
            let count = read_varint(&self.docs, &mut read);
            self.docs[write] = weights.weight(rows[(record - first) as usize], count);
            write += 1;
        }
        self.docs.truncate(write);
    }

    /// Adds the records of `other`, all of which come after this one's.
    fn append(&mut self, other: Postings) {
        if self.count == 0 {
            *self = other;
            return;
        }
        let mut at = 0;
        let first = read_varint(&other.docs, &mut at);
        varint(&mut self.docs, first - self.last);
        self.docs.extend_from_slice(&other.docs[at..]);
        self.count += other.count;
        self.last = other.last;
        self.positions.extend_from_slice(&other.positions);
    }

    /// Decoded: (record, weight, positions) for each record.
    fn decode(&self) -> Vec<(u32, u8, Vec<u32>)> {
        let (mut at, mut pat, mut record) = (0, 0, 0);
        let mut out = Vec::with_capacity(self.count as usize);
        for _ in 0..self.count {
            record += read_varint(&self.docs, &mut at);
            let weight = self.docs[at];
            at += 1;
            let mut positions = Vec::new();
            if !self.positions.is_empty() {
                let n = read_varint(&self.positions, &mut pat);
                let mut p = 0;
                for _ in 0..n {
                    p += read_varint(&self.positions, &mut pat);
                    positions.push(p);
                }
            }
            out.push((record, weight, positions));
        }
        out
    }

    #[cfg(test)]
    fn encode(list: &[(u32, u8, Vec<u32>)]) -> Postings {
        let mut postings = Postings::default();
        for (record, weight, positions) in list {
            postings.push(*record, *weight, positions);
        }
        postings
    }

    /// Puts `record`'s entry in place (`Some`), or takes it out (`None`), editing the bytes
    /// where it stands: a scan to it, not a decoding of the whole list.
    fn set(&mut self, record: u32, entry: Option<(u8, &[u32])>) {
        // The first entry at or after `record`: where its bytes start, and the id before it.
        let (mut at, mut pat, mut id, mut previous) = (0usize, 0usize, 0u32, 0u32);
        let (mut start, mut pstart, mut found) = (self.docs.len(), self.positions.len(), None);
        for k in 0..self.count {
            let (before, pbefore) = (at, pat);
            id += read_varint(&self.docs, &mut at);
            at += 1;
            if !self.positions.is_empty() {
                for _ in 0..read_varint(&self.positions, &mut pat) {
                    read_varint(&self.positions, &mut pat);
                }
            }
            if id >= record {
                (start, pstart, found) = (before, pbefore, Some((k, id)));
                break;
            }
            previous = id;
        }
        let exists = found.is_some_and(|(_, id)| id == record);
        // What follows the edited place: the entry after `record`'s, or the one found.
        let (end, pend, next) = match found {
            Some((k, _)) if exists => {
                let next = (k + 1 < self.count).then(|| {
                    let mut a = at;
                    record + read_varint(&self.docs, &mut a)
                });
                (at, pat, next)
            }
            Some((_, id)) => (start, pstart, Some(id)),
            None => (start, pstart, None),
        };
        let mut docs = Vec::with_capacity(16);
        let mut positions = Vec::new();
        let base = match entry {
            Some((weight, list)) => {
                varint(&mut docs, record - previous);
                docs.push(weight);
                if !list.is_empty() {
                    encode_positions(&mut positions, list);
                }
                record
            }
            None => previous,
        };
        let mut tail = end;
        if let Some(next) = next {
            read_varint(&self.docs, &mut tail);
            varint(&mut docs, next - base);
        }
        self.docs.splice(start..tail, docs);
        self.positions.splice(pstart..pend, positions);
        match (exists, entry.is_some()) {
            (true, false) => self.count -= 1,
            (false, true) => self.count += 1,
            _ => {}
        }
        if next.is_none() {
            self.last = base;
        }
    }

    /// Whether `record` is among the records (a scan that stops past it).
    #[cfg(test)]
    fn has(&self, record: u32) -> bool {
        let (mut at, mut id) = (0, 0);
        for _ in 0..self.count {
            id += read_varint(&self.docs, &mut at);
            at += 1;
            if id >= record {
                return id == record;
            }
        }
        false
    }
}

fn encode_positions(out: &mut Vec<u8>, positions: &[u32]) {
    varint(out, positions.len() as u32);
    let mut previous = 0;
    for &p in positions {
        varint(out, p - previous);
        previous = p;
    }
}

fn read_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let (mut n, mut shift) = (0u32, 0);
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// The terms of the record being analysed, each counted once per occurrence in a table of
/// that record alone: small enough to stay in the nearest cache, where a table of every term
/// of a part (tens of thousands) would cost a cache miss per occurrence. Kept from one record
/// to the next by each thread.
#[derive(Default)]
struct Terms {
    /// Open addressing by key; a slot is in use when its stamp is the current record's. The
    /// current record uses the first `mask + 1` slots (a power of two, at most half full).
    slots: Vec<Slot>,
    mask: usize,
    /// The current record's stamp (0 is none).
    stamp: u32,
    /// The current record's terms (their slots), in order of appearance.
    seen: Vec<u32>,
    /// (the term's occurrence before, position) of every occurrence but the first of a term
    /// with positions, a chain back from the term's [`Slot::last`] (most four-character terms
    /// occur once in a record: their slot holds it).
    placed: Vec<(u32, u32)>,
    /// The positions of the term being handed on.
    positions: Vec<u32>,
}

/// A term's count in the current record.
#[derive(Default, Clone, Copy)]
struct Slot {
    key: Key,
    /// The record counted ([`Terms::stamp`]): any other means a free slot.
    stamp: u32,
    /// Field-weighted number of occurrences.
    frequency: u32,
    /// Occurrences with positions.
    positions: u32,
    /// The position of its first occurrence, for a term with positions.
    first: u32,
    /// Its latest occurrence in [`Terms::placed`], when it has more than one.
    last: u32,
}

/// The smallest table a record gets: 1,024 slots (32 KB).
const MIN_SLOTS: usize = 1 << 10;

impl Terms {
    /// Starts a record of about `bytes` bytes of text: a fresh stamp, and a table of one to
    /// two slots for every two bytes (a Chinese character, three bytes, makes one term to
    /// count, its four-character term, mostly new to the record; the table stays at most half
    /// full); [`Terms::slot`] doubles it if the text has more.
    fn start(&mut self, bytes: usize) {
        self.next_stamp();
        let size = (bytes / 2).next_power_of_two().clamp(MIN_SLOTS, 1 << 16);
        if self.slots.len() < size {
            self.slots.resize(size, Slot::default());
        }
        self.mask = size - 1;
        self.seen.clear();
        self.placed.clear();
    }

    /// A stamp no slot has: after four billion, every slot is freed and they start again.
    fn next_stamp(&mut self) {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.slots.iter_mut().for_each(|s| s.stamp = 0);
            self.stamp = 1;
        }
    }

    /// The slot of `key` in the current record, taken if it is the first occurrence.
    #[inline(always)]
    fn slot(&mut self, key: Key) -> &mut Slot {
        let mut at = home(key, self.mask);
        loop {
            let slot = self.slots[at];
            if slot.stamp != self.stamp {
                break;
            }
            if slot.key == key {
                return &mut self.slots[at];
            }
            at = (at + 1) & self.mask;
        }
        if 2 * (self.seen.len() + 1) > self.mask + 1 {
            self.grow();
            return self.slot(key);
        }
        self.slots[at] = Slot {
            key,
            stamp: self.stamp,
            frequency: 0,
            positions: 0,
            first: 0,
            last: 0,
        };
        self.seen.push(at as u32);
        &mut self.slots[at]
    }

    /// Doubles the current record's table, its terms keeping their places in `seen`.
    #[cold]
    fn grow(&mut self) {
        let terms: Vec<Slot> = self
            .seen
            .iter()
            .map(|&at| self.slots[at as usize])
            .collect();
        let size = 2 * (self.mask + 1);
        if self.slots.len() < size {
            self.slots.resize(size, Slot::default());
        }
        self.mask = size - 1;
        self.next_stamp();
        for (k, mut slot) in terms.into_iter().enumerate() {
            slot.stamp = self.stamp;
            let mut at = home(slot.key, self.mask);
            while self.slots[at].stamp == self.stamp {
                at = (at + 1) & self.mask;
            }
            self.slots[at] = slot;
            self.seen[k] = at as u32;
        }
    }

    /// Splits a record into terms and calls `emit(key, count, positions)` for each, the count
    /// weighted by field; the texts of its words go into `words`. Of a run of Chinese
    /// characters only its four-character terms and its tail are counted
    /// ([`Sink::FOURS_AND_TAILS`]; a tail of one or two characters has the key
    /// [`tail`] gives). Returns the record's BM25 length norm.
    fn analyse(
        &mut self,
        record: &Record,
        words: &mut FxMap<Key, Box<str>>,
        mut emit: impl FnMut(Key, u32, &[u32]),
    ) -> f64 {
        let bytes = record.fields.iter().map(|(_, t)| t.len()).sum();
        self.start(bytes);
        let length = self.count_terms(record, words);
        let mut positions = std::mem::take(&mut self.positions);
        for &at in &self.seen {
            let slot = self.slots[at as usize];
            match slot.positions as usize {
                0 => emit(slot.key, slot.frequency, &[]),
                1 => emit(slot.key, slot.frequency, &[slot.first]),
                n => {
                    // The chain of later occurrences, walked back from the latest.
                    positions.clear();
                    positions.resize(n, slot.first);
                    let mut link = slot.last;
                    for place in positions[1..].iter_mut().rev() {
                        let (before, p) = self.placed[link as usize];
                        *place = p;
                        link = before;
                    }
                    emit(slot.key, slot.frequency, &positions);
                }
            }
        }
        self.positions = positions;
        1.0 - 0.5 + 0.5 * rounded_length(length) / REFERENCE_LENGTH
    }

    /// Counts the weighted frequency and the positions of every term of the record's fields;
    /// returns the record's weighted length.
    fn count_terms(&mut self, record: &Record, words: &mut FxMap<Key, Box<str>>) -> u32 {
        let mut offset = 0u32;
        let mut length = 0u32;
        for (field, text) in &record.fields {
            let weight = field.weight();
            let chars = tokenize_into(
                text,
                offset,
                &mut Counting {
                    terms: self,
                    weight,
                    words,
                },
            );
            length += chars * weight.min(2);
            offset += chars + 1;
        }
        length
    }
}

/// The tokenizer's sink while a record's field is counted.
struct Counting<'a> {
    terms: &'a mut Terms,
    /// The field's weight.
    weight: u32,
    words: &'a mut FxMap<Key, Box<str>>,
}

impl Sink for Counting<'_> {
    const FOURS_AND_TAILS: bool = true;

    /// Counts one occurrence. Always inlined, so that each place the tokenizer finds a term
    /// counts it knowing its kind.
    #[inline(always)]
    fn term(&mut self, token: Token, position: u32) {
        let key = match token {
            Token::Uni(_) | Token::Bi(..) => tail(token.key()),
            _ => token.key(),
        };
        let terms = &mut *self.terms;
        let before = terms.seen.len();
        let next = terms.placed.len() as u32;
        let slot = terms.slot(key);
        slot.frequency += self.weight;
        if has_positions(key) {
            slot.positions += 1;
            if slot.positions == 1 {
                slot.first = position;
            } else {
                let before = slot.last;
                slot.last = next;
                terms.placed.push((before, position));
            }
        }
        if terms.seen.len() > before && token.named() {
            self.words.entry(key).or_insert_with(|| token.text().into());
        }
    }
}

/// The key under which a run of one or two characters is counted as the run's tail: not its
/// term's key, since the term's own list is derived (from this tail and the runs that hold
/// it), and a tail is not a term of the bundle.
fn tail(key: Key) -> Key {
    key | TAIL
}

/// The bit of [`tail`] keys: above every character of a single character's or a pair's key.
const TAIL: Key = 1 << 58;

fn is_tail(key: Key) -> bool {
    key >> 62 <= 1 && key & TAIL != 0
}

/// What a counted term of a record holds of the single characters and pairs, each
/// occurrence of those in exactly one such term: `take(c, next)` for each character it holds,
/// with the character after it when it holds that pair too. A four-character term holds its
/// first character and pair (those after them start later terms, or the run's tail); a tail,
/// every character and pair of its own.
fn holdings(key: Key, words: &FxMap<Key, Box<str>>, mut take: impl FnMut(char, Option<char>)) {
    let (chars, n) = match han_chars(key) {
        Some(chars) => chars,
        None if has_positions(key) => {
            let Some(text) = words.get(&key) else { return };
            let mut chars = [' '; 4];
            for (place, c) in chars.iter_mut().zip(text.chars()) {
                *place = c;
            }
            (chars, 4)
        }
        None => return,
    };
    if has_positions(key) {
        return take(chars[0], Some(chars[1]));
    }
    for k in 0..n {
        take(chars[k], (k + 1 < n).then(|| chars[k + 1]));
    }
}

/// One derived term's counts in the records of a part, and which records have it.
struct Tally {
    counts: Vec<u32>,
    present: Vec<u64>,
}

impl Tally {
    fn new(records: usize) -> Tally {
        Tally {
            counts: vec![0; records],
            present: vec![0; records.div_ceil(64)],
        }
    }

    /// Adds `count` to the `k`th record of the part.
    #[inline(always)]
    fn add(&mut self, k: usize, count: u32) {
        self.counts[k] += count;
        self.present[k / 64] |= 1 << (k % 64);
    }

    /// The weighted postings of the records counted, in order; the tally is empty again.
    fn take(&mut self, first: u32, rows: &[u16], weights: &mut Weights) -> Postings {
        let count: u32 = self.present.iter().map(|bits| bits.count_ones()).sum();
        let mut docs = Vec::with_capacity(2 * count as usize);
        let mut last = 0;
        for (w, bits) in self.present.iter_mut().enumerate() {
            while *bits != 0 {
                let k = w * 64 + bits.trailing_zeros() as usize;
                *bits &= *bits - 1;
                let record = first + k as u32;
                varint(&mut docs, record - last);
                docs.push(weights.weight(rows[k], self.counts[k]));
                last = record;
                self.counts[k] = 0;
            }
        }
        Postings {
            count,
            last,
            docs,
            positions: Vec::new(),
        }
    }
}

/// BM25 weights by record length and count, each computed once: a part's records fall into a
/// few hundred lengths (see [`rounded_length`]), and most counts are small.
#[derive(Default)]
struct Weights {
    /// Each length norm (its bits) and its row.
    rows: FxMap<u64, u16>,
    norms: Vec<f64>,
    /// Each row's weights of the counts below 64 (0: not computed yet; a weight is at least 1).
    table: Vec<[u8; 64]>,
}

impl Weights {
    /// The row of the records of this norm.
    fn row(&mut self, norm: f64) -> u16 {
        let next = self.norms.len() as u16;
        let row = *self.rows.entry(norm.to_bits()).or_insert(next);
        if row == next {
            self.norms.push(norm);
            self.table.push([0; 64]);
        }
        row
    }

    #[inline(always)]
    fn weight(&mut self, row: u16, count: u32) -> u8 {
        match self.table[row as usize].get_mut(count as usize) {
            Some(w) if *w != 0 => *w,
            Some(w) => {
                *w = bm25_weight(count, self.norms[row as usize]);
                *w
            }
            None => bm25_weight(count, self.norms[row as usize]),
        }
    }
}

/// Indexes records one after another, their ids `first`, `first + 1`, … : each record's terms
/// counted, then added to the lists with their counts; at the end the lists of single
/// characters and pairs are derived from those counts, and every count becomes a weight.
struct Builder {
    first: u32,
    terms: Terms,
    postings: FxMap<Key, Postings>,
    words: FxMap<Key, Box<str>>,
    /// Each record's row in `weights`.
    rows: Vec<u16>,
    weights: Weights,
}

impl Builder {
    fn new(first: u32) -> Builder {
        Builder {
            first,
            terms: Terms::default(),
            postings: FxMap::default(),
            words: FxMap::default(),
            rows: Vec::new(),
            weights: Weights::default(),
        }
    }

    /// Indexes the next record.
    fn add(&mut self, record: &Record) {
        let id = self.first + self.rows.len() as u32;
        let postings = &mut self.postings;
        let norm = self
            .terms
            .analyse(record, &mut self.words, |key, count, positions| {
                postings
                    .entry(key)
                    .or_default()
                    .push_count(id, count, positions);
            });
        let row = self.weights.row(norm);
        self.rows.push(row);
    }

    /// The records' postings, weighted, and the texts of their words.
    ///
    /// A single character's or a pair's count in a record is the sum of the counts of the
    /// terms holding it ([`holdings`]). The lists are read by the character they hold, each
    /// four-character term's once (it holds one character): the counts are added up in an
    /// array by record, and each derived list is written from the array, in record order, at
    /// once. This replaces counting and listing two terms for every character of the text.
    fn finish(self) -> (FxMap<Key, Postings>, FxMap<Key, Box<str>>) {
        let Builder {
            first,
            postings,
            words,
            rows,
            mut weights,
            ..
        } = self;
        let mut lists: Vec<(Key, Postings)> = postings.into_iter().collect();
        let mut holds: Vec<(char, Option<char>, u32)> = Vec::new();
        for (k, (key, _)) in lists.iter().enumerate() {
            holdings(*key, &words, |c, next| holds.push((c, next, k as u32)));
        }
        holds.sort_unstable();
        let mut single = Tally::new(rows.len());
        let mut pair = Tally::new(rows.len());
        let mut derived: Vec<(Key, Postings)> = Vec::new();
        for by_char in holds.chunk_by(|a, b| a.0 == b.0) {
            let c = by_char[0].0;
            for by_pair in by_char.chunk_by(|a, b| a.1 == b.1) {
                let next = by_pair[0].1;
                for &(_, _, k) in by_pair {
                    let (key, list) = &mut lists[k as usize];
                    if next.is_some() {
                        for (record, count) in list.counts() {
                            let k = (record - first) as usize;
                            single.add(k, count);
                            pair.add(k, count);
                        }
                    } else {
                        for (record, count) in list.counts() {
                            single.add((record - first) as usize, count);
                        }
                    }
                    // Read for the last time, while it is in the cache.
                    if has_positions(*key) {
                        list.weigh(first, &rows, &mut weights);
                    }
                }
                if let Some(next) = next {
                    let list = pair.take(first, &rows, &mut weights);
                    derived.push((Token::Bi(c, next).key(), list));
                }
            }
            derived.push((Token::Uni(c).key(), single.take(first, &rows, &mut weights)));
        }
        let mut postings = FxMap::default();
        postings.reserve(lists.len() + derived.len());
        for (key, mut list) in lists {
            if is_tail(key) {
                continue;
            }
            if !has_positions(key) {
                list.weigh(first, &rows, &mut weights);
            }
            postings.insert(key, list);
        }
        postings.extend(derived);
        (postings, words)
    }
}

/// Where `key` starts its search in a table of `mask + 1` slots: the top bits of a
/// multiplicative hash (the low bits of a key are its last character).
#[inline(always)]
fn home(key: Key, mask: usize) -> usize {
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize & mask
}

/// A record's length in steps of about 5%, so that a small edit (a sentence added) leaves
/// the weights of its other terms, and so the shards holding them, unchanged.
fn rounded_length(length: u32) -> f64 {
    let step = 1.05f64.ln();
    (f64::from(length.max(1)).ln() / step)
        .round()
        .mul_add(step, 0.0)
        .exp()
}

/// BM25's term-frequency part (k1 = 1.2), scaled to 1–255.
fn bm25_weight(frequency: u32, norm: f64) -> u8 {
    const K1: f64 = 1.2;
    let tf = f64::from(frequency);
    let score = tf * (K1 + 1.0) / (tf + K1 * norm);
    (score / (K1 + 1.0) * 255.0).round().clamp(1.0, 255.0) as u8
}

/// What the index keeps of a record once its text is indexed.
#[derive(Debug, Clone, PartialEq)]
struct Entry {
    url: String,
    title: String,
    kind: &'static str,
    owner: String,
    excerpt: String,
    /// A hash of everything indexed, to tell an unchanged record after an edit elsewhere:
    /// only in an index that will be edited ([`Index::editable`]; `None` never equals a new
    /// entry's, so such a record is always indexed again).
    digest: Option<blake3::Hash>,
}

impl Entry {
    /// The entry of a record about to be indexed, with its digest.
    fn of(record: &Record) -> Entry {
        Entry {
            url: record.url.clone(),
            title: record.title.clone(),
            kind: record.kind,
            owner: record.owner.clone(),
            excerpt: record.excerpt_text(),
            digest: Some(digest(record)),
        }
    }

    /// The entry of an indexed record, which it consumes: its digest only if wanted.
    fn keeping(record: Record, digested: bool) -> Entry {
        Entry {
            excerpt: record.excerpt_text(),
            digest: digested.then(|| digest(&record)),
            url: record.url,
            title: record.title,
            kind: record.kind,
            owner: record.owner,
        }
    }
}

fn digest(record: &Record) -> blake3::Hash {
    let mut hasher = blake3::Hasher::new();
    for (field, text) in &record.fields {
        hasher.update(&[*field as u8]);
        hasher.update(&(text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    // The title, then the shown excerpt or a mark of its absence, each after its length.
    for text in [Some(&record.title), record.excerpt.as_ref()] {
        match text {
            Some(text) => hasher
                .update(&(text.len() as u64).to_le_bytes())
                .update(text.as_bytes()),
            None => hasher.update(&u64::MAX.to_le_bytes()),
        };
    }
    hasher.finalize()
}

/// The search index of a site, kept in memory by `pufa serve` between edits.
pub struct Index {
    entries: Vec<Entry>,
    postings: FxMap<Key, Postings>,
    /// The texts of the words among the keys.
    words: FxMap<Key, Box<str>>,
    synonyms: Vec<(String, Vec<String>)>,
    /// The file names last written, and what changed since: so that after an edit only the
    /// shards holding the changed terms are encoded again.
    written: Option<Names>,
    dirty_keys: std::collections::HashSet<Key>,
    dirty_records: std::collections::BTreeSet<usize>,
    /// The keys of each record's terms, made at the first [`Index::replace`] (only `pufa
    /// serve` replaces records), so that an edit touches only the terms of its records.
    record_terms: Option<Vec<Vec<Key>>>,
    /// Each term's [`shard_hash`] (which shard holds it), kept from the first write of
    /// changes on, so that finding the terms of a few shards costs no text of every term.
    term_hashes: FxMap<Key, u32>,
}

/// The files of a bundle: (path under the output root, bytes).
pub type Files = Vec<(String, Vec<u8>)>;

/// One part of the index, built from a run of records on one thread.
struct Part {
    postings: FxMap<Key, Postings>,
    words: FxMap<Key, Box<str>>,
    /// The records' entries, in order.
    entries: Vec<Entry>,
}

impl Part {
    /// Indexes `records`, the first of which has the id `first`, and keeps what the bundle
    /// needs of each (with its digest if `digested`).
    fn of(first: usize, records: Vec<Record>, digested: bool) -> Part {
        let mut builder = Builder::new(first as u32);
        let mut entries = Vec::with_capacity(records.len());
        for record in records {
            builder.add(&record);
            entries.push(Entry::keeping(record, digested));
        }
        let (postings, words) = builder.finish();
        Part {
            postings,
            words,
            entries,
        }
    }
}

/// How many parts of about equal text each thread indexes: one part a thread would leave a
/// thread idle whenever the other is busy with another step of the build (the index is built
/// beside the list and feed steps), or when one kind's records are longer than another's.
const PARTS_PER_THREAD: usize = 2;

/// The records split into runs of about the same amount of text, in order.
fn runs(records: &[Record]) -> Vec<std::ops::Range<usize>> {
    let size = |r: &Record| r.fields.iter().map(|(_, t)| t.len() + 1).sum::<usize>();
    let total: usize = records.iter().map(size).sum();
    let parts = rayon::current_num_threads() * PARTS_PER_THREAD;
    // A part below 64 KB of text is not worth its own table of terms.
    let share = total.div_ceil(parts).max(64 * 1024);
    let mut runs = Vec::with_capacity(parts);
    let (mut start, mut filled) = (0, 0);
    for (k, record) in records.iter().enumerate() {
        filled += size(record);
        if filled >= share {
            runs.push(start..k + 1);
            (start, filled) = (k + 1, 0);
        }
    }
    if start < records.len() {
        runs.push(start..records.len());
    }
    runs
}

/// What the parts of an index make together.
struct Merged {
    postings: FxMap<Key, Postings>,
    words: FxMap<Key, Box<str>>,
    entries: Vec<Entry>,
}

/// The parts of an index, in record order, as one.
fn merge(parts: Vec<Part>) -> Merged {
    let mut parts = parts.into_iter();
    let Some(first) = parts.next() else {
        return Merged {
            postings: FxMap::default(),
            words: FxMap::default(),
            entries: Vec::new(),
        };
    };
    let Part {
        postings: mut all,
        mut words,
        mut entries,
    } = first;
    for part in parts {
        entries.extend(part.entries);
        for (key, postings) in part.postings {
            match all.get_mut(&key) {
                Some(existing) => existing.append(postings),
                None => {
                    all.insert(key, postings);
                }
            }
        }
        words.extend(part.words);
    }
    Merged {
        postings: all,
        words,
        entries,
    }
}

/// The keys of each record's terms, from the postings: the records are counted first, so
/// that each list is made at its size.
fn terms_of_records(postings: &FxMap<Key, Postings>, records: usize) -> Vec<Vec<Key>> {
    fn ids(list: &Postings) -> impl Iterator<Item = usize> + '_ {
        let (mut at, mut id) = (0, 0);
        (0..list.count).map(move |_| {
            id += read_varint(&list.docs, &mut at) as usize;
            at += 1;
            id
        })
    }
    let mut counts = vec![0usize; records];
    for list in postings.values() {
        for id in ids(list) {
            if let Some(count) = counts.get_mut(id) {
                *count += 1;
            }
        }
    }
    let mut terms: Vec<Vec<Key>> = counts.into_iter().map(Vec::with_capacity).collect();
    for (&key, list) in postings {
        for id in ids(list) {
            if let Some(keys) = terms.get_mut(id) {
                keys.push(key);
            }
        }
    }
    terms
}

impl Index {
    /// Indexes `records` (in parallel). Records are ordered by kind, then URL, so that each
    /// kind is a range of ids.
    pub fn new(records: Vec<Record>, synonyms: Vec<(String, Vec<String>)>) -> Index {
        Index::build(records, synonyms, false)
    }

    /// [`Index::new`] for an index that [`Index::replace`] will edit (`pufa serve`): it also
    /// keeps a digest of each record, so that an edit re-indexes only the records it changed.
    pub fn editable(records: Vec<Record>, synonyms: Vec<(String, Vec<String>)>) -> Index {
        Index::build(records, synonyms, true)
    }

    fn build(
        mut records: Vec<Record>,
        synonyms: Vec<(String, Vec<String>)>,
        digested: bool,
    ) -> Index {
        records.sort_by(|a, b| (a.kind, &a.url).cmp(&(b.kind, &b.url)));
        records.dedup_by(|a, b| a.url == b.url);
        // Each part owns its records and drops each once indexed, so that the pages' text and
        // their postings are not all in memory at once.
        let mut chunks: Vec<(usize, Vec<Record>)> = Vec::new();
        for run in runs(&records).into_iter().rev() {
            chunks.push((run.start, records.split_off(run.start)));
        }
        let parts: Vec<Part> = chunks
            .into_par_iter()
            .rev()
            .map(|(first, records)| Part::of(first, records, digested))
            .collect();
        let Merged {
            postings,
            words,
            entries,
        } = merge(parts);
        Index {
            entries,
            postings,
            words,
            synonyms,
            written: None,
            dirty_keys: Default::default(),
            dirty_records: Default::default(),
            record_terms: None,
            term_hashes: Default::default(),
        }
    }

    /// How many records (results) the index holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether it holds no record.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Lists each record's terms, which [`Index::replace`] needs to know what an edit takes
    /// away (the first `replace` does it otherwise). `pufa serve` calls it while no one is
    /// editing yet, so that the first save is as quick as the others.
    pub fn prepare_replace(&mut self) {
        if self.record_terms.is_none() {
            self.record_terms = Some(terms_of_records(&self.postings, self.entries.len()));
        }
    }

    /// Replaces the records of `owner` by `records` when they are the same results (same
    /// URLs and kinds, and so the same ids) with new text; returns `false`, changing
    /// nothing, otherwise (the caller then builds a new index).
    pub fn replace(&mut self, owner: &str, records: Vec<Record>) -> bool {
        let ids: Vec<usize> = (0..self.entries.len())
            .filter(|&i| self.entries[i].owner == owner)
            .collect();
        let same = ids.len() == records.len()
            && ids.iter().zip(&records).all(|(&i, new)| {
                self.entries[i].url == new.url && self.entries[i].kind == new.kind
            });
        if !same {
            return false;
        }
        // The records that changed, each with its new entry (made, and hashed, once).
        let changed: Vec<(usize, Entry, Record)> = ids
            .into_iter()
            .zip(records)
            .map(|(i, record)| (i, Entry::of(&record), record))
            .filter(|(i, entry, _)| *entry != self.entries[*i])
            .collect();
        if changed.is_empty() {
            return true;
        }
        let ids: Vec<usize> = changed.iter().map(|(i, _, _)| *i).collect();
        // The new entries of every term the records now have.
        let mut new: NewPostings = FxMap::default();
        for (i, entry, record) in changed {
            let mut builder = Builder::new(i as u32);
            builder.add(&record);
            let (postings, words) = builder.finish();
            for (key, list) in postings {
                new.entry(key).or_default().extend(list.decode());
            }
            self.words.extend(words);
            self.entries[i] = entry;
        }
        self.dirty_records.extend(ids.iter().copied());
        // Terms the records had and terms they have now.
        let postings = &self.postings;
        let record_terms = self
            .record_terms
            .get_or_insert_with(|| terms_of_records(postings, self.entries.len()));
        let mut keys: Vec<Key> = ids
            .iter()
            .flat_map(|&i| std::mem::take(&mut record_terms[i]))
            .collect();
        keys.extend(new.keys().copied());
        keys.sort_unstable();
        keys.dedup();
        for (&key, list) in &new {
            for (i, _, _) in list {
                record_terms[*i as usize].push(key);
            }
        }
        self.set_postings(keys, &ids, &new);
        true
    }

    /// Sets the entries of `ids` in the postings of each of `keys` to what `new` says (none
    /// when a record no longer has the term), marking the terms that changed.
    fn set_postings(&mut self, keys: Vec<Key>, ids: &[usize], new: &NewPostings) {
        for key in keys {
            let postings = self.postings.entry(key).or_default();
            let before = postings.clone();
            for &i in ids {
                let entry = new
                    .get(&key)
                    .and_then(|list| list.iter().find(|(r, _, _)| *r == i as u32))
                    .map(|(_, weight, positions)| (*weight, positions.as_slice()));
                postings.set(i as u32, entry);
            }
            if *postings != before {
                self.dirty_keys.insert(key);
            }
            if postings.count == 0 {
                self.postings.remove(&key);
                self.words.remove(&key);
                self.term_hashes.remove(&key);
            }
        }
    }

    /// Whether some record could match `word`: every term it needs is in the index (for
    /// checking that a synonym leads somewhere).
    pub fn knows(&self, word: &str) -> bool {
        let mut needed = Vec::new();
        tokenize(word, 0, |token, _| {
            needed.push((token.key(), matches!(token, Token::Tri(..))))
        });
        let starts_a_term = |key: Key| {
            let three = self.text(key);
            self.postings
                .keys()
                .any(|&k| has_positions(k) && self.text(k).starts_with(&three))
        };
        !needed.is_empty()
            && needed.iter().all(|&(key, three)| {
                self.postings.contains_key(&key) || three && starts_a_term(key)
            })
    }

    fn text(&self, key: Key) -> String {
        han_text(key).unwrap_or_else(|| {
            self.words
                .get(&key)
                .map_or_else(String::new, |w| w.to_string())
        })
    }

    /// The bundle's files, `folder` being its place under the output root (`search`).
    pub fn files(&mut self, folder: &str) -> Files {
        let files = std::sync::Mutex::new(Files::new());
        let _ = self.write_files(folder, &|path, bytes| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, bytes));
            Ok::<(), ()>(())
        });
        let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
        // The manifest last, so that it never names a file not yet written.
        files.sort_by(|a, b| {
            (a.0.ends_with("/index.json"), &a.0).cmp(&(b.0.ends_with("/index.json"), &b.0))
        });
        files
    }

    /// Encodes the bundle's files in parallel and hands each to `sink` as soon as it is made
    /// (so that a large index is never in memory twice); the manifest comes last. Every
    /// error `sink` returns is collected.
    pub fn write_files<E: Send>(
        &mut self,
        folder: &str,
        sink: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
    ) -> Vec<E> {
        let shards = self.shard_count();
        let every: Vec<usize> = (0..shards).collect();
        let chunks: Vec<usize> = (0..self.entries.len().div_ceil(CHUNK)).collect();
        let mut names = Names {
            shards,
            docs: vec![String::new(); shards],
            positions: vec![String::new(); shards],
            meta: vec![String::new(); chunks.len()],
        };
        let errors = self.encode(folder, &every, &chunks, &mut names, sink);
        self.written = Some(names);
        self.dirty_keys.clear();
        self.dirty_records.clear();
        errors
    }

    /// Writes only what changed since the last write (the shards of changed terms, the
    /// metadata of changed records) and the manifest; everything when the shard count changed.
    pub fn write_changes<E: Send>(
        &mut self,
        folder: &str,
        sink: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
    ) -> Vec<E> {
        let shards = self.shard_count();
        let Some(mut names) = self.written.take().filter(|n| n.shards == shards) else {
            return self.write_files(folder, sink);
        };
        let mut dirty: Vec<usize> = self
            .dirty_keys
            .iter()
            .map(|&key| shard_hash(key, &self.text(key)) as usize % shards)
            .collect();
        dirty.sort_unstable();
        dirty.dedup();
        let keys: Vec<Key> = if self.term_hashes.is_empty() {
            self.postings.keys().copied().collect()
        } else {
            self.dirty_keys.iter().copied().collect()
        };
        for key in keys {
            if self.postings.contains_key(&key) && !self.term_hashes.contains_key(&key) {
                let text = han_text(key).unwrap_or_else(|| {
                    self.words
                        .get(&key)
                        .map_or_else(String::new, |w| w.to_string())
                });
                self.term_hashes.insert(key, shard_hash(key, &text));
            }
        }
        let mut chunks: Vec<usize> = self.dirty_records.iter().map(|id| id / CHUNK).collect();
        chunks.dedup();
        let errors = self.encode(folder, &dirty, &chunks, &mut names, sink);
        self.written = Some(names);
        self.dirty_keys.clear();
        self.dirty_records.clear();
        errors
    }

    /// Every file name of the bundle as last written.
    pub fn paths(&self, folder: &str) -> std::collections::BTreeSet<String> {
        let Some(names) = &self.written else {
            return Default::default();
        };
        let mut paths: std::collections::BTreeSet<String> = (0..names.shards)
            .flat_map(|s| {
                [
                    format!("{folder}/d{s}.{}.bin", names.docs[s]),
                    format!("{folder}/p{s}.{}.bin", names.positions[s]),
                ]
            })
            .collect();
        paths.extend(
            names
                .meta
                .iter()
                .enumerate()
                .map(|(c, hash)| format!("{folder}/m{c}.{hash}.json")),
        );
        paths.insert(format!("{folder}/index.json"));
        paths
    }

    /// Encodes the given shards and metadata chunks in parallel, hands each file to `sink`,
    /// updates `names`, then writes the manifest.
    fn encode<E: Send>(
        &self,
        folder: &str,
        shards: &[usize],
        chunks: &[usize],
        names: &mut Names,
        sink: &(dyn Fn(String, Vec<u8>) -> Result<(), E> + Sync),
    ) -> Vec<E> {
        let count = names.shards;
        let mut wanted = vec![false; count];
        for &shard in shards {
            wanted[shard] = true;
        }
        let mut by_shard: Vec<Vec<(String, &Postings)>> = vec![Vec::new(); count];
        for (&key, postings) in &self.postings {
            let (text, hash) = match self.term_hashes.get(&key) {
                Some(&hash) => (None, hash),
                None => {
                    let text = self.text(key);
                    let hash = shard_hash(key, &text);
                    (Some(text), hash)
                }
            };
            let shard = hash as usize % count;
            if wanted[shard] {
                let text = text.unwrap_or_else(|| self.text(key));
                by_shard[shard].push((text, postings));
            }
        }
        let mut errors = Vec::new();
        let encoded: Vec<EncodedShard<E>> = shards
            .par_iter()
            .map(|&shard| {
                let mut terms = by_shard[shard].clone();
                terms.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let (docs, positions) = encode_shard(&terms);
                let (d, p) = (hash(&docs), hash(&positions));
                let written = [
                    sink(format!("{folder}/d{shard}.{d}.bin"), docs),
                    sink(format!("{folder}/p{shard}.{p}.bin"), positions),
                ];
                (shard, d, p, written)
            })
            .collect();
        for (shard, d, p, written) in encoded {
            names.docs[shard] = d;
            names.positions[shard] = p;
            errors.extend(written.into_iter().filter_map(Result::err));
        }
        names
            .meta
            .resize(self.entries.len().div_ceil(CHUNK), String::new());
        let meta: Vec<(usize, String, Result<(), E>)> = chunks
            .par_iter()
            .map(|&chunk| {
                let end = ((chunk + 1) * CHUNK).min(self.entries.len());
                let bytes = metadata(&self.entries[chunk * CHUNK..end]);
                let name = hash(&bytes);
                let written = sink(format!("{folder}/m{chunk}.{name}.json"), bytes);
                (chunk, name, written)
            })
            .collect();
        for (chunk, name, written) in meta {
            names.meta[chunk] = name;
            errors.extend(written.err());
        }
        errors.extend(sink(format!("{folder}/index.json"), self.manifest(names)).err());
        errors
    }

    /// A power of two, so that shards split evenly as the site grows.
    fn shard_count(&self) -> usize {
        let bytes: usize = self.postings.values().map(|p| p.docs.len() + 8).sum();
        (bytes / SHARD_BYTES).max(1).next_power_of_two().min(4096)
    }

    fn manifest(&self, names: &Names) -> Vec<u8> {
        let mut kinds: Vec<KindRange> = Vec::new();
        for (id, record) in self.entries.iter().enumerate() {
            match kinds.last_mut() {
                Some(last) if last.name == record.kind => last.end = id + 1,
                _ => kinds.push(KindRange {
                    name: record.kind,
                    start: id,
                    end: id + 1,
                }),
            }
        }
        let manifest = Manifest {
            version: 1,
            records: self.entries.len(),
            shards: names.shards,
            chunk: CHUNK,
            kinds,
            docs: names.docs.concat(),
            positions: names.positions.concat(),
            meta: names.meta.concat(),
            synonyms: &self.synonyms,
        };
        serde_json::to_vec(&manifest).unwrap_or_default()
    }
}

/// One shard as encoded: its number, the hashes of its two files, and how writing them went.
type EncodedShard<E> = (usize, String, String, [Result<(), E>; 2]);

#[derive(Default, Clone)]
struct Names {
    shards: usize,
    docs: Vec<String>,
    positions: Vec<String>,
    meta: Vec<String>,
}

#[derive(Serialize)]
struct KindRange {
    name: &'static str,
    start: usize,
    end: usize,
}

/// `index.json`. File names are `<letter><number>.<hash>`; the hashes of each kind of file are
/// concatenated ([`HASH_LEN`] characters each) to keep the manifest small.
#[derive(Serialize)]
struct Manifest<'a> {
    version: u32,
    records: usize,
    shards: usize,
    chunk: usize,
    kinds: Vec<KindRange>,
    docs: String,
    positions: String,
    meta: String,
    synonyms: &'a [(String, Vec<String>)],
}

/// Hex characters of a file's content hash in its name.
pub const HASH_LEN: usize = 8;

fn hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..HASH_LEN].to_string()
}

/// A shard's two files. Each term: its UTF-8 length and bytes, the length of its block, the
/// block. Documents block: count, then (record id delta, weight) per record. Positions block:
/// per record, the count and the position deltas.
fn encode_shard(terms: &[(String, &Postings)]) -> (Vec<u8>, Vec<u8>) {
    // Each file made at its size: the text and the blocks, and at most 15 bytes of lengths.
    let size = |block: fn(&Postings) -> usize| -> usize {
        terms
            .iter()
            .map(|(text, p)| text.len() + block(p) + 15)
            .sum()
    };
    let mut docs = Vec::with_capacity(size(|p| p.docs.len()));
    let mut positions = Vec::with_capacity(size(|p| p.positions.len()));
    let mut count = Vec::with_capacity(5);
    for (text, postings) in terms {
        count.clear();
        varint(&mut count, postings.count);
        entry(&mut docs, text, &[&count, &postings.docs]);
        if !postings.positions.is_empty() {
            entry(&mut positions, text, &[&postings.positions]);
        }
    }
    (docs, positions)
}

/// One term of a shard file: the text's length and bytes, then the block's length and the
/// block (the pieces one after the other).
fn entry(out: &mut Vec<u8>, text: &str, block: &[&[u8]]) {
    varint(out, text.len() as u32);
    out.extend_from_slice(text.as_bytes());
    varint(
        out,
        block.iter().map(|piece| piece.len()).sum::<usize>() as u32,
    );
    for piece in block {
        out.extend_from_slice(piece);
    }
}

/// LEB128: seven bits a byte, low first.
fn varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// `[[url, title, kind, excerpt text], …]` of a few records.
fn metadata(entries: &[Entry]) -> Vec<u8> {
    let rows: Vec<(&str, &str, &str, &str)> = entries
        .iter()
        .map(|e| (e.url.as_str(), e.title.as_str(), e.kind, e.excerpt.as_str()))
        .collect();
    serde_json::to_vec(&rows).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(url: &str, title: &str, body: &str) -> Record {
        Record {
            url: url.into(),
            title: title.into(),
            kind: "动态",
            owner: format!("{url}.md"),
            fields: vec![(Field::Title, title.into()), (Field::Body, body.into())],
            excerpt: None,
        }
    }

    /// Decodes a documents shard back into (term, [(record, weight)]).
    fn read_docs(bytes: &[u8]) -> Vec<(String, Vec<(u32, u8)>)> {
        let mut at = 0;
        let mut out = Vec::new();
        while at < bytes.len() {
            let len = read_varint(bytes, &mut at) as usize;
            let text = String::from_utf8(bytes[at..at + len].to_vec()).unwrap();
            at += len;
            let block_len = read_varint(bytes, &mut at) as usize;
            let end = at + block_len;
            let count = read_varint(bytes, &mut at);
            let mut record = 0;
            let mut postings = Vec::new();
            for _ in 0..count {
                record += read_varint(bytes, &mut at);
                postings.push((record, bytes[at]));
                at += 1;
            }
            assert_eq!(at, end, "block length of {text}");
            out.push((text, postings));
        }
        out
    }

    fn all_docs(files: &Files) -> HashMap<String, Vec<(u32, u8)>> {
        files
            .iter()
            .filter(|(name, _)| name.starts_with("search/d"))
            .flat_map(|(_, bytes)| read_docs(bytes))
            .collect()
    }

    #[test]
    fn postings_append_and_decode_across_parts() {
        let mut a = Postings::default();
        a.push(3, 10, &[1, 5]);
        a.push(200, 20, &[7]);
        let mut b = Postings::default();
        b.push(201, 30, &[0, 300]);
        b.push(5000, 40, &[9]);
        a.append(b);
        let list = a.decode();
        assert_eq!(
            list,
            [
                (3, 10, vec![1, 5]),
                (200, 20, vec![7]),
                (201, 30, vec![0, 300]),
                (5000, 40, vec![9])
            ]
        );
        assert_eq!(Postings::encode(&list), a);
        assert!(a.has(201) && !a.has(202) && !a.has(6000));
        // Edits in place give what encoding the edited list gives.
        let mut edited = list.clone();
        for (record, entry) in [
            (200, None),
            (201, Some((31, vec![1]))),
            (1, Some((5, vec![2, 3]))),
            (6000, Some((6, vec![4]))),
            (4000, Some((7, vec![5]))),
            (6000, None),
            (3, None),
        ] {
            edited.retain(|(r, _, _)| *r != record);
            if let Some((weight, positions)) = &entry {
                let at = edited.partition_point(|(r, _, _)| *r < record);
                edited.insert(at, (record, *weight, positions.clone()));
            }
            a.set(record, entry.as_ref().map(|(w, p)| (*w, p.as_slice())));
            assert_eq!(a, Postings::encode(&edited), "after setting {record}");
        }
    }

    #[test]
    fn varints_are_leb128() {
        let mut out = Vec::new();
        for n in [0, 1, 127, 128, 300, u32::MAX] {
            varint(&mut out, n);
        }
        assert_eq!(
            out,
            [0, 1, 127, 0x80, 1, 0xac, 2, 0xff, 0xff, 0xff, 0xff, 0x0f]
        );
    }

    #[test]
    fn shards_hold_each_term_once_with_its_records_in_order() {
        let mut index = Index::new(
            vec![
                record("/b/", "离婚纠纷", "调解"),
                record("/a/", "调解", "离 婚"),
            ],
            Vec::new(),
        );
        let docs = all_docs(&index.files("search"));
        // Records are sorted by URL: /a/ is 0, /b/ is 1.
        assert_eq!(docs["离婚"].iter().map(|p| p.0).collect::<Vec<_>>(), [1]);
        assert_eq!(docs["调解"].iter().map(|p| p.0).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(docs["离"].len(), 2);
        // A title match weighs more than a body match.
        assert!(docs["调解"][0].1 > docs["调解"][1].1, "{:?}", docs["调解"]);
    }

    #[test]
    fn a_record_keeps_every_position_of_a_term_in_order_and_every_count() {
        // 法律援助 three times in the body (the title is field 0: the body starts at 5), once
        // in the title; 援助 four times, 法 five.
        let body = "法律援助，申请法律援助。法律援助中心在法院";
        let index = Index::new(vec![record("/a/", "法律援助", body)], Vec::new());
        let quad = Token::Quad('法', '律', '援', '助').key();
        let decoded = index.postings[&quad].decode();
        let title = "法律援助".chars().count() as u32 + 1;
        let starts: Vec<u32> = [0, 7, 12].iter().map(|p| p + title).collect();
        assert_eq!(decoded.len(), 1);
        assert_eq!(decoded[0].2, [&[0][..], &starts].concat());
        // Terms without positions keep none, and each count weighs: 法 (5) above 院 (1).
        let weight = |token: Token| {
            let list = index.postings[&token.key()].decode();
            assert!(list[0].2.is_empty());
            list[0].1
        };
        assert!(weight(Token::Uni('法')) > weight(Token::Uni('院')));
        assert!(weight(Token::Bi('援', '助')) > weight(Token::Bi('在', '法')));
        // The same record indexed twice (the table of the first reused) gives the same lists.
        let twice = Index::new(
            vec![
                record("/a/", "法律援助", body),
                record("/b/", "法律援助", body),
            ],
            Vec::new(),
        );
        let both = twice.postings[&quad].decode();
        assert_eq!(both[0].2, both[1].2);
        assert_eq!(both[0].1, both[1].1);
    }

    #[test]
    fn single_characters_and_pairs_derived_from_fours_and_tails_are_counted_exactly() {
        // Runs of every length from one to seven, repeated characters and pairs, characters
        // outside the common block (〇, 㐀: a hashed four-character term), in fields of
        // different weights, and a Latin word between two runs.
        let mut detail = record("/c/", "调解", "调 解 调解调解，调解员");
        detail
            .fields
            .insert(1, (Field::Summary, "人民调解委员会".into()));
        detail
            .fields
            .insert(2, (Field::Detail, "〇㐀调解〇 GB/T 调解".into()));
        let records = vec![
            record(
                "/a/",
                "法",
                "法 法律 法律援 法律援助 法律援助中 法律援助中心 法律援助中心站",
            ),
            record("/b/", "法法法", "法法法法法，律师在法院法院；法"),
            detail,
        ];
        let index = Index::new(records.clone(), Vec::new());
        // What counting every occurrence of every term gives.
        let mut expected: HashMap<Key, Vec<(u32, u8, Vec<u32>)>> = HashMap::new();
        for (id, record) in records.iter().enumerate() {
            let (mut counts, mut positions) = (HashMap::<Key, u32>::new(), HashMap::new());
            let (mut offset, mut length) = (0, 0);
            for (field, text) in &record.fields {
                tokenize(text, offset, |token, p| {
                    *counts.entry(token.key()).or_default() += field.weight();
                    if has_positions(token.key()) {
                        positions
                            .entry(token.key())
                            .or_insert_with(Vec::new)
                            .push(p);
                    }
                });
                let chars = text.chars().count() as u32;
                length += chars * field.weight().min(2);
                offset += chars + 1;
            }
            let norm = 1.0 - 0.5 + 0.5 * rounded_length(length) / REFERENCE_LENGTH;
            for (key, count) in counts {
                let at = positions.remove(&key).unwrap_or_default();
                let list = expected.entry(key).or_default();
                list.push((id as u32, bm25_weight(count, norm), at));
            }
        }
        assert!(expected.contains_key(&Token::Uni('〇').key()));
        assert!(expected.contains_key(&Token::Bi('律', '师').key()));
        assert_eq!(index.postings.len(), expected.len());
        for (key, mut list) in expected {
            list.sort();
            let text = index.text(key);
            assert_eq!(index.postings[&key].decode(), list, "{text}");
        }
    }

    #[test]
    fn a_record_with_more_terms_than_its_table_holds_keeps_them_all() {
        // 1,500 different characters (4,500 bytes: a table of 8,192 slots), and so about 4,500
        // different terms: the table doubles while the record is counted.
        let body: String = (0..1500u32)
            .filter_map(|k| char::from_u32(0x4e00 + k * 7))
            .collect();
        let index = Index::new(vec![record("/a/", "标题", &body)], Vec::new());
        let mut expected: HashMap<Key, Vec<u32>> = HashMap::new();
        tokenize(&body, 3, |token, p| {
            let list = expected.entry(token.key()).or_default();
            if has_positions(token.key()) {
                list.push(p);
            }
        });
        assert!(expected.len() > 4000, "{}", expected.len());
        for (key, positions) in &expected {
            let list = index.postings[key].decode();
            assert_eq!(list.len(), 1);
            assert_eq!(&list[0].2, positions, "{:?}", han_text(*key));
        }
    }

    #[test]
    fn a_term_is_in_the_shard_its_hash_names() {
        let records: Vec<Record> = (0..3000)
            .map(|i| {
                record(
                    &format!("/p{i}/"),
                    &format!("第{i}号"),
                    &format!("法律援助 a{i} b{}", i * 7),
                )
            })
            .collect();
        let mut index = Index::new(records, Vec::new());
        let files = index.files("search");
        let shards = index.shard_count();
        assert!(shards > 1, "{shards}");
        for (name, bytes) in files.iter().filter(|(n, _)| n.starts_with("search/d")) {
            let shard: usize = name["search/d".len()..]
                .split('.')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            for (text, _) in read_docs(bytes) {
                // A four-character term is placed by its first three characters.
                let chinese = text.chars().all(crate::textsearch::tokens::is_han);
                let placed: String = match text.chars().count() {
                    4 if chinese => text.chars().take(3).collect(),
                    _ => text.clone(),
                };
                let hash = crate::textsearch::tokens::fnv1a(&placed);
                assert_eq!(hash as usize % shards, shard, "{text}");
            }
        }
    }

    #[test]
    fn file_names_carry_content_hashes_and_the_bytes_are_deterministic() {
        let make = || {
            Index::new(
                vec![
                    record("/a/", "法律援助", "申请条件"),
                    record("/b/", "复议", ""),
                ],
                vec![("打官司".into(), vec!["诉讼".into()])],
            )
            .files("search")
        };
        let files = make();
        assert_eq!(files, make());
        for (name, bytes) in &files {
            if name.ends_with("index.json") {
                continue;
            }
            let hash_part = name.rsplit('.').nth(1).unwrap();
            assert_eq!(hash_part, hash(bytes), "{name}");
        }
        let manifest: serde_json::Value = serde_json::from_slice(&files.last().unwrap().1).unwrap();
        assert_eq!(manifest["records"], 2);
        assert_eq!(manifest["synonyms"][0][1][0], "诉讼");
    }

    #[test]
    fn replacing_a_record_gives_the_files_a_new_index_would() {
        let before = vec![
            record("/a/", "调解", "离婚纠纷"),
            record("/b/", "复议", "行政复议申请"),
        ];
        let mut after = before.clone();
        after[1].fields[1].1 = "行政复议的申请期限".into();
        // An index made without digests is edited the same way (each record it is handed is
        // indexed again).
        let mut plain = Index::new(before.clone(), Vec::new());
        assert!(plain.replace("/b/.md", vec![after[1].clone()]));
        assert_eq!(
            plain.files("search"),
            Index::new(after.clone(), Vec::new()).files("search")
        );
        let mut index = Index::editable(before.clone(), Vec::new());
        let original = index.files("search");
        assert!(index.replace("/b/.md", vec![after[1].clone()]));
        assert_eq!(
            index.files("search"),
            Index::new(after.clone(), Vec::new()).files("search")
        );
        // Again, from what the first edit left (the terms each record has are kept from it),
        // with a word another record already has (离婚, in /a/: the scan of postings before
        // missed such terms), and back to the original text.
        let mut again = after.clone();
        again[1].fields[1].1 = "离婚 申请".into();
        assert!(index.replace("/b/.md", vec![again[1].clone()]));
        assert_eq!(
            index.files("search"),
            Index::new(again, Vec::new()).files("search")
        );
        assert!(index.replace("/b/.md", vec![before[1].clone()]));
        assert_eq!(index.files("search"), original);
        // A record that moves is not replaced in place.
        let mut moved = record("/c/", "复议", "");
        moved.owner = "/b/.md".into();
        assert!(!index.replace("/b/.md", vec![moved]));
    }

    #[test]
    fn a_word_is_known_where_its_three_characters_start_a_longer_term() {
        let index = Index::new(vec![record("/a/", "通知", "法律援助中心")], Vec::new());
        // 法律援 and 律援助 are terms only as the start of 法律援助 and 律援助中; 助中心 ends
        // the run.
        for known in ["法律援", "律援助", "助中心", "法律援助中心", "律", "通知"]
        {
            assert!(index.knows(known), "{known}");
        }
        for unknown in ["离婚", "心法", "援律助", "助中心法", ""] {
            assert!(!index.knows(unknown), "{unknown}");
        }
    }

    #[test]
    fn excerpts_leave_out_the_title_and_are_cut() {
        let mut r = record("/a/", "标题", &"长".repeat(1000));
        r.fields.insert(1, (Field::Summary, "摘要".into()));
        let text = r.excerpt_text();
        assert!(text.starts_with("摘要 长"));
        assert_eq!(text.chars().count(), EXCERPT_CHARS);
    }

    #[test]
    fn a_record_s_own_excerpt_is_shown_cut_and_never_indexed() {
        let mut r = record("/a/", "李律师", "瑶峰镇");
        r.excerpt = Some(format!("电话：12348；服务对象：{}", "村".repeat(500)));
        let text = r.excerpt_text();
        assert!(text.starts_with("电话：12348；服务对象：村"), "{text}");
        assert_eq!(text.chars().count(), EXCERPT_CHARS);
        let index = Index::new(vec![r], Vec::new());
        assert!(index.knows("瑶峰镇"));
        for label in ["电话", "服务对象"] {
            assert!(!index.knows(label), "{label}");
        }
    }
}
