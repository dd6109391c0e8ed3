//! Just enough CBOR (RFC 8949) for the loopback Compute Optimizer: the SDK speaks Smithy RPC v2
//! CBOR to it, so JSON answers are sent as CBOR and CBOR requests read back as JSON.

use serde_json::Value;

/// Members the Compute Optimizer model types as `double`: CBOR keeps floats and integers apart
/// and the SDK reads a double only from a float.
const DOUBLES: &[&str] = &[
    "value",
    "savingsOpportunityPercentage",
    "lookbackPeriodInDays",
    "lookBackPeriodInDays",
    "performanceRisk",
    "estimatedInstanceHourReductionPercentage",
];

/// Members the model types as `timestamp`: sent as tag 1 (epoch seconds), as Smithy RPC v2 CBOR
/// encodes them; the fixtures write them as RFC 3339 in UTC (`2026-11-30T06:12:44+00:00`).
const TIMESTAMPS: &[&str] = &["lastRefreshTimestamp"];

/// Seconds since 1970 of an RFC 3339 UTC time (days from the civil date, as in
/// Howard Hinnant's `days_from_civil`).
fn epoch_seconds(text: &str) -> f64 {
    let n = |range: std::ops::Range<usize>| -> i64 { text[range].parse().unwrap() };
    let (y, m, d) = (n(0..4), n(5..7), n(8..10));
    let (y, m) = if m <= 2 { (y - 1, m + 9) } else { (y, m - 3) };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * m + 2) / 5 + d - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    (days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19)) as f64
}

fn head(out: &mut Vec<u8>, major: u8, n: u64) {
    let m = major << 5;
    match n {
        0..=23 => out.push(m | n as u8),
        24..=0xff => out.extend([m | 24, n as u8]),
        0x100..=0xffff => {
            out.push(m | 25);
            out.extend((n as u16).to_be_bytes());
        }
        0x1_0000..=0xffff_ffff => {
            out.push(m | 26);
            out.extend((n as u32).to_be_bytes());
        }
        _ => {
            out.push(m | 27);
            out.extend(n.to_be_bytes());
        }
    }
}

fn float(out: &mut Vec<u8>, x: f64) {
    out.push(0xfb);
    out.extend(x.to_be_bytes());
}

/// A JSON value as CBOR, with definite lengths.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    encode_into(&mut out, v, false);
    out
}

fn encode_into(out: &mut Vec<u8>, v: &Value, double: bool) {
    match v {
        Value::Null => out.push(0xf6),
        Value::Bool(b) => out.push(if *b { 0xf5 } else { 0xf4 }),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            _ if double => float(out, n.as_f64().unwrap()),
            (Some(u), _) => head(out, 0, u),
            (None, Some(i)) => head(out, 1, (-1 - i) as u64),
            _ => float(out, n.as_f64().unwrap()),
        },
        Value::String(s) => {
            head(out, 3, s.len() as u64);
            out.extend(s.as_bytes());
        }
        Value::Array(items) => {
            head(out, 4, items.len() as u64);
            for item in items {
                encode_into(out, item, double);
            }
        }
        Value::Object(map) => {
            head(out, 5, map.len() as u64);
            for (k, item) in map {
                head(out, 3, k.len() as u64);
                out.extend(k.as_bytes());
                match item.as_str() {
                    Some(time) if TIMESTAMPS.contains(&k.as_str()) => {
                        out.push(0xc1);
                        float(out, epoch_seconds(time));
                    }
                    _ => encode_into(out, item, DOUBLES.contains(&k.as_str())),
                }
            }
        }
    }
}

/// CBOR as a JSON value (maps and arrays of definite or indefinite length, text, numbers,
/// simple values; tags are read through).
pub fn decode(bytes: &[u8]) -> Value {
    let mut at = 0;
    item(bytes, &mut at).unwrap_or(Value::Null)
}

fn argument(bytes: &[u8], at: &mut usize, info: u8) -> Option<u64> {
    let take = |at: &mut usize, n: usize| -> Option<u64> {
        let slice = bytes.get(*at..*at + n)?;
        *at += n;
        Some(slice.iter().fold(0u64, |acc, b| acc << 8 | u64::from(*b)))
    };
    match info {
        0..=23 => Some(u64::from(info)),
        24 => take(at, 1),
        25 => take(at, 2),
        26 => take(at, 4),
        27 => take(at, 8),
        _ => None,
    }
}

fn item(bytes: &[u8], at: &mut usize) -> Option<Value> {
    let first = *bytes.get(*at)?;
    *at += 1;
    let (major, info) = (first >> 5, first & 0x1f);
    let indefinite = info == 31;
    Some(match major {
        0 => Value::from(argument(bytes, at, info)?),
        1 => Value::from(-1 - argument(bytes, at, info)? as i64),
        2 | 3 => {
            let mut text = Vec::new();
            if indefinite {
                while bytes.get(*at) != Some(&0xff) {
                    let chunk = item(bytes, at)?;
                    text.extend(chunk.as_str()?.as_bytes());
                }
                *at += 1;
            } else {
                let n = argument(bytes, at, info)? as usize;
                text.extend(bytes.get(*at..*at + n)?);
                *at += n;
            }
            Value::from(String::from_utf8_lossy(&text).to_string())
        }
        4 => {
            let mut items = Vec::new();
            if indefinite {
                while bytes.get(*at) != Some(&0xff) {
                    items.push(item(bytes, at)?);
                }
                *at += 1;
            } else {
                for _ in 0..argument(bytes, at, info)? {
                    items.push(item(bytes, at)?);
                }
            }
            Value::Array(items)
        }
        5 => {
            let mut map = serde_json::Map::new();
            let mut entry = |at: &mut usize| -> Option<()> {
                let k = item(bytes, at)?;
                let v = item(bytes, at)?;
                map.insert(k.as_str()?.to_string(), v);
                Some(())
            };
            if indefinite {
                while bytes.get(*at) != Some(&0xff) {
                    entry(at)?;
                }
                *at += 1;
            } else {
                for _ in 0..argument(bytes, at, info)? {
                    entry(at)?;
                }
            }
            Value::Object(map)
        }
        6 => {
            argument(bytes, at, info)?;
            item(bytes, at)?
        }
        _ => match info {
            20 => Value::Bool(false),
            21 => Value::Bool(true),
            22 | 23 => Value::Null,
            26 => Value::from(f64::from(f32::from_bits(argument(bytes, at, 26)? as u32))),
            27 => Value::from(f64::from_bits(argument(bytes, at, 27)?)),
            _ => return None,
        },
    })
}
