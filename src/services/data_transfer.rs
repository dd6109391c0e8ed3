//! Data transfer charged by the flows themselves: internet egress (tiered, account-wide) and
//! traffic between availability zones (charged out of one AZ and into the other).

use super::{Calibrates, Context, Meter, Usage, key};
use crate::vocabulary::network::RoutePath;
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The usage types data transfer bills (charged to the sending component), without their
/// region prefix.
pub const USAGE_TYPES: &[&str] = &["DataTransfer-Out-Bytes", "DataTransfer-Regional-Bytes"];

/// The usage type a bill's description of data transfer names (lower case): internet egress
/// tiers, transfer between AZs, transfer in, and transfer to and from CloudFront. Transfer
/// between regions (`… data transfer to US East (…)`) is left out: its usage type names both
/// regions.
pub fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
    let base = if d.contains("data transfer out")
        && (d.contains(" tb / month") || d.contains("global free tier"))
    {
        "DataTransfer-Out-Bytes"
    } else if d.contains("regional data transfer") {
        "DataTransfer-Regional-Bytes"
    } else if d.contains("data transfer in per month") {
        "DataTransfer-In-Bytes"
    } else if d.contains("to cloudfront") {
        return Some(region.usage_type("CloudFront-Out-Bytes", PrefixRule::Always));
    } else if d.contains("from cloudfront") {
        return Some(region.usage_type("CloudFront-In-Bytes", PrefixRule::Always));
    } else {
        return None;
    };
    Some(region.usage_type(base, PrefixRule::ExceptUsEast1))
}

/// Meters the data transfer of every routed flow, charged to the sending component.
pub(crate) fn meter(ctx: &Context<'_>, out: &mut Meter) {
    let dt = |base: &str| {
        key(
            ServiceCode::AwsDataTransfer,
            ctx.region.usage_type(base, PrefixRule::ExceptUsEast1),
            None,
        )
    };
    for flow in &ctx.traffic.flows {
        match &flow.path {
            RoutePath::NatGateway { egress: true, .. } => out.add(
                Usage::new(
                    &flow.from,
                    dt("DataTransfer-Out-Bytes"),
                    Unit::Gb,
                    flow.gb,
                    format!(
                        "{} GB out to the internet (flow {})",
                        qty(flow.gb),
                        flow.index
                    ),
                )
                .calibrates(Calibrates::InternetFlows),
            ),
            RoutePath::CrossAz => out.add(Usage::new(
                &flow.from,
                dt("DataTransfer-Regional-Bytes"),
                Unit::Gb,
                2.0 * flow.both_ways_gb(),
                format!(
                    "{} GB across AZs, charged out and in (2 × {}, flow {})",
                    qty(2.0 * flow.both_ways_gb()),
                    flow.volume_text(),
                    flow.index
                ),
            )),
            RoutePath::NatGateway { egress: false, .. }
            | RoutePath::GatewayEndpoint(_)
            | RoutePath::InterfaceEndpoint(_)
            | RoutePath::Direct => {}
        }
    }
}
