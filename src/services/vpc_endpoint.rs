//! VPC endpoints. Gateway endpoints (S3, DynamoDB) cost nothing and take their service's
//! traffic off the NAT gateway. Interface endpoints (PrivateLink) cost an hourly charge per AZ
//! plus a tiered charge per GB processed.

use super::{Context, Meter, Severity, Usage, key};
use crate::text::qty;
use crate::units::{PrefixRule, ServiceCode, Unit, keys};

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

/// Gateway or interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointType {
    /// Route-table entry, no charge (S3, DynamoDB).
    Gateway,
    /// Elastic network interfaces in each AZ, charged per hour and per GB.
    Interface,
}

/// A VPC endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VpcEndpoint {
    /// Gateway or interface.
    pub endpoint_type: EndpointType,
    /// The service it reaches.
    pub service: AwsService,
    /// AZs an interface endpoint has a network interface in; all the topology's AZs when not set.
    pub availability_zones: Option<u32>,
}

impl VpcEndpoint {
    pub(crate) fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
        let gb = ctx.traffic.gb_through(id);
        match self.endpoint_type {
            EndpointType::Gateway => {
                if gb > 0.0 {
                    out.diagnose(
                        id,
                        Severity::Note,
                        format!(
                            "gateway endpoint for {} carries {} GB at no charge (off the NAT gateway)",
                            self.service.keyword(),
                            qty(gb)
                        ),
                    );
                }
            }
            EndpointType::Interface => {
                let azs = self.availability_zones.unwrap_or(ctx.availability_zones);
                let vpc = |base: &str| {
                    key(
                        ServiceCode::AmazonVpc,
                        ctx.region.usage_type(base, PrefixRule::Always),
                        None,
                    )
                };
                out.add(Usage::new(
                    id,
                    vpc("VpcEndpoint-Hours"),
                    Unit::Hours,
                    azs as f64 * ctx.hours(),
                    format!(
                        "interface endpoint {}: {azs} AZs × {} h",
                        self.service.keyword(),
                        qty(ctx.hours())
                    ),
                ));
                out.add(Usage::new(
                    id,
                    vpc("VpcEndpoint-Bytes"),
                    Unit::Gb,
                    gb,
                    format!("data processed by the {} endpoint", self.service.keyword()),
                ));
            }
        }
    }
}
