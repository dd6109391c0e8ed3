//! NAT gateways: an hourly charge per gateway plus a charge per GB processed, and the public
//! IPv4 address (Elastic IP) each public gateway holds. The GB are the routed flows that have no
//! endpoint to take instead. With fewer gateways than AZs, the traffic of the AZs without one
//! crosses to a gateway in another AZ and pays inter-AZ transfer, out and in; it is derived here
//! (the NAT-bound GB times the share of AZs without a gateway, load spread evenly over the AZs)
//! and charged to the sending component on its own line.

use serde::Deserialize;

use super::{
    Calibrates, Context, Lever, Meter, NetworkRole, Service, Twin, Usage, key, public_ipv4,
};
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::network::RoutePath;
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// NAT gateways of the VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NatGateway {
    /// Number of gateways; one per AZ when not set.
    pub count: Option<u32>,
    /// Public IPv4 addresses held; one per gateway when not set.
    pub public_ipv4_addresses: Option<u32>,
}

/// `nat_gateway` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    count: Option<u32>,
    /// Public IPv4 addresses the gateways hold (one Elastic IP each by default; up to 8 a
    /// gateway with secondary addresses).
    public_ipv4_addresses: Option<u32>,
}

impl Service for NatGateway {
    const KIND: &'static str = "nat_gateway";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] =
        &["NatGateway-Hours", "NatGateway-Bytes", public_ipv4::IN_USE];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        if s.count == Some(0) {
            return Err(FieldError::new("count", "0 gateways; expected at least 1"));
        }
        Ok(NatGateway {
            count: s.count,
            public_ipv4_addresses: s.public_ipv4_addresses,
        })
    }

    fn network_role(&self) -> Option<NetworkRole> {
        Some(NetworkRole::NatGateway)
    }

    fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
        let base = if d.contains("nat gateway hour") {
            "NatGateway-Hours"
        } else if d.contains("data processed by nat gateway") {
            "NatGateway-Bytes"
        } else {
            return None;
        };
        Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let count = self.count.unwrap_or(ctx.availability_zones);
        let ec2 = |base: &str| {
            key(
                ServiceCode::AmazonEc2,
                ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
                None,
            )
        };
        out.add(Usage::new(
            id,
            ec2("NatGateway-Hours"),
            Unit::Hours,
            count as f64 * ctx.hours(),
            format!("{count} gateways × {} h", qty(ctx.hours())),
        ));
        let addresses = self.public_ipv4_addresses.unwrap_or(count);
        public_ipv4::meter(id, addresses, "an Elastic IP per gateway", ctx, out);
        let flows: Vec<String> = ctx
            .traffic
            .through(|p| matches!(p, RoutePath::NatGateway { nat, .. } if nat == id))
            .map(|f| format!("{}→{} {}", f.from, f.to, f.volume_text()))
            .collect();
        let without = ctx.availability_zones.saturating_sub(count);
        if without > 0 {
            let share = without as f64 / ctx.availability_zones as f64;
            let dt = key(
                ServiceCode::AwsDataTransfer,
                ctx.region
                    .usage_type("DataTransfer-Regional-Bytes", PrefixRule::ExceptUsEast1),
                None,
            );
            for f in ctx
                .traffic
                .through(|p| matches!(p, RoutePath::NatGateway { nat, .. } if nat == id))
            {
                let crossing = f.both_ways_gb() * share;
                out.add(Usage::new(
                    &f.from,
                    dt.clone(),
                    Unit::Gb,
                    2.0 * crossing,
                    format!(
                        "{} GB to NAT gateway `{id}` from the {without} of {} AZs without one, charged out and in (2 × {} GB, flow {})",
                        qty(2.0 * crossing),
                        ctx.availability_zones,
                        qty(crossing),
                        f.index
                    ),
                ));
            }
        }
        out.add(
            Usage::new(
                id,
                ec2("NatGateway-Bytes"),
                Unit::Gb,
                ctx.traffic.gb_through(id),
                format!("data processed: {}", flows.join(", ")),
            )
            .calibrates(Calibrates::NatFlows),
        );
    }

    fn provisioned(&self, _lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        None
    }
}
