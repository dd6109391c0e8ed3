//! Amazon S3 buckets: storage by class with data growth over the month, requests, lifecycle
//! transitions, and S3 Intelligent-Tiering with an access model.
//!
//! The access model: the data stored at the start of the month was written evenly over
//! `data_age_months`. Under Intelligent-Tiering an object moves to Infrequent Access after 30
//! days without access and to Archive Instant Access after 90; the share of older data that is
//! still read stays in Frequent Access. Objects under 128 KB are never moved and not monitored.
//! Data written during the month (growth) is younger than 30 days and counts at half its size
//! (linear growth) in the first tier. A lifecycle rule moves Standard objects by the same age
//! model; objects under 128 KB are not transitioned (S3's default).

use serde::Deserialize;

use super::{Alternative, Change, Context, Lever, Meter, Service, Severity, Twin, Usage, key};
use crate::vocabulary::fields::{FieldError, NonNegative, percent};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// Days in the months of the access model.
const DAYS_PER_MONTH: f64 = 30.0;
/// Intelligent-Tiering moves an object after this many days without access…
const INT_IA_AFTER_DAYS: f64 = 30.0;
/// …and to Archive Instant Access after this many.
const INT_AIA_AFTER_DAYS: f64 = 90.0;
/// Smallest object Intelligent-Tiering monitors and moves.
const INT_MIN_OBJECT_KB: f64 = 128.0;

/// The class objects are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageClass {
    /// S3 Standard.
    Standard,
    /// S3 Standard-Infrequent Access.
    StandardIa,
    /// S3 Intelligent-Tiering.
    IntelligentTiering,
}

/// A lifecycle rule moving Standard objects to another class after some days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lifecycle {
    /// Days after upload.
    pub after_days: f64,
    /// The class objects move to (Standard-IA or Intelligent-Tiering).
    pub to: StorageClass,
}

/// A validated bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Class objects are written in.
    pub storage_class: StorageClass,
    /// GB stored at the start of the month.
    pub stored_gb: f64,
    /// GB written during the month.
    pub growth_gb_per_month: f64,
    /// Average object size, KB.
    pub average_object_size_kb: f64,
    /// Months over which the stored data was written (its age spread).
    pub data_age_months: f64,
    /// Percentage of data older than 30 days that is still read every month.
    pub accessed_after_30_days_percent: f64,
    /// PUT, COPY, POST and LIST requests a month.
    pub put_requests_per_month: f64,
    /// GET and other requests a month.
    pub get_requests_per_month: f64,
    /// Optional lifecycle transition for Standard objects.
    pub lifecycle: Option<Lifecycle>,
    /// Whether the model says how the data ages (an access model): needed by
    /// Intelligent-Tiering and lifecycle rules, and on a Standard bucket what `rightsize`
    /// weighs Intelligent-Tiering with.
    pub ages_known: bool,
}

/// GB-months of a bucket by storage tier.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct TierSplit {
    /// S3 Standard.
    pub standard: f64,
    /// S3 Standard-IA.
    pub standard_ia: f64,
    /// Intelligent-Tiering Frequent Access.
    pub int_frequent: f64,
    /// Intelligent-Tiering Infrequent Access.
    pub int_infrequent: f64,
    /// Intelligent-Tiering Archive Instant Access.
    pub int_archive_instant: f64,
}

impl TierSplit {
    /// All Intelligent-Tiering GB-months.
    pub fn intelligent_tiering(&self) -> f64 {
        self.int_frequent + self.int_infrequent + self.int_archive_instant
    }
}

impl Bucket {
    /// Share of the stored data whose age in days lies in `[from, to)`.
    fn age_share(&self, from: f64, to: f64) -> f64 {
        let span = self.data_age_months * DAYS_PER_MONTH;
        if span <= 0.0 {
            // All data is brand new.
            return if from <= 0.0 { 1.0 } else { 0.0 };
        }
        ((to.min(span) - from.max(0.0)).max(0.0)) / span
    }

