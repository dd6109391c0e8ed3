//! Amazon SQS queues, standard or FIFO: billed per request, where every 64 KB chunk of a
//! request's payload counts as one request. Request prices are tiered on the account's monthly
//! total (standard: 0.40 USD per million for the first 100 billion, 0.30 for the next 100
//! billion, 0.24 beyond; FIFO: 0.50, 0.40, 0.35), and the first million requests a month are
//! a Free Tier allowance, applied only when the model opts in.
//!
//! A message costs a send and a receive, each carrying its payload (so each billed per 64 KB
//! chunk), and a delete (one request). With batching, one call carries up to 10 messages and
//! its payload is the batch's: the chunks are those of the whole batch. Empty receives (long
//! polling on an idle queue) are one request each.

use serde::Deserialize;

use super::{Calibrates, Context, Lever, Meter, Service, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The payload size billed as one request.
pub const CHUNK_KB: f64 = 64.0;
/// The largest payload of one request (1 MiB since August 2025).
pub const MAX_PAYLOAD_KB: f64 = 1024.0;
/// The most messages one batch call carries.
pub const MAX_BATCH: u32 = 10;

/// Standard (at-least-once) or FIFO (ordered, exactly-once).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueType {
    /// A standard queue.
    Standard,
    /// A FIFO queue.
    Fifo,
}

/// A validated queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Queue {
    /// Standard or FIFO.
    pub queue_type: QueueType,
    /// Messages sent per platform transaction.
    pub messages_per_transaction: f64,
    /// Average message payload, KB.
    pub message_size_kb: f64,
    /// Messages per send, receive and delete call (1 to 10).
    pub batch_size: u32,
    /// Receives that find no message, a month.
    pub empty_receives_per_month: f64,
}

impl Queue {
    /// Requests billed for each call carrying a batch's payload: one per started 64 KB chunk.
    pub fn chunks_per_call(&self) -> f64 {
        (self.batch_size as f64 * self.message_size_kb / CHUNK_KB)
            .ceil()
            .max(1.0)
    }

    /// Requests billed per batch of messages: a send and a receive carrying the payload, and a
    /// delete.
    pub fn requests_per_batch(&self) -> f64 {
        2.0 * self.chunks_per_call() + 1.0
    }
}

/// `sqs_queue` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    queue_type: SettingsQueueType,
    messages_per_transaction: NonNegative,
    message_size_kb: NonNegative,
    #[serde(default)]
    batch_size: Option<u32>,
    #[serde(default)]
    empty_receives_per_month: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsQueueType {
    Standard,
    Fifo,
}

impl Service for Queue {
    const KIND: &'static str = "sqs_queue";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["Requests-Tier1", "Requests-FIFO-Tier1"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        let batch_size = s.batch_size.unwrap_or(1);
        if !(1..=MAX_BATCH).contains(&batch_size) {
            return Err(FieldError::new(
                "batch_size",
                format!("{batch_size} messages per call; SQS batches hold 1 to {MAX_BATCH}"),
            ));
        }
        let size = s.message_size_kb.0;
        if size <= 0.0 || size > MAX_PAYLOAD_KB {
            return Err(FieldError::new(
                "message_size_kb",
                format!("{size} KB; expected a payload above 0 and at most {MAX_PAYLOAD_KB} KB"),
            ));
        }
        if batch_size as f64 * size > MAX_PAYLOAD_KB {
            return Err(FieldError::new(
                "batch_size",
                format!(
                    "{batch_size} messages of {size} KB make a {} KB call; SQS calls carry at most {MAX_PAYLOAD_KB} KB",
                    qty(batch_size as f64 * size)
                ),
            ));
        }
        Ok(Queue {
            queue_type: match s.queue_type {
                SettingsQueueType::Standard => QueueType::Standard,
                SettingsQueueType::Fifo => QueueType::Fifo,
            },
            messages_per_transaction: s.messages_per_transaction.0,
            message_size_kb: size,
            batch_size,
            empty_receives_per_month: s.empty_receives_per_month.map_or(0.0, |x| x.0),
        })
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let (base, label) = match self.queue_type {
            QueueType::Standard => ("Requests-Tier1", "standard"),
            QueueType::Fifo => ("Requests-FIFO-Tier1", "FIFO"),
        };
        let sqs = key(
            ServiceCode::AwsQueueService,
            ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
            None,
        );
        let messages = ctx.transactions() * self.messages_per_transaction;
        let batches = messages / self.batch_size as f64;
        out.add(
            Usage::new(
                id,
                sqs.clone(),
                Unit::Requests,
                batches * self.requests_per_batch(),
                format!(
                    "{} messages in {} calls of {} × {} KB: send and receive {} request(s) each (64 KB chunks) + delete 1 ({label} queue)",
                    qty(messages),
                    qty(batches),
                    self.batch_size,
                    qty(self.message_size_kb),
                    qty(self.chunks_per_call())
                ),
            )
            .calibrates(Calibrates::Field("messages_per_transaction")),
        );
        out.add(Usage::new(
            id,
            sqs,
            Unit::Requests,
            self.empty_receives_per_month,
            format!(
                "{} empty receives ({label} queue)",
                qty(self.empty_receives_per_month)
            ),
        ));
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        if !(d.contains("sqs") && d.contains("request")) {
            return None;
        }
        let base = if d.contains("fifo") {
            "Requests-FIFO-Tier1"
        } else {
            "Requests-Tier1"
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queue(size_kb: f64, batch_size: u32) -> Queue {
        Queue {
            queue_type: QueueType::Standard,
            messages_per_transaction: 1.0,
            message_size_kb: size_kb,
            batch_size,
            empty_receives_per_month: 0.0,
        }
    }

    #[test]
    fn payloads_are_billed_in_64_kb_chunks() {
        // 10 KB alone: 1 chunk → send 1 + receive 1 + delete 1 = 3 requests.
        assert_eq!(queue(10.0, 1).requests_per_batch(), 3.0);
        // 64 KB is exactly one chunk; 65 KB starts a second.
        assert_eq!(queue(64.0, 1).chunks_per_call(), 1.0);
        assert_eq!(queue(65.0, 1).chunks_per_call(), 2.0);
        // 256 KB: 4 chunks → 4 + 4 + 1 = 9 requests.
        assert_eq!(queue(256.0, 1).requests_per_batch(), 9.0);
        // 10 messages of 10 KB in one batch: 100 KB → 2 chunks per call → 2 + 2 + 1 = 5.
        assert_eq!(queue(10.0, 10).requests_per_batch(), 5.0);
    }
}
