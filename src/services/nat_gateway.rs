//! NAT gateways: an hourly charge per gateway plus a charge per GB processed. The GB are the
//! routed flows that have no endpoint to take instead.

use super::{Context, Meter, Usage, key};
use crate::routing::RoutePath;
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit};

/// NAT gateways of the VPC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NatGateway {
    /// Number of gateways; one per AZ when not set.
    pub count: Option<u32>,
}

impl NatGateway {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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
        let flows: Vec<String> = ctx
            .traffic
            .through(|p| matches!(p, RoutePath::NatGateway { nat, .. } if nat == id))
            .map(|f| format!("{}→{} {} GB", f.from, f.to, qty(f.gb)))
            .collect();
        out.add(Usage::new(
            id,
            ec2("NatGateway-Bytes"),
            Unit::Gb,
            ctx.traffic.gb_through(id),
            format!("data processed: {}", flows.join(", ")),
        ));
    }
}