    /// Splits `gb` of data that entered Intelligent-Tiering at age `entered_days` into tiers.
    fn int_split(&self, gb_at_start: f64, entered_days: f64, split: &mut TierSplit) {
        if self.average_object_size_kb < INT_MIN_OBJECT_KB {
            // Small objects are never moved: all at the Frequent Access rate.
            split.int_frequent += gb_at_start * self.age_share(entered_days, f64::INFINITY);
            return;
        }
        let still_read = self.accessed_after_30_days_percent / 100.0;
        let fa = self.age_share(entered_days, entered_days + INT_IA_AFTER_DAYS);
        let ia = self.age_share(
            entered_days + INT_IA_AFTER_DAYS,
            entered_days + INT_AIA_AFTER_DAYS,
        );
        let aia = self.age_share(entered_days + INT_AIA_AFTER_DAYS, f64::INFINITY);
        split.int_frequent += gb_at_start * (fa + (ia + aia) * still_read);
        split.int_infrequent += gb_at_start * ia * (1.0 - still_read);
        split.int_archive_instant += gb_at_start * aia * (1.0 - still_read);
    }

    /// GB-months by tier over the month.
    pub fn tiers(&self) -> TierSplit {
        let mut split = TierSplit::default();
        let new_data = self.growth_gb_per_month / 2.0;
        match (self.storage_class, self.lifecycle) {
            (StorageClass::Standard, None) => split.standard = self.stored_gb + new_data,
            (StorageClass::StandardIa, _) => split.standard_ia = self.stored_gb + new_data,
            (StorageClass::IntelligentTiering, _) => {
                self.int_split(self.stored_gb, 0.0, &mut split);
                split.int_frequent += new_data;
            }
            (StorageClass::Standard, Some(_))
                if self.average_object_size_kb < INT_MIN_OBJECT_KB =>
            {
                // Lifecycle rules skip objects under 128 KB by default: they stay in Standard.
                split.standard = self.stored_gb + new_data;
            }
            (StorageClass::Standard, Some(rule)) => {
                split.standard = self.stored_gb * self.age_share(0.0, rule.after_days) + new_data;
                match rule.to {
                    StorageClass::IntelligentTiering => {
                        self.int_split(self.stored_gb, rule.after_days, &mut split)
                    }
                    StorageClass::StandardIa | StorageClass::Standard => {
                        split.standard_ia =
                            self.stored_gb * self.age_share(rule.after_days, f64::INFINITY)
                    }
                }
            }
        }
        split
    }

    /// The same bucket in S3 Standard wherever it used Intelligent-Tiering.
    pub fn without_intelligent_tiering(&self) -> Self {
        let mut b = *self;
        if b.storage_class == StorageClass::IntelligentTiering {
            b.storage_class = StorageClass::Standard;
        }
        if b.lifecycle
            .is_some_and(|l| l.to == StorageClass::IntelligentTiering)
        {
            b.lifecycle = None;
        }
        b
    }

    /// Whether any of the bucket's data is in Intelligent-Tiering.
    pub fn uses_intelligent_tiering(&self) -> bool {
        *self != self.without_intelligent_tiering()
    }

    /// Objects in a number of GB.
    fn objects(&self, gb: f64) -> f64 {
        gb * 1024.0 * 1024.0 / self.average_object_size_kb
    }
}

/// `s3_bucket` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    storage_class: SettingsStorageClass,
    stored_gb: NonNegative,
    growth_gb_per_month: NonNegative,
    average_object_size_kb: NonNegative,
    access_model: Option<SettingsAccessModel>,
    put_requests_per_month: NonNegative,
    get_requests_per_month: NonNegative,
    lifecycle: Option<SettingsLifecycle>,
}

#[derive(Deserialize, Clone, Copy)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsStorageClass {
    Standard,
    StandardIa,
    IntelligentTiering,
}

