//! What the engine prices in a region: the catalogue of entries a snapshot should hold.
//!
//! The newest us-east-1 snapshot is the reference: every entry it holds is something a service
//! meters. Its usage types are re-spelled for the region by the billing-prefix rules
//! ([`rebase`]); a test estimates every registered kind in every region against the catalogue,
//! so a usage type a service bills elsewhere under another spelling cannot go unnoticed.

use crate::engine::price_book::{PriceBasis, PriceBook};
use crate::vocabulary::units::{PriceKey, Region, ServiceCode, Unit};

use std::collections::HashSet;

use super::product::{Candidate, Product, attribute};

/// Where an entry's price comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// The Price List has it: `prices update` and `prices import` must find it.
    PriceList,
    /// A published rate the Price List lacks (Fargate Spot, and any other the reference entry
    /// marks `published_rate`), or a Savings Plans rate (the savingsPlan offers, which
    /// GetProducts does not serve): carried from the region's snapshot, with its own source.
    Published,
}

/// One entry a region's snapshot should hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Wanted {
    /// The key as billed in the region.
    pub key: PriceKey,
    /// Other spellings of its usage type, as billed in the region.
    pub aliases: Vec<String>,
    /// The unit the engine meters it in.
    pub unit: Unit,
    /// Where its price comes from.
    pub origin: Origin,
}

impl Wanted {
    /// Whether a Price List product prices this entry in `region`.
    pub fn matches(&self, c: &Candidate, region: Region) -> bool {
        let usage_type = attribute(&c.product, "usagetype").unwrap_or("");
        let operation = attribute(&c.product, "operation").unwrap_or("");
        (c.offer.offer_code.is_empty() || c.offer.offer_code == self.key.service_code.code())
            && (usage_type == self.key.usage_type || self.aliases.iter().any(|a| a == usage_type))
            && self
                .key
                .operation
                .as_deref()
                .is_none_or(|op| op == operation)
            && attribute(&c.product, "regioncode").is_none_or(|r| r == region.code())
            && attribute(&c.product, "marketoption").is_none_or(|m| m == "OnDemand")
    }
}

/// Usage types named the same in every region: CloudFront's edge-location prices and
/// CloudWatch dashboards.
fn is_global(service: ServiceCode, usage_type: &str) -> bool {
    service == ServiceCode::AmazonCloudFront || usage_type == "DashboardsUsageHour"
}

/// A us-east-1 usage type as billed in `to`: `USE1-` and `us-east-1-` prefixes are swapped for
/// the region's, a bare us-east-1 name takes the region's prefix, and global names stay.
pub fn rebase(service: ServiceCode, usage_type: &str, to: Region) -> String {
    let from = Region::UsEast1;
    if to == from || is_global(service, usage_type) {
        return usage_type.to_string();
    }
    if let Some(base) = usage_type.strip_prefix(&format!("{}-", from.billing_prefix())) {
        return format!("{}-{base}", to.billing_prefix());
    }
    if let Some(base) = usage_type.strip_prefix(&format!("{}-", from.code())) {
        return format!("{}-{base}", to.code());
    }
    format!("{}-{usage_type}", to.billing_prefix())
}

/// The entries a snapshot of `region` should hold, from the us-east-1 `reference` snapshot.
pub fn catalogue(reference: &PriceBook, region: Region) -> Vec<Wanted> {
    assert_eq!(
        reference.region(),
        Region::UsEast1,
        "the catalogue's reference is the us-east-1 snapshot"
    );
    reference
        .prices()
        .map(|p| {
            let service = p.key.service_code;
            let usage_type = rebase(service, &p.key.usage_type, region);
            // Two spellings in us-east-1 may be one elsewhere (`USE1-X` and bare `X`).
            let mut aliases: Vec<String> = Vec::new();
            for a in p.aliases.iter().map(|a| rebase(service, a, region)) {
                if a != usage_type && !aliases.contains(&a) {
                    aliases.push(a);
                }
            }
            Wanted {
                key: PriceKey {
                    service_code: service,
                    usage_type,
                    operation: p.key.operation.clone(),
                },
                aliases,
                unit: p.unit,
                origin: match (p.basis, service) {
                    (PriceBasis::PublishedRate, _) | (_, ServiceCode::ComputeSavingsPlans) => {
                        Origin::Published
                    }
                    // Reserved terms: `prices update` reads On-Demand terms only.
                    _ if p
                        .key
                        .operation
                        .as_deref()
                        .is_some_and(|o| o.contains(":Reserved:")) =>
                    {
                        Origin::Published
                    }
                    _ => Origin::PriceList,
                },
            }
        })
        .collect()
}

