//! Routes each traffic flow the way the VPC would, and measures how many GB take each path.
//!
//! Traffic to an AWS service goes through a gateway endpoint for it when one exists (S3 and
//! DynamoDB only), else through an interface endpoint for it, else through the NAT gateway.
//! Internet traffic goes through the NAT gateway and is charged as egress. So adding an endpoint
//! moves bytes off the NAT, and the estimate shows it.
//!
//! Routing runs once, when a [`Topology`](super::topology::Topology) is built; an estimate
//! only measures the routed flows against the hour-by-hour load.

use super::topology::{Component, Flow, FlowVolume};
use crate::services::NetworkRole;
use crate::services::vpc_endpoint::EndpointType;
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::network::{AwsService, Destination, RoutePath, RoutedFlow, RoutedTraffic};
use crate::vocabulary::units::BYTES_PER_GB;

/// The route of every flow, in flow order. Components ask their service what they are to the
/// network (a NAT gateway, an endpoint for some service).
pub(crate) fn route_all(
    components: &[Component],
    flows: &[Flow],
) -> Result<Vec<RoutePath>, FieldError> {
    let nats: Vec<(usize, &str)> = components
        .iter()
        .enumerate()
        .filter(|(_, c)| c.spec.network_role() == Some(NetworkRole::NatGateway))
        .map(|(i, c)| (i, c.id.as_str()))
        .collect();
    if let [(_, first), (i, second), ..] = nats.as_slice() {
        return Err(FieldError::new(
            format!("components[{i}].kind"),
            format!(
                "a second nat_gateway component (`{second}` besides `{first}`); expected one nat_gateway component per model (set its `count` for several gateways)"
            ),
        ));
    }
    let endpoint = |service: AwsService, wanted: EndpointType| {
        components.iter().find_map(|c| match c.spec.network_role() {
            Some(NetworkRole::Endpoint {
                service: s,
                endpoint_type,
            }) if s == service && endpoint_type == wanted => Some(c.id.clone()),
            _ => None,
        })
    };
    flows
        .iter()
        .enumerate()
        .map(|(i, flow)| {
            let via_nat = |egress: bool| match nats.first() {
                Some((_, nat)) => Ok(RoutePath::NatGateway {
                    nat: nat.to_string(),
                    egress,
                }),
                None => Err(FieldError::new(
                    format!("flows[{i}].to"),
                    if egress {
                        format!(
                            "traffic from `{}` to the internet has no route; expected a nat_gateway component",
                            flow.from
                        )
                    } else {
                        format!(
                            "traffic from `{}` to `{}` has no route: no endpoint for it and no nat_gateway component; expected a nat_gateway or a vpc_endpoint for `{}`",
                            flow.from, flow.to, flow.to
                        )
                    },
                )),
            };
            let to_service = |service: AwsService| {
                if let Some(id) = endpoint(service, EndpointType::Gateway) {
                    Ok(RoutePath::GatewayEndpoint(id))
                } else if let Some(id) = endpoint(service, EndpointType::Interface) {
                    Ok(RoutePath::InterfaceEndpoint(id))
                } else {
                    via_nat(false)
                }
            };
            match &flow.to {
                Destination::Service(s) => to_service(*s),
                Destination::EcrImageLayers => to_service(AwsService::S3),
                Destination::Internet => via_nat(true),
                Destination::CrossAz => Ok(RoutePath::CrossAz),
                Destination::Component(_) => Ok(RoutePath::Direct),
            }
        })
        .collect()
}

/// The GB of a volume over a period of `transactions`.
fn gb(volume: FlowVolume, transactions: f64) -> f64 {
    match volume {
        // A monthly figure stays the month's total whatever the month's length.
        FlowVolume::GbPerMonth(gb) => gb,
        FlowVolume::BytesPerRequest(bytes) => transactions * bytes / BYTES_PER_GB,
    }
}

/// Measures routed flows: `transactions` is the platform's total over the period; a
/// `gb_per_month` flow is the period's total whatever its length.
pub(crate) fn measure(flows: &[Flow], routes: &[RoutePath], transactions: f64) -> RoutedTraffic {
    let flows = flows
        .iter()
        .zip(routes)
        .enumerate()
        .map(|(index, (flow, path))| RoutedFlow {
            index,
            from: flow.from.clone(),
            to: flow.to.clone(),
            path: path.clone(),
            gb: gb(flow.volume, transactions),
            inbound_gb: flow.inbound.map_or(0.0, |v| gb(v, transactions)),
        })
        .collect();
    RoutedTraffic { flows }
}
