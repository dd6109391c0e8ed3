//! Routes each traffic flow the way the VPC would, and measures how many GB take each path.
//!
//! Traffic to an AWS service goes through a gateway endpoint for it when one exists (S3 and
//! DynamoDB only), else through an interface endpoint for it, else through the NAT gateway.
//! Internet traffic goes through the NAT gateway and is charged as egress. So adding an endpoint
//! moves bytes off the NAT, and the estimate shows it.

use crate::services::vpc_endpoint::{AwsService, EndpointType};
use crate::topology::{ComponentSpec, Destination, FieldError, FlowVolume, Topology};
use crate::units::BYTES_PER_GB;

/// The path a flow takes out of the application subnets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoutePath {
    /// Through a gateway endpoint (no charge); the endpoint's component id.
    GatewayEndpoint(String),
    /// Through an interface endpoint; the endpoint's component id.
    InterfaceEndpoint(String),
    /// Through the NAT gateway; its component id. `egress` when the bytes leave AWS.
    NatGateway {
        /// The NAT gateway component.
        nat: String,
        /// Whether the bytes go on to the internet (and are charged as egress).
        egress: bool,
    },
    /// Across availability zones inside the VPC (charged in each direction).
    CrossAz,
    /// To another component in the same AZ: no charge.
    Direct,
}

/// The route of every flow of a topology, in flow order.
pub(crate) fn route_all(t: &Topology) -> Result<Vec<RoutePath>, FieldError> {
    let nats: Vec<&str> = t
        .components
        .iter()
        .filter(|c| matches!(c.spec, ComponentSpec::NatGateway(_)))
        .map(|c| c.id.as_str())
        .collect();
    if nats.len() > 1 {
        let i = t
            .components
            .iter()
            .rposition(|c| c.id == nats[1])
            .unwrap_or(0);
        return Err(FieldError {
            path: format!("components[{i}].kind"),
            message: format!(
                "a second nat_gateway component (`{}` besides `{}`); expected one nat_gateway component per model (set its `count` for several gateways)",
                nats[1], nats[0]
            ),
        });
    }
    let endpoint = |service: AwsService, wanted: EndpointType| {
        t.components.iter().find_map(|c| match &c.spec {
            ComponentSpec::VpcEndpoint(e) if e.service == service && e.endpoint_type == wanted => {
                Some(c.id.clone())
            }
            _ => None,
        })
    };
    t.flows
        .iter()
        .enumerate()
        .map(|(i, flow)| {
            let via_nat = |egress: bool| match nats.first() {
                Some(nat) => Ok(RoutePath::NatGateway {
                    nat: nat.to_string(),
                    egress,
                }),
                None => Err(FieldError {
                    path: format!("flows[{i}].to"),
                    message: if egress {
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
                }),
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

/// One flow with its route and its volume over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct RoutedFlow {
    /// Index of the flow in the topology.
    pub index: usize,
    /// The sending component.
    pub from: String,
    /// Where it goes.
    pub to: Destination,
    /// The path it takes.
    pub path: RoutePath,
    /// GB carried over the period.
    pub gb: f64,
}

/// Every flow of a topology, routed and measured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoutedTraffic {
    /// The flows, in topology order.
    pub flows: Vec<RoutedFlow>,
}

impl RoutedTraffic {
    /// Routes and measures the flows. `tps` is the platform load in each hour of the period;
    /// a `gb_per_month` flow is the period's total whatever its length.
    pub fn measure(t: &Topology, tps: &[f64]) -> Result<Self, FieldError> {
        let transactions: f64 = tps.iter().map(|x| x * 3600.0).sum();
        let paths = t.routes()?;
        let flows = t
            .flows
            .iter()
            .zip(paths)
            .enumerate()
            .map(|(index, (flow, path))| RoutedFlow {
                index,
                from: flow.from.clone(),
                to: flow.to.clone(),
                path,
                gb: match flow.volume {
                    // A monthly figure stays the month's total whatever the month's length.
                    FlowVolume::GbPerMonth(gb) => gb,
                    FlowVolume::BytesPerRequest(bytes) => transactions * bytes / BYTES_PER_GB,
                },
            })
            .collect();
        Ok(RoutedTraffic { flows })
    }

    /// Flows whose path matches.
    pub fn through<'a>(
        &'a self,
        matches: impl Fn(&RoutePath) -> bool + 'a,
    ) -> impl Iterator<Item = &'a RoutedFlow> + 'a {
        self.flows.iter().filter(move |f| matches(&f.path))
    }

    /// Total GB through a NAT gateway or endpoint component.
    pub fn gb_through(&self, component: &str) -> f64 {
        self.through(|p| match p {
            RoutePath::GatewayEndpoint(id) | RoutePath::InterfaceEndpoint(id) => id == component,
            RoutePath::NatGateway { nat, .. } => nat == component,
            RoutePath::CrossAz | RoutePath::Direct => false,
        })
        .map(|f| f.gb)
        .sum()
    }
}