/// Decides, product by product, what an offer file read keeps: products whose usage type the
/// catalogue names in the offer's region (taken from the first product that has a
/// `regionCode`, unless given).
pub struct Matcher<'r> {
    reference: &'r PriceBook,
    region: Option<Region>,
    usage_types: HashSet<String>,
}

impl<'r> Matcher<'r> {
    /// A matcher for `region`, or for the region the offer's products name.
    pub fn new(reference: &'r PriceBook, region: Option<Region>) -> Self {
        let mut m = Matcher {
            reference,
            region: None,
            usage_types: HashSet::new(),
        };
        if let Some(r) = region {
            m.set_region(r);
        }
        m
    }

    fn set_region(&mut self, region: Region) {
        self.region = Some(region);
        self.usage_types = catalogue(self.reference, region)
            .into_iter()
            .flat_map(|w| std::iter::once(w.key.usage_type).chain(w.aliases))
            .collect();
    }

    /// The region matched.
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// Whether to keep a product.
    pub fn keep(&mut self, product: &Product) -> bool {
        if self.region.is_none() {
            match attribute(product, "regioncode").and_then(|r| r.parse().ok()) {
                Some(r) => self.set_region(r),
                None => return false,
            }
        }
        attribute(product, "usagetype").is_some_and(|u| self.usage_types.contains(u))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_types_are_respelled_for_the_region() {
        let ecs = ServiceCode::AmazonEcs;
        let ec2 = ServiceCode::AmazonEc2;
        assert_eq!(
            rebase(ecs, "USE1-Fargate-GB-Hours", Region::EuWest1),
            "EU-Fargate-GB-Hours"
        );
        assert_eq!(
            rebase(ec2, "NatGateway-Hours", Region::ApSouth1),
            "APS3-NatGateway-Hours"
        );
        assert_eq!(
            rebase(ec2, "NatGateway-Hours", Region::UsEast1),
            "NatGateway-Hours"
        );
        assert_eq!(
            rebase(
                ServiceCode::AwsKms,
                "us-east-1-KMS-Keys",
                Region::EuCentral1
            ),
            "eu-central-1-KMS-Keys"
        );
        assert_eq!(
            rebase(
                ServiceCode::AmazonCloudFront,
                "US-DataTransfer-Out-Bytes",
                Region::EuWest1
            ),
            "US-DataTransfer-Out-Bytes"
        );
        // CloudWatch's alias without a prefix gets the region's, like every bare name.
        assert_eq!(
            rebase(
                ServiceCode::AmazonCloudWatch,
                "DataProcessing-Bytes",
                Region::UsWest2
            ),
            "USW2-DataProcessing-Bytes"
        );
    }

    #[test]
    fn the_catalogue_follows_the_reference_and_marks_published_rates() {
        let reference = PriceBook::embedded(Region::UsEast1).unwrap();
        let wanted = catalogue(&reference, Region::UsWest2);
        assert_eq!(wanted.len(), reference.prices().count());
        let spot = wanted
            .iter()
            .find(|w| w.key.usage_type == "USW2-SpotUsage-Fargate-vCPU-Hours:perCPU")
            .unwrap();
        assert_eq!(spot.origin, Origin::Published);
        let nat = wanted
            .iter()
            .find(|w| w.key.usage_type == "USW2-NatGateway-Hours")
            .unwrap();
        assert_eq!((nat.origin, nat.unit), (Origin::PriceList, Unit::Hours));
    }
}
