//! Data transfer charged by the flows themselves: internet egress (tiered, account-wide) and
//! traffic between availability zones (charged out of one AZ and into the other).

use super::{Calibrates, Context, Meter, Usage, key};
use crate::vocabulary::network::RoutePath;
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

/// The usage types data transfer bills (charged to the sending component), without their
/// region prefix.
pub const USAGE_TYPES: &[&str] = &["DataTransfer-Out-Bytes", "DataTransfer-Regional-Bytes"];

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
                2.0 * flow.gb,
                format!(
                    "{} GB across AZs, charged out and in (2 × {} GB, flow {})",
                    qty(2.0 * flow.gb),
                    qty(flow.gb),
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
