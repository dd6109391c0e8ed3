//! Public IPv4 addresses, charged per in-use address-hour (USD 0.005 in the Price List since
//! 2024-02-01, AmazonVPC, `PublicIPv4:InUseAddress`), whatever holds them: the AWS networking
//! blog's update of February 1, 2024 says the charge applies "to all public IPv4 address types —
//! except BYOIP". Each public NAT gateway holds an Elastic IP; an internet-facing load balancer
//! holds one address per availability zone. Components that hold addresses meter them here,
//! with a `public_ipv4_addresses` field to override the count.

use super::{Calibrates, Context, Meter, Usage, key};
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, Region, ServiceCode, Unit};

/// The usage type of an in-use address, without its region prefix.
pub const IN_USE: &str = "PublicIPv4:InUseAddress";

/// The usage type of an idle (allocated, unattached) Elastic IP, without its region prefix.
pub const IDLE: &str = "PublicIPv4:IdleAddress";

/// The model field that overrides the count.
pub const FIELD: &str = "public_ipv4_addresses";

/// Meters `addresses` in-use public IPv4 addresses held all period by component `id`.
pub(crate) fn meter(id: &str, addresses: u32, held_by: &str, ctx: &Context<'_>, out: &mut Meter) {
    if addresses == 0 {
        return;
    }
    out.add(
        Usage::new(
            id,
            key(
                ServiceCode::AmazonVpc,
                ctx.region.usage_type(IN_USE, PrefixRule::Always),
                None,
            ),
            Unit::Hours,
            addresses as f64 * ctx.hours(),
            format!(
                "{addresses} public IPv4 address(es) ({held_by}) × {} h",
                qty(ctx.hours())
            ),
        )
        .calibrates(Calibrates::Count(FIELD)),
    );
}

/// The usage type a bill's description of a public IPv4 charge names.
pub fn usage_type_for_description(d: &str, region: Region) -> Option<String> {
    let base = if d.contains("in-use public ipv4 address") {
        IN_USE
    } else if d.contains("idle public ipv4 address") {
        IDLE
    } else {
        return None;
    };
    Some(region.usage_type(base, PrefixRule::Always))
}