impl From<SettingsStorageClass> for StorageClass {
    fn from(c: SettingsStorageClass) -> Self {
        match c {
            SettingsStorageClass::Standard => StorageClass::Standard,
            SettingsStorageClass::StandardIa => StorageClass::StandardIa,
            SettingsStorageClass::IntelligentTiering => StorageClass::IntelligentTiering,
        }
    }
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsAccessModel {
    data_age_months: NonNegative,
    accessed_after_30_days_percent: Option<NonNegative>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct SettingsLifecycle {
    after_days: NonNegative,
    to: SettingsStorageClass,
}

impl Service for Bucket {
    const KIND: &'static str = "s3_bucket";
    const ORIGINATES_TRAFFIC: bool = true;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &[
        "TimedStorage-ByteHrs",
        "TimedStorage-SIA-ByteHrs",
        "TimedStorage-INT-FA-ByteHrs",
        "TimedStorage-INT-IA-ByteHrs",
        "TimedStorage-INT-AIA-ByteHrs",
        "Monitoring-Automation-INT",
        "Requests-Tier1",
        "Requests-Tier2",
        "Requests-SIA-Tier1",
        "Requests-SIA-Tier2",
        "Requests-INT-Tier1",
        "Requests-INT-Tier2",
        "Requests-Tier4",
    ];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        if s.average_object_size_kb.0 <= 0.0 {
            return Err(FieldError::new(
                "average_object_size_kb",
                "0 KB; expected an object size above 0",
            ));
        }
        let class: StorageClass = s.storage_class.into();
        let lifecycle = match (s.lifecycle, class) {
            (None, _) => None,
            (Some(l), StorageClass::Standard) => {
                let to: StorageClass = l.to.into();
                if to == StorageClass::Standard {
                    return Err(FieldError::new(
                        "lifecycle.to",
                        "objects are already in standard; expected standard_ia or intelligent_tiering",
                    ));
                }
                Some(Lifecycle {
                    after_days: l.after_days.0,
                    to,
                })
            }
            (Some(_), _) => {
                return Err(FieldError::new(
                    "lifecycle",
                    "lifecycle transitions are modeled from storage_class: standard only",
                ));
            }
        };
        let tiers_into_int = class == StorageClass::IntelligentTiering
            || lifecycle.is_some_and(|l| l.to == StorageClass::IntelligentTiering);
        let ages_matter = tiers_into_int || lifecycle.is_some();
        // On a Standard bucket without lifecycle rules the access model does not change the
        // estimate; it says how the data ages, which `rightsize` weighs Intelligent-Tiering with.
        let weighs_tiering = class == StorageClass::Standard && lifecycle.is_none();
        let ages_known = s.access_model.is_some();
        let (data_age_months, accessed_percent) = match (
            s.access_model,
            ages_matter || weighs_tiering,
        ) {
            (Some(a), true) => {
                let field = "access_model.accessed_after_30_days_percent";
                let accessed = match (
                    a.accessed_after_30_days_percent,
                    tiers_into_int || weighs_tiering,
                ) {
                    (Some(p), true) => percent(field, p.0)?,
                    (None, true) if tiers_into_int => {
                        return Err(FieldError::new(
                            field,
                            "missing; Intelligent-Tiering needs the share of older data still read",
                        ));
                    }
                    (None, true) => {
                        return Err(FieldError::new(
                            field,
                            "missing; on a Standard bucket the access model weighs Intelligent-Tiering, which needs the share of older data still read",
                        ));
                    }
                    (Some(_), false) => {
                        return Err(FieldError::new(field, "only used with Intelligent-Tiering"));
                    }
                    (None, false) => 0.0,
                };
                (a.data_age_months.0, accessed)
            }
            (None, true) if ages_matter => {
                return Err(FieldError::new(
                    "access_model",
                    "missing; Intelligent-Tiering and lifecycle rules need data_age_months (and accessed_after_30_days_percent for Intelligent-Tiering)",
                ));
            }
            (None, true) => (0.0, 0.0),
            (Some(_), false) => {
                return Err(FieldError::new(
                    "access_model",
                    "only used with Intelligent-Tiering, a lifecycle rule, or on a Standard bucket",
                ));
            }
            (None, false) => (0.0, 0.0),
        };
        Ok(Bucket {
            ages_known,
            storage_class: class,
            stored_gb: s.stored_gb.0,
            growth_gb_per_month: s.growth_gb_per_month.0,
            average_object_size_kb: s.average_object_size_kb.0,
            data_age_months,
            accessed_after_30_days_percent: accessed_percent,
            put_requests_per_month: s.put_requests_per_month.0,
            get_requests_per_month: s.get_requests_per_month.0,
            lifecycle,
        })
    }

    fn alternatives(&self, _tps_by_hour: &[f64]) -> Vec<Alternative<Self>> {
        if self.storage_class != StorageClass::Standard
            || self.lifecycle.is_some()
            || !self.ages_known
        {
            return Vec::new();
        }
        vec![Alternative {
            change: Change::IntelligentTiering,
            replacement: Bucket {
                storage_class: StorageClass::IntelligentTiering,
                ..*self
            },
            patch: vec![("storage_class", "intelligent_tiering".into())],
            risk: "objects already stored move by a one-time lifecycle transition (a request each); objects under 128 KB are not monitored and stay at the Frequent Access rate",
            evidence: Some(format!(
                "{} GB stored, written over {} months; {}% of the data older than 30 days is still read",
                qty(self.stored_gb),
                qty(self.data_age_months),
                qty(self.accessed_after_30_days_percent)
            )),
        }]
    }

    fn provisioned(&self, lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        (lever == Lever::S3IntelligentTiering && self.uses_intelligent_tiering())
            .then(|| Twin::Replace(self.without_intelligent_tiering()))
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let base = if d.contains("month of storage used") {
            "TimedStorage-ByteHrs"
        } else if d.contains("put, copy, post, or list requests") {
            if d.contains("intelligent-tiering") {
                "Requests-INT-Tier1"
            } else {
                "Requests-Tier1"
            }
        } else if d.contains("get and all other requests") {
            if d.contains("intelligent-tiering") {
                "Requests-INT-Tier2"
            } else {
                "Requests-Tier2"
            }
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let s3 = |base: &str| {
            key(
                ServiceCode::AmazonS3,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                None,
            )
        };
        let t = self.tiers();
        for (gb, usage_type, what) in [
            (t.standard, "TimedStorage-ByteHrs", "S3 Standard"),
            (t.standard_ia, "TimedStorage-SIA-ByteHrs", "S3 Standard-IA"),
            (
                t.int_frequent,
                "TimedStorage-INT-FA-ByteHrs",
                "Intelligent-Tiering Frequent Access",
            ),
            (
                t.int_infrequent,
                "TimedStorage-INT-IA-ByteHrs",
                "Intelligent-Tiering Infrequent Access",
            ),
            (
                t.int_archive_instant,
                "TimedStorage-INT-AIA-ByteHrs",
                "Intelligent-Tiering Archive Instant Access",
            ),
        ] {
            out.add(Usage::new(
                id,
                s3(usage_type),
                Unit::GbMonths,
                gb,
                format!("{what}: {} GB-months", qty(gb)),
            ));
        }
        if t.intelligent_tiering() > 0.0 {
            if self.average_object_size_kb >= INT_MIN_OBJECT_KB {
                let objects = self.objects(t.intelligent_tiering());
                out.add(Usage::new(
                    id,
                    s3("Monitoring-Automation-INT"),
                    Unit::Objects,
                    objects,
                    format!(
                        "{} objects of {} KB monitored",
                        qty(objects),
                        qty(self.average_object_size_kb)
                    ),
                ));
            } else {
                out.diagnose(id, Severity::Note, format!(
                    "objects of {} KB are under Intelligent-Tiering's 128 KB minimum: never monitored, always at the Frequent Access rate",
                    qty(self.average_object_size_kb)
                ));
            }
        }
        let (put, get) = match self.storage_class {
            StorageClass::Standard => ("Requests-Tier1", "Requests-Tier2"),
            StorageClass::StandardIa => ("Requests-SIA-Tier1", "Requests-SIA-Tier2"),
            StorageClass::IntelligentTiering => ("Requests-INT-Tier1", "Requests-INT-Tier2"),
        };
        out.add(Usage::new(
            id,
            s3(put),
            Unit::Requests,
            self.put_requests_per_month,
            "PUT, COPY, POST and LIST requests",
        ));
        out.add(Usage::new(
            id,
            s3(get),
            Unit::Requests,
            self.get_requests_per_month,
            "GET and other requests",
        ));
        if let (StorageClass::Standard, Some(_)) = (self.storage_class, self.lifecycle)
            && self.average_object_size_kb < INT_MIN_OBJECT_KB
        {
            out.diagnose(id, Severity::Note, format!(
                "objects of {} KB are under the 128 KB lifecycle rules transition by default: they stay in Standard",
                qty(self.average_object_size_kb)
            ));
        } else if let (StorageClass::Standard, Some(rule)) = (self.storage_class, self.lifecycle) {
            // In steady state as many objects reach the transition age each month as are written.
            let transitions = self.objects(self.growth_gb_per_month);
            out.add(Usage::new(
                id,
                s3("Requests-Tier4"),
                Unit::Requests,
                transitions,
                format!(
                    "lifecycle transitions after {} days ({} objects a month)",
                    qty(rule.after_days),
                    qty(transitions)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bucket(class: StorageClass) -> Bucket {
        Bucket {
            storage_class: class,
            stored_gb: 12_000.0,
            growth_gb_per_month: 1_000.0,
            average_object_size_kb: 512.0,
            data_age_months: 12.0,
            accessed_after_30_days_percent: 10.0,
            put_requests_per_month: 0.0,
            get_requests_per_month: 0.0,
            lifecycle: None,
            ages_known: true,
        }
    }

    #[test]
    fn intelligent_tiering_splits_by_age_and_access() {
        let t = bucket(StorageClass::IntelligentTiering).tiers();
        // Data written evenly over 360 days: 30/360 under 30 days, 60/360 from 30 to 90, 270/360 older.
        // FA: 12,000 × (1/12 + (2/12 + 9/12) × 0.10) + 1,000 / 2 = 1,000 + 1,100 + 500 = 2,600.
        assert!((t.int_frequent - 2600.0).abs() < 1e-9);
        // IA: 12,000 × 2/12 × 0.9 = 1,800; AIA: 12,000 × 9/12 × 0.9 = 8,100.
        assert!((t.int_infrequent - 1800.0).abs() < 1e-9);
        assert!((t.int_archive_instant - 8100.0).abs() < 1e-9);
    }

    #[test]
    fn small_objects_stay_in_frequent_access() {
        let mut b = bucket(StorageClass::IntelligentTiering);
        b.average_object_size_kb = 64.0;
        let t = b.tiers();
        assert_eq!(t.int_frequent, 12_500.0);
        assert_eq!(t.int_infrequent + t.int_archive_instant, 0.0);
    }

    #[test]
    fn lifecycle_keeps_young_data_in_standard() {
        let mut b = bucket(StorageClass::Standard);
        b.lifecycle = Some(Lifecycle {
            after_days: 30.0,
            to: StorageClass::StandardIa,
        });
        let t = b.tiers();
        // Standard: 12,000 × 30/360 + 500 = 1,500; Standard-IA: 12,000 × 330/360 = 11,000.
        assert!((t.standard - 1500.0).abs() < 1e-9);
        assert!((t.standard_ia - 11_000.0).abs() < 1e-9);
    }
}
