//! The fast path for Parquet exports: a file's lines rolled up by the columns a query groups by
//! or tests, with the number columns it adds up summed, read straight from the column chunks.
//!
//! A billing export has millions of lines and, per month, a few thousand distinct combinations
//! of service, usage type, account, resource and tags. The rollup groups on the values as the
//! file stores them (dictionary indices, timestamps, the pairs of a tag map) without building a
//! string per line, one row group per thread (threads to spare read one row group's columns side
//! by side), and hands polars only the groups. The queries of [`super::export`] and
//! [`super::tagged`] then run unchanged on the rolled-up frame. A key a query needs on some
//! lines only ([`Key::only_where`]) is not read in a row group where no line needs it.
//!
//! # Why the queries give the same answer
//! Those queries compute each number as a sum of number columns chosen by conditions on text
//! columns or on the sign of a number (`ListCost > 0`, `BilledCost = 0`). The rollup keeps every
//! text column such a condition reads as a key and splits each group by the sign class (zero,
//! positive, negative, NaN) of every summed column, so within a group every condition has one
//! value, the sum of a group has the sign its lines share, and summing before or after the
//! condition is the same. A null number counts as 0 and a null text as the empty one, as the
//! queries' `fill_null` read them.
//!
//! # What it reads
//! Flat columns (text, timestamps, dates, integers as keys; doubles, floats and integers as
//! sums) and a tag map (`map<string, string>`), in PLAIN or dictionary encoding, data pages v1
//! or v2, with any codec polars reads. Anything else (delta encodings, decimals, other nesting)
//! is [`NotRead::Unsupported`], and the caller scans the file with polars instead; a file that
//! is not valid Parquet is [`NotRead::Invalid`], an error.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use polars::prelude::{Column, DataFrame};
use polars_buffer::Buffer;
use polars_parquet::parquet::encoding::Encoding;
use polars_parquet::parquet::encoding::hybrid_rle::{HybridRleChunk, HybridRleDecoder};
use polars_parquet::parquet::metadata::{ColumnChunkMetadata, FileMetadata};
use polars_parquet::parquet::page::{DataPageHeader, split_buffer};
use polars_parquet::parquet::read::{BasicDecompressor, PageReader, read_metadata};
use polars_parquet::parquet::schema::types::{
    PhysicalType, PrimitiveConvertedType, PrimitiveLogicalType, PrimitiveType, TimeUnit,
};

use super::export::{KEY_SEPARATOR, PAIR_SEPARATOR};
use crate::vocabulary::calendar::date_of_unix_days;

/// Why the rollup did not read a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotRead {
    /// A layout it does not read (an encoding, a type, a nesting): polars scans the file.
    Unsupported(String),
    /// Not valid Parquet (a truncated page, an index past its dictionary, an unknown encoding
    /// number): an error for the user, not a reason to try polars, which may panic on it.
    Invalid(String),
}

impl NotRead {
    /// What was wrong.
    pub fn reason(&self) -> &str {
        match self {
            NotRead::Unsupported(r) | NotRead::Invalid(r) => r,
        }
    }

    /// The same, said of a column.
    fn within(self, column: &str) -> NotRead {
        match self {
            NotRead::Unsupported(r) => NotRead::Unsupported(format!("{column}: {r}")),
            NotRead::Invalid(r) => NotRead::Invalid(format!("{column}: {r}")),
        }
    }
}

type Result<T> = std::result::Result<T, NotRead>;

fn unsupported(what: impl std::fmt::Display) -> NotRead {
    NotRead::Unsupported(what.to_string())
}

fn invalid(what: impl std::fmt::Display) -> NotRead {
    NotRead::Invalid(what.to_string())
}

/// A column to roll up by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    /// The column.
    pub column: String,
    /// When set, the column is needed only on lines where one of these tests holds on an
    /// earlier key's text (elsewhere the query reads it as `""`): a row group where none holds
    /// is not read, and the column reads `""` there.
    pub only_where: Option<Vec<(String, Test)>>,
}

/// A test of a key's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// The text is empty (or null).
    Empty,
    /// The text is this one.
    Is(String),
}

impl Test {
    fn holds(&self, text: &str) -> bool {
        match self {
            Test::Empty => text.is_empty(),
            Test::Is(t) => text == t,
        }
    }
}

/// Rolls a Parquet file up: one row per distinct combination of the `keys` columns (as text:
/// `""` for null; a tag map as `key␝value` pairs joined by `␟`) and of the sign of each `sums`
/// column, with `sums` summed (null as 0). The frame's columns are the keys then the sums, named
/// as in the file. A column the file lacks is left out.
pub fn rollup(path: &Path, keys: &[Key], sums: &[String]) -> Result<DataFrame> {
    let mut file = File::open(path).map_err(invalid)?;
    let metadata = read_metadata(&mut file).map_err(invalid)?;
    let plan = Plan::new(&metadata, keys, sums)?;
    let row_groups = metadata.row_groups.len();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    // A thread per row group; threads to spare (fewer row groups than cores, as in an export of
    // a million lines) read a row group's columns side by side.
    let workers = threads.min(row_groups.max(1));
    let helpers = threads / workers - 1;
    let next = AtomicUsize::new(0);
    let mut merged = Merged::new(&plan);
    std::thread::scope(|scope| -> Result<()> {
        let (send, receive) = mpsc::sync_channel::<Result<RowGroupGroups>>(workers);
        for _ in 0..workers {
            let (send, plan, metadata, next) = (send.clone(), &plan, &metadata, &next);
            scope.spawn(move || {
                let mut io = match Io::open(path) {
                    Ok(io) => io,
                    Err(e) => return drop(send.send(Err(e))),
                };
                let mut scratch = Scratch::default();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= metadata.row_groups.len() {
                        return;
                    }
                    let rows = metadata.row_groups[i].num_rows();
                    let columns = metadata.row_groups[i].parquet_columns();
                    let result =
                        plan.roll_row_group(&mut io, &mut scratch, columns, rows, path, helpers);
                    let failed = result.is_err();
                    if send.send(result).is_err() || failed {
                        next.store(usize::MAX / 2, Ordering::Relaxed);
                        return;
                    }
                }
            });
        }
        drop(send);
        for groups in receive {
            merged.add(groups?);
        }
        Ok(())
    })?;
    merged.frame(&plan)
}

/// One requested key: a flat column or a tag map's two leaves.
enum KeySource {
    Flat { leaf: usize, render: Render },
    Map { key_leaf: usize, value_leaf: usize },
}

/// How a flat key column's values become text.
#[derive(Clone, Copy)]
enum Render {
    Text,
    Integer,
    Date,
    Timestamp(TimeUnit),
}

/// The columns a rollup reads, by leaf index.
struct Plan {
    keys: Vec<(String, KeySource)>,
    /// For each key, when it is needed: `None` on every line, else where one of the tests
    /// holds on the key at that index (none: never).
    needed: Vec<Option<Vec<(usize, Test)>>>,
    sums: Vec<(String, usize)>,
}

