//! Where traffic goes and the path it takes: the AWS services a VPC endpoint can reach, a
//! flow's destination, and a routed flow with the GB it carries. Pure data; `model::routing`
//! decides the paths.

use std::fmt;

use super::units::keys;

/// AWS services reachable through a VPC endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AwsService {
    /// `s3`
    S3,
    /// `dynamodb`
    DynamoDb,
    /// `ecr.api`
    EcrApi,
    /// `ecr.dkr`
    EcrDkr,
    /// `logs` (CloudWatch Logs)
    CloudWatchLogs,
    /// `monitoring` (CloudWatch metrics)
    CloudWatchMonitoring,
    /// `secretsmanager`
    SecretsManager,
    /// `kms`
    Kms,
    /// `sts`
    Sts,
}

impl AwsService {
    /// Every service.
    pub const ALL: [AwsService; 9] = [
        AwsService::S3,
        AwsService::DynamoDb,
        AwsService::EcrApi,
        AwsService::EcrDkr,
        AwsService::CloudWatchLogs,
        AwsService::CloudWatchMonitoring,
        AwsService::SecretsManager,
        AwsService::Kms,
        AwsService::Sts,
    ];

    /// The endpoint service name used in model files (`ecr.dkr`).
    pub fn keyword(self) -> &'static str {
        match self {
            AwsService::S3 => "s3",
            AwsService::DynamoDb => "dynamodb",
            AwsService::EcrApi => "ecr.api",
            AwsService::EcrDkr => "ecr.dkr",
            AwsService::CloudWatchLogs => "logs",
            AwsService::CloudWatchMonitoring => "monitoring",
            AwsService::SecretsManager => "secretsmanager",
            AwsService::Kms => "kms",
            AwsService::Sts => "sts",
        }
    }

    /// Parses a keyword.
    pub fn from_keyword(s: &str) -> Option<Self> {
        AwsService::ALL.into_iter().find(|a| a.keyword() == s)
    }

    /// All keywords, for error messages.
    pub fn keywords() -> String {
        keys(&AwsService::ALL, |a| a.keyword())
    }

    /// Whether a gateway endpoint exists for the service.
    pub fn has_gateway_endpoint(self) -> bool {
        matches!(self, AwsService::S3 | AwsService::DynamoDb)
    }
}

/// Where a flow goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// An AWS service reached over its regional endpoint (S3, DynamoDB, CloudWatch Logs, …).
    Service(AwsService),
    /// ECR image pulls: the layers are served from S3, so they route like S3 traffic.
    EcrImageLayers,
    /// The public internet.
    Internet,
    /// Another availability zone of the same region.
    CrossAz,
    /// Another component of the model (same AZ, no charge).
    Component(String),
}

impl fmt::Display for Destination {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Destination::Service(s) => f.write_str(s.keyword()),
            Destination::EcrImageLayers => f.write_str("ecr"),
            Destination::Internet => f.write_str("internet"),
            Destination::CrossAz => f.write_str("cross_az"),
            Destination::Component(id) => f.write_str(id),
        }
    }
}

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
    /// GB sent over the period (from the sender to where it goes).
    pub gb: f64,
    /// GB coming back over the period (responses, downloads); 0 unless the flow gives them.
    pub inbound_gb: f64,
}

impl RoutedFlow {
    /// GB in both directions: what a NAT gateway or an interface endpoint processes and what
    /// crosses an AZ.
    pub fn both_ways_gb(&self) -> f64 {
        self.gb + self.inbound_gb
    }

    /// `N GB` or `N GB out + M GB in`, for line descriptions.
    pub fn volume_text(&self) -> String {
        if self.inbound_gb > 0.0 {
            format!(
                "{} GB out + {} GB in",
                crate::vocabulary::text::qty(self.gb),
                crate::vocabulary::text::qty(self.inbound_gb)
            )
        } else {
            format!("{} GB", crate::vocabulary::text::qty(self.gb))
        }
    }
}

/// Every flow of a topology, routed and measured.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RoutedTraffic {
    /// The flows, in topology order.
    pub flows: Vec<RoutedFlow>,
}

impl RoutedTraffic {
    /// Flows whose path matches.
    pub fn through<'a>(
        &'a self,
        matches: impl Fn(&RoutePath) -> bool + 'a,
    ) -> impl Iterator<Item = &'a RoutedFlow> + 'a {
        self.flows.iter().filter(move |f| matches(&f.path))
    }

    /// Total GB through a NAT gateway or endpoint component, both directions.
    pub fn gb_through(&self, component: &str) -> f64 {
        self.through(|p| match p {
            RoutePath::GatewayEndpoint(id) | RoutePath::InterfaceEndpoint(id) => id == component,
            RoutePath::NatGateway { nat, .. } => nat == component,
            RoutePath::CrossAz | RoutePath::Direct => false,
        })
        .map(RoutedFlow::both_ways_gb)
        .sum()
    }
}
