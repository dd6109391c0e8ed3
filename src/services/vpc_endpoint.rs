//! VPC endpoints. Gateway endpoints (S3, DynamoDB) cost nothing and take their service's
//! traffic off the NAT gateway. Interface endpoints (PrivateLink) cost an hourly charge per AZ
//! plus a tiered charge per GB processed.

use serde::Deserialize;

use super::{Context, Lever, Meter, NetworkRole, Service, Severity, Twin, Usage, key};
use crate::vocabulary::fields::FieldError;
use crate::vocabulary::network::AwsService;
use crate::vocabulary::text::qty;
use crate::vocabulary::units::{PrefixRule, ServiceCode, Unit};

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

/// `vpc_endpoint` settings as written in a model file.
#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Settings {
    endpoint_type: SettingsEndpointType,
    service: String,
    availability_zones: Option<u32>,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
enum SettingsEndpointType {
    Gateway,
    Interface,
}

impl Service for VpcEndpoint {
    const KIND: &'static str = "vpc_endpoint";
    const ORIGINATES_TRAFFIC: bool = false;
    type Settings = Settings;
    const USAGE_TYPES: &'static [&'static str] = &["VpcEndpoint-Hours", "VpcEndpoint-Bytes"];

    fn from_settings(s: Settings) -> Result<Self, FieldError> {
        let service = AwsService::from_keyword(&s.service).ok_or_else(|| {
            FieldError::new(
                "service",
                format!(
                    "unknown endpoint service `{}`; expected one of {}",
                    s.service,
                    AwsService::keywords()
                ),
            )
        })?;
        let endpoint_type = match s.endpoint_type {
            SettingsEndpointType::Gateway if !service.has_gateway_endpoint() => {
                return Err(FieldError::new(
                    "endpoint_type",
                    format!(
                        "{} has no gateway endpoint; expected `interface` (gateway endpoints exist for s3 and dynamodb only)",
                        service.keyword()
                    ),
                ));
            }
            SettingsEndpointType::Gateway => EndpointType::Gateway,
            SettingsEndpointType::Interface => EndpointType::Interface,
        };
        if s.availability_zones == Some(0) {
            return Err(FieldError::new(
                "availability_zones",
                "0 AZs; expected at least 1",
            ));
        }
        Ok(VpcEndpoint {
            endpoint_type,
            service,
            availability_zones: s.availability_zones,
        })
    }

    fn network_role(&self) -> Option<NetworkRole> {
        Some(NetworkRole::Endpoint {
            service: self.service,
            endpoint_type: self.endpoint_type,
        })
    }

    /// Without endpoints, their traffic goes through the NAT gateway.
    fn provisioned(&self, lever: Lever, _tps_by_hour: &[f64]) -> Option<Twin<Self>> {
        (lever == Lever::VpcEndpoints).then_some(Twin::Remove)
    }

    fn meter(&self, id: &str, ctx: &Context<'_>, out: &mut Meter) {
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