impl Plan {
    fn new(metadata: &FileMetadata, keys: &[Key], sums: &[String]) -> Result<Plan> {
        let leaves = metadata.schema().columns();
        let under = |name: &str| -> Vec<usize> {
            (0..leaves.len())
                .filter(|&i| leaves[i].path_in_schema.first().map(|p| p.as_str()) == Some(name))
                .collect()
        };
        let mut plan = Plan {
            keys: Vec::new(),
            needed: Vec::new(),
            sums: Vec::new(),
        };
        for key in keys {
            let name = &key.column;
            let found = under(name);
            if !found.is_empty() {
                let needed = key.only_where.as_ref().and_then(|tests| {
                    let mut on = Vec::new();
                    for (column, test) in tests {
                        match plan.keys.iter().position(|(k, _)| k == column) {
                            Some(at) => on.push((at, test.clone())),
                            // A column the file lacks reads as "": a test that holds there
                            // holds on every line.
                            None if test.holds("") => return None,
                            None => {}
                        }
                    }
                    Some(on)
                });
                plan.needed.push(needed);
            }
            match found.as_slice() {
                [] => {}
                [leaf] if leaves[*leaf].path_in_schema.len() == 1 => {
                    let render = render_of(&leaves[*leaf].descriptor.primitive_type)
                        .ok_or_else(|| unsupported(format!("{name}: a key of this type")))?;
                    plan.keys.push((
                        name.clone(),
                        KeySource::Flat {
                            leaf: *leaf,
                            render,
                        },
                    ));
                }
                [k, v]
                    if leaves[*k].path_in_schema.len() == 3
                        && leaves[*v].path_in_schema.len() == 3
                        && leaves[*k].path_in_schema[2] == "key"
                        && leaves[*v].path_in_schema[2] == "value"
                        && leaves[*k].descriptor.max_rep_level == 1
                        && leaves[*v].descriptor.max_rep_level == 1
                        && leaves[*v].descriptor.max_def_level
                            >= leaves[*k].descriptor.max_def_level
                        && [*k, *v].iter().all(|&l| {
                            matches!(
                                render_of(&leaves[l].descriptor.primitive_type),
                                Some(Render::Text)
                            )
                        }) =>
                {
                    plan.keys.push((
                        name.clone(),
                        KeySource::Map {
                            key_leaf: *k,
                            value_leaf: *v,
                        },
                    ));
                }
                _ => return Err(unsupported(format!("{name}: nested other than a map"))),
            }
        }
        for name in sums {
            match under(name).as_slice() {
                [] => {}
                [leaf]
                    if leaves[*leaf].path_in_schema.len() == 1
                        && is_plain_number(&leaves[*leaf].descriptor.primitive_type) =>
                {
                    plan.sums.push((name.clone(), *leaf));
                }
                _ => return Err(unsupported(format!("{name}: not a plain number"))),
            }
        }
        Ok(plan)
    }

    /// Decodes the planned columns of one row group, with `helpers` more threads, and groups
    /// its rows.
    fn roll_row_group(
        &self,
        io: &mut Io,
        scratch: &mut Scratch,
        columns: &[ColumnChunkMetadata],
        rows: usize,
        path: &Path,
        helpers: usize,
    ) -> Result<RowGroupGroups> {
        scratch.keys.resize_with(self.keys.len(), Vec::new);
        scratch.sums.resize_with(self.sums.len(), Vec::new);
        let mut texts: Vec<Vec<String>> = vec![Vec::new(); self.keys.len()];
        // The columns every line needs, shared out by compressed size between this thread and
        // the helpers.
        let mut lanes: Vec<(u64, Vec<Output<'_>>)> =
            (0..=helpers).map(|_| (0, Vec::new())).collect();
        let size = |leaf: usize| columns[leaf].compressed_size().max(0) as u64;
        let mut outputs: Vec<(u64, Output<'_>)> = Vec::new();
        for (j, ids) in scratch.keys.iter_mut().enumerate() {
            if self.needed[j].is_none() {
                let cost = match self.keys[j].1 {
                    KeySource::Flat { leaf, .. } => size(leaf),
                    KeySource::Map {
                        key_leaf,
                        value_leaf,
                    } => size(key_leaf) + size(value_leaf),
                };
                outputs.push((cost, Output::Key(j, ids)));
            }
        }
        for (j, values) in scratch.sums.iter_mut().enumerate() {
            outputs.push((size(self.sums[j].1), Output::Sum(j, values)));
        }
        outputs.sort_by_key(|(cost, _)| std::cmp::Reverse(*cost));
        for (cost, output) in outputs {
            let lane = lanes
                .iter_mut()
                .min_by_key(|(load, _)| *load)
                .expect("one lane at least");
            lane.0 += cost;
            lane.1.push(output);
        }
        let mut lanes = lanes.into_iter().map(|(_, outputs)| outputs);
        let mine = lanes.next().expect("one lane at least");
        let decoded: Vec<Result<KeyTexts>> = std::thread::scope(|scope| {
            let others: Vec<_> = lanes
                .filter(|outputs| !outputs.is_empty())
                .map(|outputs| {
                    scope.spawn(move || self.decode(&mut Io::open(path)?, columns, rows, outputs))
                })
                .collect();
            let mut all = vec![self.decode(io, columns, rows, mine)];
            all.extend(others.into_iter().map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(invalid("a reader thread failed")))
            }));
            all
        });
        for lane in decoded {
            for (j, t) in lane? {
                texts[j] = t;
            }
        }
        // The columns needed on some lines only, now that the keys they test are read.
        for (j, (name, source)) in self.keys.iter().enumerate() {
            let Some(tests) = &self.needed[j] else {
                continue;
            };
            let needed = tests.iter().any(|(at, test)| {
                let holds: Vec<bool> = texts[*at].iter().map(|t| test.holds(t)).collect();
                // Usually no text of the row group holds, and no row need be looked at.
                let ids = &scratch.keys[*at];
                holds.contains(&true)
                    && (ids.is_empty() || ids.iter().any(|&id| holds[id as usize]))
            });
            let ids = &mut scratch.keys[j];
            ids.clear();
            if !needed {
                // A constant key: one text, no ids.
                texts[j] = vec![String::new()];
                continue;
            }
            texts[j] = self
                .decode_key(io, columns, rows, source, ids)
                .map_err(|e| e.within(name))?;
        }
        Ok(group_rows(scratch, texts, rows))
    }

    /// Decodes columns into their buffers; returns the texts of the keys among them.
    fn decode(
        &self,
        io: &mut Io,
        columns: &[ColumnChunkMetadata],
        rows: usize,
        outputs: Vec<Output<'_>>,
    ) -> Result<KeyTexts> {
        let mut texts = Vec::new();
        for output in outputs {
            match output {
                Output::Key(j, ids) => {
                    ids.clear();
                    let (name, source) = &self.keys[j];
                    let t = self
                        .decode_key(io, columns, rows, source, ids)
                        .map_err(|e| e.within(name))?;
                    texts.push((j, t));
                }
                Output::Sum(j, values) => {
                    values.clear();
                    let (name, leaf) = &self.sums[j];
                    numbers(io, &columns[*leaf], rows, values).map_err(|e| e.within(name))?;
                }
            }
        }
        Ok(texts)
    }

    fn decode_key(
        &self,
        io: &mut Io,
        columns: &[ColumnChunkMetadata],
        rows: usize,
        source: &KeySource,
        ids: &mut Vec<u32>,
    ) -> Result<Vec<String>> {
        match source {
            KeySource::Flat { leaf, render } => flat_keys(io, &columns[*leaf], *render, rows, ids),
            KeySource::Map {
                key_leaf,
                value_leaf,
            } => map_keys(io, &columns[*key_leaf], &columns[*value_leaf], rows, ids),
        }
    }
}

/// The texts of decoded keys, by key index.
type KeyTexts = Vec<(usize, Vec<String>)>;

/// Where a decoded column goes: a key's ids or a sum's values, by index.
enum Output<'a> {
    Key(usize, &'a mut Vec<u32>),
    Sum(usize, &'a mut Vec<f64>),
}

/// A worker's file, and the buffers a column chunk is read and its pages decompressed into.
struct Io {
    file: File,
    chunk: Vec<u8>,
    pages: Vec<u8>,
}

impl Io {
    fn open(path: &Path) -> Result<Io> {
        Ok(Io {
            file: File::open(path).map_err(invalid)?,
            chunk: Vec::new(),
            pages: Vec::new(),
        })
    }
}

/// The per-row buffers a worker reuses from one row group to the next (a large export then
/// costs no fresh memory per row group): each key column's ids, each summed column's values,
/// and the rows' composite keys when they are too wide to pack a block at a time.
#[derive(Default)]
struct Scratch {
    keys: Vec<Vec<u32>>,
    sums: Vec<Vec<f64>>,
    composite: Vec<u64>,
}

fn render_of(t: &PrimitiveType) -> Option<Render> {
    use PrimitiveLogicalType as L;
    match (t.physical_type, t.logical_type) {
        (_, Some(L::Decimal(..))) => None,
        (PhysicalType::ByteArray, None | Some(L::String | L::Enum | L::Json)) => {
            match t.converted_type {
                None | Some(PrimitiveConvertedType::Utf8 | PrimitiveConvertedType::Enum) => {
                    Some(Render::Text)
                }
                _ => None,
            }
        }
        (PhysicalType::Int64, Some(L::Timestamp { unit, .. })) => Some(Render::Timestamp(unit)),
        (PhysicalType::Int32, Some(L::Date)) => Some(Render::Date),
        (PhysicalType::Int32 | PhysicalType::Int64, None | Some(L::Integer(_)))
            if t.converted_type.is_none() =>
        {
            Some(Render::Integer)
        }
        _ => None,
    }
}

fn is_plain_number(t: &PrimitiveType) -> bool {
    matches!(
        t.physical_type,
        PhysicalType::Double | PhysicalType::Float | PhysicalType::Int32 | PhysicalType::Int64
    ) && matches!(
        t.logical_type,
        None | Some(PrimitiveLogicalType::Integer(_))
    ) && t.converted_type.is_none()
}

/// The groups of one row group: each group's key ids (then its sign classes) and sums.
struct RowGroupGroups {
    texts: Vec<Vec<String>>,
    keys: Vec<u32>,
    sums: Vec<f64>,
}

/// The sign class of a summed value: the rollup keeps lines of different classes apart.
fn sign_class(v: f64) -> u64 {
    // 0 zero, 1 positive, 2 negative, 3 NaN (neither).
    u64::from(v > 0.0) | (u64::from(v < 0.0) << 1) | (u64::from(v.is_nan()) * 3)
}

/// Groups the rows of a row group by their key ids and the sign classes of their sums. Each
/// row's ids are packed into one `u64` (bit fields), a block of rows at a time so the packing
/// stays in cache; a packed key of up to 18 bits is its own slot, a longer one is looked up.
/// Keys too wide for 62 bits are packed column by column over the whole row group instead,
/// re-numbered densely before they would overflow.
fn group_rows(scratch: &mut Scratch, texts: Vec<Vec<String>>, rows: usize) -> RowGroupGroups {
    const BLOCK: usize = 2048;
    let Scratch {
        keys,
        sums,
        composite,
    } = scratch;
    let bits_for = |n: usize| usize::BITS - n.saturating_sub(1).leading_zeros();
    let widths: Vec<u32> = texts.iter().map(|t| bits_for(t.len())).collect();
    let m = sums.len();
    let total: u32 = widths.iter().sum::<u32>() + 2 * m as u32;
    let mut groups;
    if total <= 62 {
        groups = Slots::new(total, m);
        let mut packed = [0u64; BLOCK];
        for start in (0..rows).step_by(BLOCK) {
            let end = (start + BLOCK).min(rows);
            let block = &mut packed[..end - start];
            block.fill(0);
            for (ids, &w) in keys.iter().zip(&widths) {
                if w > 0 {
                    for (c, &v) in block.iter_mut().zip(&ids[start..end]) {
                        *c = (*c << w) | u64::from(v);
                    }
                }
            }
            for s in sums.iter() {
                for (c, &v) in block.iter_mut().zip(&s[start..end]) {
                    *c = (*c << 2) | sign_class(v);
                }
            }
            for (i, &p) in block.iter().enumerate() {
                let slot = groups.slot(p, start + i);
                for (j, s) in sums.iter().enumerate() {
                    groups.totals[slot * m + j] += s[start + i];
                }
            }
        }
    } else {
        composite.clear();
        composite.resize(rows, 0);
        let mut used = 0;
        let mut pack = |values: &mut dyn Iterator<Item = u64>, bits: u32| {
            if used + bits > 62 {
                used = bits_for(densify(composite));
            }
            used += bits;
            for (c, v) in composite.iter_mut().zip(values) {
                *c = (*c << bits) | v;
            }
        };
        for (ids, &w) in keys.iter().zip(&widths) {
            pack(&mut ids.iter().map(|&v| u64::from(v)), w);
        }
        for s in sums.iter() {
            pack(&mut s.iter().map(|&v| sign_class(v)), 2);
        }
        // Numbered densely, the keys need only as many bits as there are groups.
        groups = Slots::new(bits_for(densify(composite)), m);
        for (row, &p) in composite.iter().enumerate() {
            let slot = groups.slot(p, row);
            for (j, s) in sums.iter().enumerate() {
                groups.totals[slot * m + j] += s[row];
            }
        }
    }
    let width = keys.len() + m;
    let mut out_keys = Vec::with_capacity(groups.first.len() * width);
    for &row in &groups.first {
        // A constant key stores no ids: its one text is id 0.
        out_keys.extend(keys.iter().map(|k| k.get(row).copied().unwrap_or(0)));
        out_keys.extend(sums.iter().map(|s| sign_class(s[row]) as u32));
    }
    RowGroupGroups {
        texts,
        keys: out_keys,
        sums: groups.totals,
    }
}

/// The groups of a row group as its rows find them: a slot per distinct packed key, in order
/// of first appearance, with the first row and the sums of each.
struct Slots {
    /// Packed key → slot + 1 (0: none yet), when keys are short enough to index.
    direct: Vec<u32>,
    hashed: NumberTable,
    first: Vec<usize>,
    totals: Vec<f64>,
    sums: usize,
}

impl Slots {
    fn new(bits: u32, sums: usize) -> Slots {
        Slots {
            direct: if bits <= 18 {
                vec![0; 1 << bits]
            } else {
                Vec::new()
            },
            hashed: NumberTable::default(),
            first: Vec::new(),
            totals: Vec::new(),
            sums,
        }
    }

    #[inline]
    fn slot(&mut self, packed: u64, row: usize) -> usize {
        let next = self.first.len() as u32;
        let slot = if self.direct.is_empty() {
            self.hashed.number(packed, next)
        } else {
            let e = &mut self.direct[packed as usize];
            if *e == 0 {
                *e = next + 1;
            }
            *e - 1
        };
        if slot == next {
            self.first.push(row);
            self.totals.extend(std::iter::repeat_n(0.0, self.sums));
        }
        slot as usize
    }
}

/// Numbers the distinct values densely in order of first appearance, in place; returns how
/// many there are.
fn densify(values: &mut [u64]) -> usize {
    let max = values.iter().copied().max().unwrap_or(0);
    let mut count = 0u32;
    if max < 1 << 20 {
        let mut table = vec![u32::MAX; max as usize + 1];
        for v in values.iter_mut() {
            let t = &mut table[*v as usize];
            if *t == u32::MAX {
                *t = count;
                count += 1;
            }
            *v = u64::from(*t);
        }
    } else {
        let mut table = NumberTable::default();
        for v in values.iter_mut() {
            let t = table.number(*v, count);
            if t == count {
                count += 1;
            }
            *v = u64::from(t);
        }
    }
    count as usize
}

/// Numbers for `u64` keys: open addressing with linear probing on a multiplicative hash, at
/// most half full (for a row group's packed keys, faster than a general hash map).
#[derive(Default)]
struct NumberTable {
    keys: Vec<u64>,
    numbers: Vec<u32>,
    len: usize,
    shift: u32,
}

impl NumberTable {
    /// The number of `key`, which becomes `next` the first time it is seen.
    #[inline]
    fn number(&mut self, key: u64, next: u32) -> u32 {
        if self.len * 2 >= self.keys.len() {
            self.grow();
        }
        let mask = self.keys.len() - 1;
        let mut i = (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize;
        loop {
            match self.numbers[i] {
                u32::MAX => {
                    self.keys[i] = key;
                    self.numbers[i] = next;
                    self.len += 1;
                    return next;
                }
                n if self.keys[i] == key => return n,
                _ => i = (i + 1) & mask,
            }
        }
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.keys.len() * 2).max(1024);
        let old = std::mem::replace(
            self,
            NumberTable {
                keys: vec![0; size],
                numbers: vec![u32::MAX; size],
                len: 0,
                shift: 64 - size.trailing_zeros(),
            },
        );
        for (key, n) in old.keys.into_iter().zip(old.numbers) {
            if n != u32::MAX {
                self.number(key, n);
            }
        }
    }
}

/// The groups of all row groups, keyed by text ids shared across them.
struct Merged {
    interned: Vec<(HashMap<String, u32>, Vec<String>)>,
    index: HashMap<Vec<u32>, usize, FxBuild>,
    keys: Vec<u32>,
    sums: Vec<f64>,
    key_count: usize,
    sum_count: usize,
}

impl Merged {
    fn new(plan: &Plan) -> Merged {
        Merged {
            interned: plan.keys.iter().map(|_| Default::default()).collect(),
            index: HashMap::default(),
            keys: Vec::new(),
            sums: Vec::new(),
            key_count: plan.keys.len(),
            sum_count: plan.sums.len(),
        }
    }

    fn add(&mut self, groups: RowGroupGroups) {
        let remap: Vec<Vec<u32>> = groups
            .texts
            .into_iter()
            .zip(&mut self.interned)
            .map(|(texts, (ids, all))| {
                texts
                    .into_iter()
                    .map(|t| {
                        *ids.entry(t).or_insert_with_key(|t| {
                            all.push(t.clone());
                            all.len() as u32 - 1
                        })
                    })
                    .collect()
            })
            .collect();
        let width = self.key_count + self.sum_count;
        if width == 0 {
            return;
        }
        let mut key = vec![0u32; width];
        for (g, local) in groups.keys.chunks(width).enumerate() {
            for (j, id) in local.iter().enumerate() {
                key[j] = if j < self.key_count {
                    remap[j][*id as usize]
                } else {
                    *id
                };
            }
            let n = self.index.len();
            let at = *self.index.entry(key.clone()).or_insert(n);
            if at == n {
                self.keys.extend_from_slice(&key[..self.key_count]);
                self.sums.extend(std::iter::repeat_n(0.0, self.sum_count));
            }
            let sums = &groups.sums[g * self.sum_count..(g + 1) * self.sum_count];
            for (acc, v) in self.sums[at * self.sum_count..].iter_mut().zip(sums) {
                *acc += v;
            }
        }
    }

    fn frame(self, plan: &Plan) -> Result<DataFrame> {
        let groups = self.index.len();
        let mut columns = Vec::with_capacity(self.key_count + self.sum_count);
        for (j, (name, _)) in plan.keys.iter().enumerate() {
            let texts = &self.interned[j].1;
            let values: Vec<&str> = (0..groups)
                .map(|g| texts[self.keys[g * self.key_count + j] as usize].as_str())
                .collect();
            columns.push(Column::new(name.as_str().into(), values));
        }
        for (j, (name, _)) in plan.sums.iter().enumerate() {
            let values: Vec<f64> = (0..groups)
                .map(|g| self.sums[g * self.sum_count + j])
                .collect();
            columns.push(Column::new(name.as_str().into(), values));
        }
        DataFrame::new(groups, columns).map_err(invalid)
    }
}

/// Appends `count` dictionary indices to `out`, straight from their encoding.
fn decode_indices(decoder: HybridRleDecoder<'_>, count: usize, out: &mut Vec<u32>) -> Result<()> {
    let end = out.len() + count;
    for chunk in decoder.into_chunk_iter() {
        match chunk.map_err(invalid)? {
            HybridRleChunk::Rle(value, run) => out.resize(out.len() + run, value),
            HybridRleChunk::Bitpacked(packed) => packed.collect_into(out),
        }
    }
    if out.len() != end {
        return Err(invalid("fewer dictionary indices than values"));
    }
    Ok(())
}

/// The values of one data page, before nulls are put back.
enum PageValues<'a> {
    /// Indices into the chunk's dictionary page, still encoded.
    Indices(HybridRleDecoder<'a>),
    /// PLAIN-encoded values.
    Plain(&'a [u8]),
}

/// One data page's levels (empty when the column has none or all are the maximum) and values.
struct Page<'a> {
    repetition: Vec<u32>,
    definition: Vec<u32>,
    levels: usize,
    values: PageValues<'a>,
}

/// What a column chunk holds, in order: its dictionary page (PLAIN values and their count),
/// then its data pages.
enum Part<'a> {
    Dictionary(&'a [u8], usize),
    Data(Page<'a>),
}

/// Reads a column chunk page by page.
fn read_chunk(
    io: &mut Io,
    meta: &ColumnChunkMetadata,
    mut part: impl FnMut(Part<'_>) -> Result<()>,
) -> Result<()> {
    let range = meta.byte_range();
    let len = range.end - range.start;
    let mut bytes = std::mem::take(&mut io.chunk);
    bytes.clear();
    io.file
        .seek(SeekFrom::Start(range.start))
        .and_then(|_| (&mut io.file).take(len).read_to_end(&mut bytes))
        .map_err(invalid)?;
    if bytes.len() as u64 != len {
        return Err(invalid("a column chunk past the end of the file"));
    }
    let bytes = Buffer::from(bytes);
    let reader = PageReader::new(Cursor::new(bytes.clone()), meta, Vec::new(), 1 << 30);
    let mut pages = BasicDecompressor::new(reader, std::mem::take(&mut io.pages));
    let read = read_pages(&mut pages, meta, &mut part);
    io.pages = pages.into_inner();
    // The pages are gone: the chunk's buffer is ours again, for the next chunk.
    io.chunk = bytes.into_mut().right().unwrap_or_default();
    read
}

fn read_pages(
    pages: &mut BasicDecompressor,
    meta: &ColumnChunkMetadata,
    part: &mut impl FnMut(Part<'_>) -> Result<()>,
) -> Result<()> {
    if let Some(dict) = pages.read_dict_page().map_err(invalid)? {
        part(Part::Dictionary(&dict.buffer, dict.num_values))?;
    }
    let max_def = meta.descriptor().descriptor.max_def_level as u32;
    let max_rep = meta.descriptor().descriptor.max_rep_level as u32;
    // Levels of a page, left empty when the column has none or when every one is the maximum
    // (one run: a page without nulls, the common case).
    let levels = |data: &[u8], max: u32, n: usize| -> Result<Vec<u32>> {
        if max == 0 {
            return Ok(Vec::new());
        }
        let bits = 32 - max.leading_zeros();
        let decoder = HybridRleDecoder::new(data, bits, n);
        if let Ok(Some(HybridRleChunk::Rle(level, run))) = decoder.clone().next_chunk()
            && level == max
            && run == n
        {
            return Ok(Vec::new());
        }
        let decoded = decoder.collect().map_err(invalid)?;
        if decoded.len() != n || decoded.iter().any(|&l| l > max) {
            return Err(invalid("levels do not match the page"));
        }
        Ok(decoded)
    };
    while let Some(item) = pages.next() {
        let data = item.map_err(invalid)?.decompress(pages).map_err(invalid)?;
        // The encodings as numbers, checked here: polars' own accessors unwrap them.
        let (values_encoding, levels_encodings) = match data.header() {
            DataPageHeader::V1(h) => (
                h.encoding,
                [
                    (max_def, h.definition_level_encoding),
                    (max_rep, h.repetition_level_encoding),
                ],
            ),
            DataPageHeader::V2(h) => (h.encoding, [(0, h.encoding); 2]),
        };
        for (max, encoding) in levels_encodings {
            if max > 0 && Encoding::try_from(encoding).map_err(invalid)? != Encoding::Rle {
                return Err(unsupported("levels not in RLE"));
            }
        }
        let n = data.num_values();
        let split = split_buffer(&data).map_err(invalid)?;
        let repetition = levels(split.rep, max_rep, n)?;
        let definition = levels(split.def, max_def, n)?;
        let present = if definition.is_empty() {
            n
        } else {
            definition.iter().filter(|&&d| d == max_def).count()
        };
        let values = match Encoding::try_from(values_encoding).map_err(invalid)? {
            Encoding::Plain => PageValues::Plain(split.values),
            Encoding::RleDictionary | Encoding::PlainDictionary => {
                let (&bits, rest) = split
                    .values
                    .split_first()
                    .ok_or_else(|| invalid("an empty dictionary-encoded page"))?;
                PageValues::Indices(HybridRleDecoder::new(rest, u32::from(bits), present))
            }
            other => return Err(unsupported(format!("{other:?} encoding"))),
        };
        part(Part::Data(Page {
            repetition,
            definition,
            levels: n,
            values,
        }))?;
        pages.reuse_page_buffer(data);
    }
    Ok(())
}

/// Calls `f` with each of `count` PLAIN values of a buffer as its bytes: a byte array without
/// its length prefix, a fixed-width value as stored.
fn each_plain(
    mut data: &[u8],
    count: usize,
    physical: PhysicalType,
    mut f: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let short = || invalid("fewer values than the page says");
    let width = match physical {
        PhysicalType::ByteArray => {
            for _ in 0..count {
                let (len, rest) = data.split_first_chunk::<4>().ok_or_else(short)?;
                let (value, rest) = rest
                    .split_at_checked(u32::from_le_bytes(*len) as usize)
                    .ok_or_else(short)?;
                f(value)?;
                data = rest;
            }
            return Ok(());
        }
        PhysicalType::Int32 | PhysicalType::Float => 4,
        PhysicalType::Int64 | PhysicalType::Double => 8,
        other => return Err(unsupported(format!("{other:?} values"))),
    };
    let data = data.get(..count * width).ok_or_else(short)?;
    data.chunks_exact(width).try_for_each(f)
}

/// A fixed-width value (4 or 8 bytes) as stored, widened to 8 bytes.
fn word(value: &[u8]) -> [u8; 8] {
    let mut b = [0u8; 8];
    let n = value.len().min(8);
    b[..n].copy_from_slice(&value[..n]);
    b
}

/// A fixed-width PLAIN value as a number.
fn number_of(value: &[u8], physical: PhysicalType) -> f64 {
    let b = word(value);
    match physical {
        PhysicalType::Int32 => f64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        PhysicalType::Int64 => i64::from_le_bytes(b) as f64,
        PhysicalType::Float => f64::from(f32::from_le_bytes([b[0], b[1], b[2], b[3]])),
        _ => f64::from_le_bytes(b),
    }
}

/// A PLAIN value as text, the way polars' `cast(String)` writes it.
fn text_of(value: &[u8], physical: PhysicalType, render: Render) -> Result<String> {
    let integer = || {
        let b = word(value);
        match physical {
            PhysicalType::Int32 => i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            _ => i64::from_le_bytes(b),
        }
    };
    let date = |days: i64| {
        let (y, m, d) = date_of_unix_days(days);
        format!("{y:04}-{m:02}-{d:02}")
    };
    Ok(match render {
        Render::Text => std::str::from_utf8(value)
            .map_err(|_| unsupported("text that is not UTF-8"))?
            .to_string(),
        Render::Integer => integer().to_string(),
        Render::Date => date(integer()),
        Render::Timestamp(unit) => {
            let (per_second, digits) = match unit {
                TimeUnit::Milliseconds => (1_000, 3),
                TimeUnit::Microseconds => (1_000_000, 6),
                TimeUnit::Nanoseconds => (1_000_000_000, 9),
            };
            let i = integer();
            let seconds = i.div_euclid(per_second);
            let fraction = i.rem_euclid(per_second);
            let of_day = seconds.rem_euclid(86_400);
            format!(
                "{} {:02}:{:02}:{:02}.{fraction:0digits$}",
                date(seconds.div_euclid(86_400)),
                of_day / 3600,
                of_day / 60 % 60,
                of_day % 60,
            )
        }
    })
}

/// The texts of one column chunk and their local ids: the dictionary page's entries first (an
/// index is its id), then each distinct PLAIN value, found by its bytes, and the null text.
struct Texts {
    physical: PhysicalType,
    render: Render,
    texts: Vec<String>,
    dictionary_len: usize,
    added: ValueTable,
    null: Option<u32>,
}

impl Texts {
    fn new(meta: &ColumnChunkMetadata, render: Render) -> Texts {
        Texts {
            physical: meta.descriptor().descriptor.primitive_type.physical_type,
            render,
            texts: Vec::new(),
            dictionary_len: 0,
            added: ValueTable::default(),
            null: None,
        }
    }

    fn dictionary(&mut self, data: &[u8], count: usize) -> Result<()> {
        let (physical, render) = (self.physical, self.render);
        self.texts.clear();
        each_plain(data, count, physical, |v| {
            self.texts.push(text_of(v, physical, render)?);
            Ok(())
        })?;
        self.dictionary_len = count;
        Ok(())
    }

    /// Appends the ids of a data page's `count` values to `ids`.
    fn ids(&mut self, values: PageValues<'_>, count: usize, ids: &mut Vec<u32>) -> Result<()> {
        match values {
            PageValues::Indices(indices) => {
                let from = ids.len();
                decode_indices(indices, count, ids)?;
                if ids[from..]
                    .iter()
                    .any(|&i| i as usize >= self.dictionary_len)
                {
                    return Err(invalid("a dictionary index past the dictionary"));
                }
                Ok(())
            }
            PageValues::Plain(mut data) if self.physical == PhysicalType::ByteArray => {
                // The hot loop of a PLAIN text column: no closure, one bounds check a value.
                ids.reserve(count);
                let render = self.render;
                for _ in 0..count {
                    let short = || invalid("fewer values than the page says");
                    let (len, rest) = data.split_first_chunk::<4>().ok_or_else(short)?;
                    let (v, rest) = rest
                        .split_at_checked(u32::from_le_bytes(*len) as usize)
                        .ok_or_else(short)?;
                    data = rest;
                    let texts = &mut self.texts;
                    ids.push(self.added.id(v, || {
                        texts.push(text_of(v, PhysicalType::ByteArray, render)?);
                        Ok(texts.len() as u32 - 1)
                    })?);
                }
                Ok(())
            }
            PageValues::Plain(data) => {
                let (physical, render) = (self.physical, self.render);
                each_plain(data, count, physical, |v| {
                    let texts = &mut self.texts;
                    ids.push(self.added.id(v, || {
                        texts.push(text_of(v, physical, render)?);
                        Ok(texts.len() as u32 - 1)
                    })?);
                    Ok(())
                })
            }
        }
    }

    fn null(&mut self) -> u32 {
        *self.null.get_or_insert_with(|| {
            self.texts.push(String::new());
            self.texts.len() as u32 - 1
        })
    }
}

/// Distinct byte strings and the id each was given: open addressing on four 8-byte words of
/// the value (the first 16 and the last 16 bytes, overlapping in a short value) and its length.
/// Up to 32 bytes those words are the whole value, so comparing them is comparing the values,
/// without a loop or a branch on the length that the random order of a bill's lines would
/// mispredict; a longer value is also compared in full.
#[derive(Default)]
struct ValueTable {
    /// Index into `entries` + 1; 0 is empty. A power of two long.
    slots: Vec<u32>,
    entries: Vec<Entry>,
    bytes: Vec<u8>,
}

struct Entry {
    words: [u64; 4],
    len: usize,
    start: usize,
    id: u32,
}

impl ValueTable {
    #[inline]
    fn words(v: &[u8]) -> [u64; 4] {
        let n = v.len();
        if n < 8 {
            return [u64::from_le_bytes(word(v)), 0, 0, 0];
        }
        let load = |i: usize| u64::from_le_bytes(v[i..i + 8].try_into().expect("8 bytes"));
        [
            load(0),
            load(8.min(n - 8)),
            load(n.max(16) - 16),
            load(n - 8),
        ]
    }

    /// A value's home slot (before masking): one multiply of its first and last words and
    /// its length, which tell a bill's values apart; the full words decide equality.
    #[inline]
    fn home(words: &[u64; 4], len: usize) -> usize {
        let k = 0x9e37_79b9_7f4a_7c15u64;
        ((words[0] ^ words[3].rotate_left(29) ^ ((len as u64) << 56)).wrapping_mul(k) >> 40)
            as usize
    }

    /// The id of `v`, given by `make` the first time it is seen.
    #[inline]
    fn id(&mut self, v: &[u8], make: impl FnOnce() -> Result<u32>) -> Result<u32> {
        if self.slots.is_empty() {
            self.grow();
        }
        let words = Self::words(v);
        let n = v.len();
        let mask = self.slots.len() - 1;
        let mut i = Self::home(&words, n) & mask;
        while let Some(e) = self.slots[i].checked_sub(1) {
            let e = &self.entries[e as usize];
            // Word by word, in registers: comparing the arrays whole reads back as one vector
            // what was just stored as four words, and stalls.
            let differ = (e.words[0] ^ words[0])
                | (e.words[1] ^ words[1])
                | (e.words[2] ^ words[2])
                | (e.words[3] ^ words[3])
                | (e.len ^ n) as u64;
            if differ == 0 && (n <= 32 || self.bytes[e.start..e.start + n] == *v) {
                return Ok(e.id);
            }
            i = (i + 1) & mask;
        }
        self.insert(v, words, make()?);
        Ok(self.entries.last().expect("just added").id)
    }

    #[cold]
    fn insert(&mut self, v: &[u8], words: [u64; 4], id: u32) {
        self.entries.push(Entry {
            words,
            len: v.len(),
            start: self.bytes.len(),
            id,
        });
        if v.len() > 32 {
            self.bytes.extend_from_slice(v);
        }
        // A sparse table (an eighth full at most): a probe seldom goes past its first slot.
        if self.entries.len() * 8 >= self.slots.len() {
            self.grow();
        } else {
            let mask = self.slots.len() - 1;
            let mut i = Self::home(&words, v.len()) & mask;
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = self.entries.len() as u32;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(256);
        self.slots = vec![0; size];
        for (n, e) in self.entries.iter().enumerate() {
            let mut i = Self::home(&e.words, e.len) & (size - 1);
            while self.slots[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = n as u32 + 1;
        }
    }
}

/// How many values a data page holds: the levels at the column's full definition.
fn present_count(page: &Page<'_>, max_def: u32) -> usize {
    if page.definition.is_empty() {
        page.levels
    } else {
        page.definition.iter().filter(|&&d| d == max_def).count()
    }
}

/// Appends a flat key column's local ids to `ids`; returns their texts (null as `""`).
fn flat_keys(
    io: &mut Io,
    meta: &ColumnChunkMetadata,
    render: Render,
    rows: usize,
    ids: &mut Vec<u32>,
) -> Result<Vec<String>> {
    let max_def = meta.descriptor().descriptor.max_def_level as u32;
    let mut texts = Texts::new(meta, render);
    let mut present = Vec::new();
    // While every row so far has one id, the pages' ids are dropped and counted: a column of
    // one value (the month, the currency, the provider) is not stored at all.
    let mut constant: Option<(u32, usize)> = None;
    read_chunk(io, meta, |part| match part {
        Part::Dictionary(data, n) => texts.dictionary(data, n),
        Part::Data(page) => {
            let count = present_count(&page, max_def);
            let from = ids.len();
            if count == page.levels {
                // No nulls in the page (most pages of a bill): the values are the rows.
                texts.ids(page.values, count, ids)?;
            } else {
                present.clear();
                texts.ids(page.values, count, &mut present)?;
                let mut values = present.iter();
                for &d in &page.definition {
                    let id = if d == max_def { values.next() } else { None };
                    ids.push(match id {
                        Some(&id) => id,
                        None => texts.null(),
                    });
                }
            }
            if from == 0 && ids.len() > from {
                let first = ids[0];
                let same = constant.is_none_or(|(id, _)| id == first);
                if same && ids.iter().all(|&id| id == first) {
                    let rows_so_far = constant.map_or(0, |(_, n)| n);
                    constant = Some((first, rows_so_far + ids.len()));
                    ids.clear();
                } else if let Some((id, n)) = constant.take() {
                    let page_ids = std::mem::take(ids);
                    ids.resize(n, id);
                    ids.extend(page_ids);
                }
            }
            Ok(())
        }
    })?;
    if let Some((id, n)) = constant {
        if n != rows {
            return Err(invalid("a column chunk with another number of rows"));
        }
        // One text, id 0, no ids stored: a constant key.
        return Ok(vec![texts.texts.swap_remove(id as usize)]);
    }
    if ids.len() != rows {
        return Err(invalid("a column chunk with another number of rows"));
    }
    Ok(texts.texts)
}

/// Appends a number column's values to `out`, one per row (null as 0).
fn numbers(io: &mut Io, meta: &ColumnChunkMetadata, rows: usize, out: &mut Vec<f64>) -> Result<()> {
    let physical = meta.descriptor().descriptor.primitive_type.physical_type;
    let max_def = meta.descriptor().descriptor.max_def_level as u32;
    let mut dictionary: Vec<f64> = Vec::new();
    let mut present: Vec<f64> = Vec::new();
    read_chunk(io, meta, |part| {
        let page = match part {
            Part::Dictionary(data, n) => {
                return each_plain(data, n, physical, |v| {
                    dictionary.push(number_of(v, physical));
                    Ok(())
                });
            }
            Part::Data(page) => page,
        };
        let count = present_count(&page, max_def);
        let no_nulls = count == page.levels;
        let into: &mut Vec<f64> = if no_nulls {
            &mut *out
        } else {
            present.clear();
            &mut present
        };
        match page.values {
            PageValues::Indices(encoded) => {
                let mut indices = Vec::new();
                decode_indices(encoded, count, &mut indices)?;
                for i in indices {
                    into.push(
                        *dictionary
                            .get(i as usize)
                            .ok_or_else(|| invalid("a dictionary index past the dictionary"))?,
                    );
                }
            }
            PageValues::Plain(data) if physical == PhysicalType::Double => {
                let data = data
                    .get(..count * 8)
                    .ok_or_else(|| invalid("fewer values than the page says"))?;
                into.extend(
                    data.chunks_exact(8)
                        .map(|b| f64::from_le_bytes(b.try_into().expect("8 bytes"))),
                );
            }
            PageValues::Plain(data) => each_plain(data, count, physical, |v| {
                into.push(number_of(v, physical));
                Ok(())
            })?,
        }
        if !no_nulls {
            let mut values = present.iter();
            out.extend(page.definition.iter().map(|&d| {
                if d == max_def {
                    values.next().copied().unwrap_or(0.0)
                } else {
                    0.0
                }
            }));
        }
        Ok(())
    })?;
    if out.len() != rows {
        return Err(invalid("a column chunk with another number of rows"));
    }
    Ok(())
}

/// One leaf of a map: each level's repetition and definition, and the text ids of the values
/// present.
struct Leaf {
    repetition: Vec<u32>,
    definition: Vec<u32>,
    ids: Vec<u32>,
    texts: Vec<String>,
    max_def: u32,
}

fn map_leaf(io: &mut Io, meta: &ColumnChunkMetadata) -> Result<Leaf> {
    let max_def = meta.descriptor().descriptor.max_def_level as u32;
    let max_rep = meta.descriptor().descriptor.max_rep_level as u32;
    let mut texts = Texts::new(meta, Render::Text);
    let (mut repetition, mut definition, mut ids) = (Vec::new(), Vec::new(), Vec::new());
    read_chunk(io, meta, |part| match part {
        Part::Dictionary(data, n) => texts.dictionary(data, n),
        Part::Data(page) => {
            let count = present_count(&page, max_def);
            texts.ids(page.values, count, &mut ids)?;
            // Levels left empty are all at their maximum.
            let all = |levels: Vec<u32>, max: u32| {
                if levels.is_empty() {
                    vec![max; page.levels]
                } else {
                    levels
                }
            };
            repetition.extend(all(page.repetition, max_rep));
            definition.extend(all(page.definition, max_def));
            Ok(())
        }
    })?;
    Ok(Leaf {
        repetition,
        definition,
        ids,
        texts: texts.texts,
        max_def,
    })
}

/// A tag map's local ids: one per distinct list of pairs, as the text `key␝value␟…` (a pair in
/// the file's order; a null value as empty; a null or empty map as `""`).
fn map_keys(
    io: &mut Io,
    key_meta: &ColumnChunkMetadata,
    value_meta: &ColumnChunkMetadata,
    rows: usize,
    ids: &mut Vec<u32>,
) -> Result<Vec<String>> {
    let keys = map_leaf(io, key_meta)?;
    let values = map_leaf(io, value_meta)?;
    if keys.definition.len() != values.definition.len()
        || keys.repetition != values.repetition
        || keys.repetition.len() != keys.definition.len()
    {
        return Err(invalid("a map whose keys and values do not line up"));
    }
    const NO_VALUE: u32 = u32::MAX;
    let mut sets: HashMap<Vec<(u32, u32)>, u32, FxBuild> = HashMap::default();
    let mut listed: Vec<Vec<(u32, u32)>> = Vec::new();
    let mut pairs: Vec<(u32, u32)> = Vec::new();
    let (mut next_key, mut next_value) = (keys.ids.iter(), values.ids.iter());
    let mut finish = |pairs: &mut Vec<(u32, u32)>, ids: &mut Vec<u32>| {
        let id = match sets.get(pairs.as_slice()) {
            Some(&id) => id,
            None => {
                listed.push(pairs.clone());
                sets.insert(pairs.clone(), listed.len() as u32 - 1);
                listed.len() as u32 - 1
            }
        };
        ids.push(id);
        pairs.clear();
    };
    for i in 0..keys.definition.len() {
        if keys.repetition[i] == 0 && i > 0 {
            finish(&mut pairs, ids);
        }
        if keys.definition[i] == keys.max_def {
            let k = *next_key
                .next()
                .ok_or_else(|| invalid("fewer map keys than levels"))?;
            let v = if values.definition[i] == values.max_def {
                *next_value
                    .next()
                    .ok_or_else(|| invalid("fewer map values than levels"))?
            } else {
                NO_VALUE
            };
            pairs.push((k, v));
        }
    }
    if !keys.definition.is_empty() {
        finish(&mut pairs, ids);
    }
    if ids.len() != rows {
        return Err(invalid("a map column with another number of rows"));
    }
    let texts = listed
        .iter()
        .map(|pairs| {
            let mut text = String::new();
            for (n, &(k, v)) in pairs.iter().enumerate() {
                if n > 0 {
                    text.push(PAIR_SEPARATOR);
                }
                text.push_str(&keys.texts[k as usize]);
                text.push(KEY_SEPARATOR);
                if v != NO_VALUE {
                    text.push_str(&values.texts[v as usize]);
                }
            }
            text
        })
        .collect();
    Ok(texts)
}

/// A fast hasher for the rollup's integer keys (the multiply-rotate of rustc's FxHasher).
#[derive(Default)]
struct Fx(u64);

impl Hasher for Fx {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            self.write_u64(u64::from_le_bytes(word(chunk)));
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0.rotate_left(5) ^ i).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, i: usize) {
        self.write_u64(i as u64);
    }
}

type FxBuild = BuildHasherDefault<Fx>;

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rollup")
            .join(name)
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn keys(v: &[&str]) -> Vec<Key> {
        v.iter()
            .map(|c| Key {
                column: c.to_string(),
                only_where: None,
            })
            .collect()
    }

    /// The groups of a rolled-up frame as (texts, sums), sorted.
    fn groups(frame: &DataFrame, keys: usize) -> Vec<(Vec<String>, Vec<f64>)> {
        let mut out: Vec<(Vec<String>, Vec<f64>)> = (0..frame.height())
            .map(|r| {
                let cell = |c: usize| frame.columns()[c].get(r).expect("a cell");
                (
                    (0..keys)
                        .map(|c| cell(c).get_str().expect("text").to_string())
                        .collect(),
                    (keys..frame.width())
                        .map(|c| cell(c).extract::<f64>().expect("a number"))
                        .collect(),
                )
            })
            .collect();
        out.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        out
    }

    #[test]
    fn lines_roll_up_by_text_tags_and_sign_in_every_layout() {
        // The eight lines of make.py, by ServiceName and Tags, EffectiveCost and
        // PricingQuantity summed, groups split by the sign of each sum:
        //   ECS, CostCenter=x Environment=prod, +, +: r1 + r2 = 10 + 5.5 = 15.5; 1 + 2 = 3
        //   ECS, the same tags, −, 0: the credit r3 = −3; 0
        //   ECS, Environment=prod CostCenter=x (another order, another text): r8 = 1; 1
        //   RDS, Environment=(null value): r4 = 0; 4
        //   RDS, no tags (an empty map), +, +: r6 = 2; 1
        //   RDS, no tags (a null map), null cost as 0, +: r7 = 0; 3
        //   (null service), (null map), +, null quantity as 0: r5 = 7.25; 0
        //   Support, (null map): r9 = 100; 1
        let (ecs, rds) = (
            "Amazon Elastic Container Service",
            "Amazon Relational Database Service",
        );
        let (k, p) = (KEY_SEPARATOR, PAIR_SEPARATOR);
        let tags = format!("CostCenter{k}x{p}Environment{k}prod");
        let reversed = format!("Environment{k}prod{p}CostCenter{k}x");
        let null_value = format!("Environment{k}");
        let mut expected = vec![
            (strings(&[ecs, &tags]), vec![15.5, 3.0]),
            (strings(&[ecs, &tags]), vec![-3.0, 0.0]),
            (strings(&[ecs, &reversed]), vec![1.0, 1.0]),
            (strings(&[rds, &null_value]), vec![0.0, 4.0]),
            (strings(&[rds, ""]), vec![2.0, 1.0]),
            (strings(&[rds, ""]), vec![0.0, 3.0]),
            (strings(&["", ""]), vec![7.25, 0.0]),
            (strings(&["AWS Support (Business)", ""]), vec![100.0, 1.0]),
        ];
        expected.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        for file in ["plain-v1.parquet", "dict-v2.parquet", "pages.parquet"] {
            let frame = rollup(
                &fixture(file),
                &keys(&["ServiceName", "Tags"]),
                &strings(&["EffectiveCost", "PricingQuantity"]),
            )
            .unwrap_or_else(|e| panic!("{file}: {}", e.reason()));
            assert_eq!(groups(&frame, 2), expected, "{file}");
        }
    }

    #[test]
    fn timestamps_read_as_polars_writes_them_and_missing_columns_are_left_out() {
        let frame = rollup(
            &fixture("plain-v1.parquet"),
            &keys(&["BillingPeriodStart", "NoSuchColumn"]),
            &strings(&["BilledCost"]),
        )
        .expect("rolled up");
        // All nine lines are in 2026-10; BilledCost 10 + 5.5 + 1 + 2 + 1.5 + 7.25 + 100 =
        // 127.25 positive, −3 negative, 0 zero.
        assert_eq!(
            groups(&frame, 1),
            vec![
                (strings(&["2026-10-01 00:00:00.000"]), vec![-3.0]),
                (strings(&["2026-10-01 00:00:00.000"]), vec![0.0]),
                (strings(&["2026-10-01 00:00:00.000"]), vec![127.25]),
            ]
        );
    }

    #[test]
    fn a_key_needed_only_on_some_lines_is_not_read_where_no_line_needs_it() {
        // ServiceName only where ChargeCategory is Credit. Row groups of three lines (make.py):
        // the first (r1, r4, r3) holds the credit r3 and is read whole; the second (r2, r5, r6)
        // and the third (r7, r8, r9) hold none, and their names read "". BilledCost:
        //   Usage, ECS: r1 10 · Usage, RDS: r4 0 · Credit, ECS: r3 −3
        //   Usage, "": r2 5.5 + r6 2 + r7 1.5 + r8 1 = 10 · Tax, "": r5 7.25
        //   Purchase, "": r9 100
        let mut wanted = keys(&["ChargeCategory", "ServiceName"]);
        wanted[1].only_where = Some(vec![("ChargeCategory".into(), Test::Is("Credit".into()))]);
        let frame = rollup(
            &fixture("plain-v1.parquet"),
            &wanted,
            &strings(&["BilledCost"]),
        )
        .expect("rolled up");
        let ecs = "Amazon Elastic Container Service";
        let rds = "Amazon Relational Database Service";
        assert_eq!(
            groups(&frame, 2),
            vec![
                (strings(&["Credit", ecs]), vec![-3.0]),
                (strings(&["Purchase", ""]), vec![100.0]),
                (strings(&["Tax", ""]), vec![7.25]),
                (strings(&["Usage", ""]), vec![10.0]),
                (strings(&["Usage", ecs]), vec![10.0]),
                (strings(&["Usage", rds]), vec![0.0]),
            ]
        );
        // A test on a column the file lacks: "" holds everywhere (the name is read on every
        // line), another value nowhere.
        wanted[1].only_where = Some(vec![("NoSuchColumn".into(), Test::Empty)]);
        let frame = rollup(
            &fixture("plain-v1.parquet"),
            &wanted,
            &strings(&["BilledCost"]),
        )
        .expect("rolled up");
        assert!(
            groups(&frame, 2)
                .iter()
                .all(|(k, _)| k[0] == "Tax" || !k[1].is_empty())
        );
        wanted[1].only_where = Some(vec![("NoSuchColumn".into(), Test::Is("x".into()))]);
        let frame = rollup(
            &fixture("plain-v1.parquet"),
            &wanted,
            &strings(&["BilledCost"]),
        )
        .expect("rolled up");
        assert!(groups(&frame, 2).iter().all(|(k, _)| k[1].is_empty()));
    }

    #[test]
    fn what_it_does_not_read_is_left_to_polars_with_the_reason() {
        let delta = rollup(
            &fixture("delta.parquet"),
            &keys(&["ServiceName"]),
            &strings(&["BilledCost"]),
        )
        .expect_err("DELTA_BYTE_ARRAY is not read");
        assert!(matches!(&delta, NotRead::Unsupported(r)
            if r.contains("ServiceName") && r.contains("DeltaByteArray")));
        let text_as_sum = rollup(
            &fixture("plain-v1.parquet"),
            &[],
            &strings(&["ServiceName"]),
        )
        .expect_err("a text column is not summed");
        assert!(
            matches!(&text_as_sum, NotRead::Unsupported(r) if r.contains("not a plain number"))
        );
    }

    /// The groups `group_rows` finds, as (key ids and sign classes, sums), sorted.
    fn grouped(
        keys: Vec<Vec<u32>>,
        cardinality: usize,
        sums: Vec<Vec<f64>>,
    ) -> Vec<(Vec<u32>, Vec<f64>)> {
        let rows = keys[0].len();
        let texts = vec![vec![String::new(); cardinality]; keys.len()];
        let (k, m) = (keys.len(), sums.len());
        let mut scratch = Scratch {
            keys,
            sums,
            ..Scratch::default()
        };
        let g = group_rows(&mut scratch, texts, rows);
        let mut out: Vec<(Vec<u32>, Vec<f64>)> = g
            .keys
            .chunks(k + m)
            .zip(g.sums.chunks(m))
            .map(|(k, s)| (k.to_vec(), s.to_vec()))
            .collect();
        out.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
        out
    }

    #[test]
    fn rows_group_alike_whether_their_keys_pack_in_a_word_or_not() {
        // Five rows, two of them (0 and 3) alike; row 4 like row 0 but for its cost's sign.
        let ids = |a: u32, b: u32| vec![a, b, a, a, a];
        let rows = |cardinality: usize, wide: u32| {
            let keys = vec![
                ids(1, 2),
                ids(wide, 7),
                vec![3, 3, 5, 3, 3],
                vec![0, 0, 0, 0, 0],
            ];
            grouped(keys, cardinality, vec![vec![1.5, 2.0, 4.0, 2.5, -1.0]])
        };
        // Row 0 and 3: 1.5 + 2.5 = 4; the others alone. Sign classes: 1 positive, 2 negative.
        let expected = |wide: u32| {
            let mut e = vec![
                (vec![1, wide, 3, 0, 1], vec![4.0]),
                (vec![2, 7, 3, 0, 1], vec![2.0]),
                (vec![1, wide, 5, 0, 1], vec![4.0]),
                (vec![1, wide, 3, 0, 2], vec![-1.0]),
            ];
            e.sort_by(|a, b| a.partial_cmp(b).expect("no NaN"));
            e
        };
        // 4 keys of 16 values: 4 × 4 + 2 = 18 bits, a slot per packed key.
        assert_eq!(rows(16, 9), expected(9));
        // 4 keys of 65 536 values: 4 × 16 + 2 = 66 bits, packed column by column and
        // renumbered before they overflow.
        assert_eq!(rows(65_536, 60_000), expected(60_000));
        // 2 keys of 65 536 and 2 of 16: 16 + 16 + 4 + 4 + 2 = 42 bits, looked up.
        let keys = vec![ids(1, 2), ids(60_000, 7), vec![3, 3, 5, 3, 3], vec![0; 5]];
        let texts = vec![
            vec![String::new(); 65_536],
            vec![String::new(); 65_536],
            vec![String::new(); 16],
            vec![String::new(); 16],
        ];
        let mut scratch = Scratch {
            keys,
            sums: vec![vec![1.5, 2.0, 4.0, 2.5, -1.0]],
            ..Scratch::default()
        };
        let g = group_rows(&mut scratch, texts, 5);
        // The same four groups of 4 key ids and a sign class; the sums still add up to
        // 1.5 + 2 + 4 + 2.5 − 1 = 9.
        assert_eq!(g.keys.len(), 4 * 5);
        assert_eq!(g.sums.iter().sum::<f64>(), 9.0);
    }

    #[test]
    fn sign_classes_and_dense_numbers() {
        assert_eq!(
            [0.0, -0.0, 2.5, -1.0, f64::NAN].map(sign_class),
            [0, 0, 1, 2, 3]
        );
        let mut values = vec![7u64 << 40, 3, 7 << 40, 3, 9];
        assert_eq!(densify(&mut values), 3);
        assert_eq!(values, vec![0, 1, 0, 1, 2]);
        let mut small = vec![5u64, 5, 2];
        assert_eq!(densify(&mut small), 2);
        assert_eq!(small, vec![0, 0, 1]);
    }

    #[test]
    fn the_value_table_tells_values_apart_past_the_sampled_bytes() {
        // Same length, same first and last 16 bytes: only full equality tells them apart.
        let a = b"arn:aws:AAAAAAAAAAAAAAAA:X:BBBBBBBBBBBBBBBB:r-00000001";
        let mut b = *a;
        b[20] = b'Y';
        assert_eq!(ValueTable::words(a), ValueTable::words(&b));
        let mut table = ValueTable::default();
        let mut next = 0;
        let mut id = |t: &mut ValueTable, v: &[u8]| {
            t.id(v, || {
                next += 1;
                Ok(next - 1)
            })
            .expect("an id")
        };
        assert_eq!(id(&mut table, a), 0);
        assert_eq!(id(&mut table, &b), 1);
        assert_eq!(id(&mut table, a), 0);
        assert_eq!(id(&mut table, b"short"), 2);
        assert_eq!(id(&mut table, b""), 3);
        // Lengths around the 8, 16 and 32 bytes the words cover.
        let base = b"0123456789abcdefghijklmnopqrstuvwxyz";
        let mut ids = Vec::new();
        for n in [7, 8, 9, 15, 16, 17, 31, 32, 33] {
            ids.push(id(&mut table, &base[..n]));
            let mut changed = base[..n].to_vec();
            changed[n / 2] = b'!';
            ids.push(id(&mut table, &changed));
        }
        let distinct: std::collections::BTreeSet<u32> = ids.iter().copied().collect();
        assert_eq!(distinct.len(), 18, "{ids:?}");
        assert_eq!(id(&mut table, &b), 1);
        for n in 0..200u32 {
            assert_eq!(id(&mut table, format!("value-{n}").as_bytes()), 22 + n);
        }
        assert_eq!(id(&mut table, b"short"), 2);
    }
}
