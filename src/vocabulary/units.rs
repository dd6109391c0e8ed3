//! Closed vocabularies shared by every module: billing units, AWS service codes and regions.

use std::fmt;
use std::str::FromStr;

/// Hours in the standard month AWS uses in its calculators (8,760 hours a year / 12).
pub const HOURS_PER_STANDARD_MONTH: usize = 730;

/// Bytes in one GB as AWS bills data (2^30).
pub const BYTES_PER_GB: f64 = 1_073_741_824.0;

/// The unit a quantity is measured in and a price is quoted per.
///
/// A price is only ever applied to a quantity in the same unit: the price book checks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Unit {
    /// Resource-hours: a NAT gateway, an endpoint in one AZ, a DB instance.
    Hours,
    /// vCPU-hours of a Fargate task.
    VcpuHours,
    /// GB-hours (Fargate memory, ephemeral storage).
    GbHours,
    /// GB of data processed or transferred.
    Gb,
    /// GB-months of storage.
    GbMonths,
    /// Storage I/O requests (Aurora Standard).
    IoRequests,
    /// Aurora capacity unit hours (Serverless v2).
    AcuHours,
    /// DynamoDB on-demand read request units.
    ReadRequestUnits,
    /// DynamoDB on-demand write request units.
    WriteRequestUnits,
    /// DynamoDB provisioned read capacity unit-hours.
    RcuHours,
    /// DynamoDB provisioned write capacity unit-hours.
    WcuHours,
    /// Load balancer capacity unit-hours (ALB).
    LcuHours,
    /// Resource-months: web ACLs, rules, secrets, keys, metrics, alarms, dashboards.
    Months,
    /// Requests (HTTPS, WAF, API calls, S3 requests, lifecycle transitions).
    Requests,
    /// Objects monitored for a month (S3 Intelligent-Tiering).
    Objects,
    /// Traces recorded or scanned (X-Ray).
    Traces,
    /// Events recorded (CloudTrail).
    Events,
    /// Configuration items recorded (AWS Config).
    ConfigurationItems,
    /// Rule evaluations (AWS Config).
    RuleEvaluations,
    /// Provisioned IOPS-months (EBS gp3 above the baseline).
    IopsMonths,
    /// Provisioned throughput MiB/s-months (EBS gp3 above the baseline).
    MibpsMonths,
    /// Terabytes of data scanned (Athena queries).
    Tb,
}

impl Unit {
    /// Every unit, in declaration order.
    pub const ALL: [Unit; 22] = [
        Unit::Hours,
        Unit::VcpuHours,
        Unit::GbHours,
        Unit::Gb,
        Unit::GbMonths,
        Unit::IoRequests,
        Unit::AcuHours,
        Unit::ReadRequestUnits,
        Unit::WriteRequestUnits,
        Unit::RcuHours,
        Unit::WcuHours,
        Unit::LcuHours,
        Unit::Months,
        Unit::Requests,
        Unit::Objects,
        Unit::Traces,
        Unit::Events,
        Unit::ConfigurationItems,
        Unit::RuleEvaluations,
        Unit::IopsMonths,
        Unit::MibpsMonths,
        Unit::Tb,
    ];

    /// The identifier used in price files (`vcpu_hours`, …).
    pub fn key(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::VcpuHours => "vcpu_hours",
            Unit::GbHours => "gb_hours",
            Unit::Gb => "gb",
            Unit::GbMonths => "gb_months",
            Unit::IoRequests => "io_requests",
            Unit::AcuHours => "acu_hours",
            Unit::ReadRequestUnits => "read_request_units",
            Unit::WriteRequestUnits => "write_request_units",
            Unit::RcuHours => "rcu_hours",
            Unit::WcuHours => "wcu_hours",
            Unit::LcuHours => "lcu_hours",
            Unit::Months => "months",
            Unit::Requests => "requests",
            Unit::Objects => "objects",
            Unit::Traces => "traces",
            Unit::Events => "events",
            Unit::ConfigurationItems => "configuration_items",
            Unit::RuleEvaluations => "rule_evaluations",
            Unit::IopsMonths => "iops_months",
            Unit::MibpsMonths => "mibps_months",
            Unit::Tb => "tb",
        }
    }

    /// A short human label (`vCPU-hours`, `GB-months`, …).
    pub fn label(self) -> &'static str {
        match self {
            Unit::Hours => "hours",
            Unit::VcpuHours => "vCPU-hours",
            Unit::GbHours => "GB-hours",
            Unit::Gb => "GB",
            Unit::GbMonths => "GB-months",
            Unit::IoRequests => "I/O requests",
            Unit::AcuHours => "ACU-hours",
            Unit::ReadRequestUnits => "RRUs",
            Unit::WriteRequestUnits => "WRUs",
            Unit::RcuHours => "RCU-hours",
            Unit::WcuHours => "WCU-hours",
            Unit::LcuHours => "LCU-hours",
            Unit::Months => "months",
            Unit::Requests => "requests",
            Unit::Objects => "object-months",
            Unit::Traces => "traces",
            Unit::Events => "events",
            Unit::ConfigurationItems => "config items",
            Unit::RuleEvaluations => "evaluations",
            Unit::IopsMonths => "IOPS-months",
            Unit::MibpsMonths => "MiB/s-months",
            Unit::Tb => "TB",
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for Unit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        lookup(&Unit::ALL, Unit::key, "unit", s)
    }
}

/// Declares [`ServiceCode`] with `ALL`, its codes and the names bills give each service, from one
/// list, so a new code cannot be left out of any of them.
macro_rules! service_codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, names: [$($name:literal),* $(,)?],)+) => {
        /// An AWS service code, as the Price List and the bill name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum ServiceCode {
            $($(#[$doc])* $variant,)+
        }

        impl ServiceCode {
            /// Every service code, in declaration order.
            pub const ALL: &'static [ServiceCode] = &[$(ServiceCode::$variant,)+];

            /// The code exactly as AWS writes it (`AmazonECS`).
            pub fn code(self) -> &'static str {
                match self {
                    $(ServiceCode::$variant => $code,)+
                }
            }

            /// The names Cost Explorer's SERVICE and FOCUS's ServiceName give the service.
            pub fn bill_names(self) -> &'static [&'static str] {
                match self {
                    $(ServiceCode::$variant => &[$($name),*],)+
                }
            }
        }
    };
}

service_codes! {
    /// Amazon Elastic Container Service (Fargate).
    AmazonEcs = "AmazonECS", names: ["Amazon Elastic Container Service"],
    /// Amazon RDS (Aurora).
    AmazonRds = "AmazonRDS", names: ["Amazon Relational Database Service"],
    /// Amazon EC2 (NAT gateways are in its offer).
    AmazonEc2 = "AmazonEC2", names: [
        "Amazon Elastic Compute Cloud",
        "Amazon Elastic Compute Cloud - Compute",
        "EC2 - Other",
    ],
    /// Amazon VPC (interface endpoints).
    AmazonVpc = "AmazonVPC", names: ["Amazon Virtual Private Cloud"],
    /// Amazon DynamoDB.
    AmazonDynamoDb = "AmazonDynamoDB", names: ["Amazon DynamoDB"],
    /// AWS data transfer (internet egress, inter-AZ).
    AwsDataTransfer = "AWSDataTransfer", names: ["AWS Data Transfer"],
    /// Elastic Load Balancing (ALB).
    AwsElb = "AWSELB", names: ["Elastic Load Balancing", "Amazon Elastic Load Balancing"],
    /// Amazon CloudFront.
    AmazonCloudFront = "AmazonCloudFront", names: ["Amazon CloudFront"],
    /// AWS WAF.
    AwsWaf = "awswaf", names: ["AWS WAF"],
    /// Amazon ElastiCache.
    AmazonElastiCache = "AmazonElastiCache", names: ["Amazon ElastiCache"],
    /// Amazon S3.
    AmazonS3 = "AmazonS3", names: ["Amazon Simple Storage Service"],
    /// Amazon CloudWatch (metrics, alarms, dashboards, logs).
    AmazonCloudWatch = "AmazonCloudWatch", names: ["AmazonCloudWatch", "Amazon CloudWatch"],
    /// AWS X-Ray.
    AwsXray = "AWSXRay", names: ["AWS X-Ray"],
    /// AWS Secrets Manager.
    AwsSecretsManager = "AWSSecretsManager", names: ["AWS Secrets Manager"],
    /// AWS Key Management Service.
    AwsKms = "awskms", names: ["AWS Key Management Service"],
    /// AWS CloudTrail.
    AwsCloudTrail = "AWSCloudTrail", names: ["AWS CloudTrail"],
    /// AWS Config.
    AwsConfig = "AWSConfig", names: ["AWS Config"],
    /// Amazon Simple Queue Service.
    AwsQueueService = "AWSQueueService", names: ["Amazon Simple Queue Service"],
    /// Compute Savings Plans, as bills name their fees; in a price book their rates, keyed by
    /// the usage type they discount and the plan (`ComputeSP:1yrNoUpfront`) as the operation.
    ComputeSavingsPlans = "ComputeSavingsPlans", names: ["Savings Plans for AWS Compute usage"],
    /// Amazon Athena (what a query over a bill in Athena costs; not a component kind).
    AmazonAthena = "AmazonAthena", names: ["Amazon Athena"],
}

impl ServiceCode {
    /// The code of a service named as a bill names it (Cost Explorer's SERVICE, FOCUS's
    /// ServiceName).
    pub fn from_bill_name(name: &str) -> Option<ServiceCode> {
        ServiceCode::ALL
            .iter()
            .copied()
            .find(|c| c.bill_names().contains(&name))
    }
}

impl fmt::Display for ServiceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for ServiceCode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        lookup(ServiceCode::ALL, ServiceCode::code, "service code", s)
    }
}

/// What AWS bills a quantity under: a service code, a usage type and, where it matters, an
/// operation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PriceKey {
    /// The AWS service code.
    pub service_code: ServiceCode,
    /// The usage type as billed (`USE1-Fargate-vCPU-Hours:perCPU`).
    pub usage_type: String,
    /// The billing operation, where it matters (`CreateDBInstance:0021`).
    pub operation: Option<String>,
}

impl fmt::Display for PriceKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.service_code, self.usage_type)?;
        if let Some(op) = &self.operation {
            write!(f, " (operation {op})")?;
        }
        Ok(())
    }
}

/// How a service's usage types carry the region prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixRule {
    /// Prefixed in every region, us-east-1 included (`USE1-Fargate-GB-Hours`).
    Always,
    /// Bare in us-east-1 (`NatGateway-Hours`), prefixed elsewhere (`USW2-NatGateway-Hours`).
    ExceptUsEast1,
    /// Prefixed with the region code in every region (`us-east-1-KMS-Keys`).
    RegionCode,
    /// The same name in every region (CloudFront's global `US-DataTransfer-Out-Bytes`).
    Global,
}

/// Declares [`Region`] with `ALL`, its codes and billing prefixes, from one list.
macro_rules! regions {
    ($($(#[$doc:meta])* $variant:ident = $code:literal, $prefix:literal,)+) => {
        /// A commercial AWS region (partition `aws`), with the prefix its usage types carry.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Region {
            $($(#[$doc])* $variant,)+
        }

        impl Region {
            /// Every commercial region.
            pub const ALL: &'static [Region] = &[$(Region::$variant,)+];

            /// The region code (`us-east-1`).
            pub fn code(self) -> &'static str {
                match self {
                    $(Region::$variant => $code,)+
                }
            }

            /// The prefix AWS puts on usage types billed in this region (`USE1`, `EU`, …).
            pub fn billing_prefix(self) -> &'static str {
                match self {
                    $(Region::$variant => $prefix,)+
                }
            }
        }
    };
}

// Billing prefixes from AWS's "AWS Region billing codes" page
// (docs.aws.amazon.com/global-infrastructure/latest/regions/aws-region-billing-codes.html),
// checked against the S3 usage-report page for all but the five newest regions.
regions! {
    /// US East (N. Virginia).
    UsEast1 = "us-east-1", "USE1",
    /// US East (Ohio).
    UsEast2 = "us-east-2", "USE2",
    /// US West (N. California).
    UsWest1 = "us-west-1", "USW1",
    /// US West (Oregon).
    UsWest2 = "us-west-2", "USW2",
    /// Canada (Central).
    CaCentral1 = "ca-central-1", "CAN1",
    /// Canada West (Calgary).
    CaWest1 = "ca-west-1", "CAN2",
    /// Mexico (Central).
    MxCentral1 = "mx-central-1", "MXC1",
    /// South America (Sao Paulo).
    SaEast1 = "sa-east-1", "SAE1",
    /// Africa (Cape Town).
    AfSouth1 = "af-south-1", "AFS1",
    /// EU (Ireland).
    EuWest1 = "eu-west-1", "EU",
    /// EU (London).
    EuWest2 = "eu-west-2", "EUW2",
    /// EU (Paris).
    EuWest3 = "eu-west-3", "EUW3",
    /// EU (Frankfurt).
    EuCentral1 = "eu-central-1", "EUC1",
    /// EU (Zurich).
    EuCentral2 = "eu-central-2", "EUC2",
    /// EU (Stockholm).
    EuNorth1 = "eu-north-1", "EUN1",
    /// EU (Milan).
    EuSouth1 = "eu-south-1", "EUS1",
    /// EU (Spain).
    EuSouth2 = "eu-south-2", "EUS2",
    /// Israel (Tel Aviv).
    IlCentral1 = "il-central-1", "ILC1",
    /// Middle East (Bahrain).
    MeSouth1 = "me-south-1", "MES1",
    /// Middle East (UAE).
    MeCentral1 = "me-central-1", "MEC1",
    /// Asia Pacific (Hong Kong).
    ApEast1 = "ap-east-1", "APE1",
    /// Asia Pacific (Taipei).
    ApEast2 = "ap-east-2", "APE2",
    /// Asia Pacific (Tokyo).
    ApNortheast1 = "ap-northeast-1", "APN1",
    /// Asia Pacific (Seoul).
    ApNortheast2 = "ap-northeast-2", "APN2",
    /// Asia Pacific (Osaka).
    ApNortheast3 = "ap-northeast-3", "APN3",
    /// Asia Pacific (Mumbai).
    ApSouth1 = "ap-south-1", "APS3",
    /// Asia Pacific (Hyderabad).
    ApSouth2 = "ap-south-2", "APS5",
    /// Asia Pacific (Singapore).
    ApSoutheast1 = "ap-southeast-1", "APS1",
    /// Asia Pacific (Sydney).
    ApSoutheast2 = "ap-southeast-2", "APS2",
    /// Asia Pacific (Jakarta).
    ApSoutheast3 = "ap-southeast-3", "APS4",
    /// Asia Pacific (Melbourne).
    ApSoutheast4 = "ap-southeast-4", "APS6",
    /// Asia Pacific (Malaysia).
    ApSoutheast5 = "ap-southeast-5", "APS7",
    /// Asia Pacific (New Zealand).
    ApSoutheast6 = "ap-southeast-6", "APS8",
    /// Asia Pacific (Thailand).
    ApSoutheast7 = "ap-southeast-7", "APS9",
}

impl Region {
    /// The usage type as billed in this region for a base name such as `NatGateway-Hours`.
    pub fn usage_type(self, base: &str, rule: PrefixRule) -> String {
        match (rule, self) {
            (PrefixRule::ExceptUsEast1, Region::UsEast1) | (PrefixRule::Global, _) => {
                base.to_string()
            }
            (PrefixRule::RegionCode, _) => format!("{}-{base}", self.code()),
            (PrefixRule::Always | PrefixRule::ExceptUsEast1, _) => {
                format!("{}-{base}", self.billing_prefix())
            }
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Region {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        lookup(Region::ALL, Region::code, "region", s)
    }
}

/// The member of a vocabulary whose key is `s`, or an error naming the `what` and every key.
fn lookup<T: Copy>(
    all: &[T],
    key: impl Fn(T) -> &'static str,
    what: &str,
    s: &str,
) -> Result<T, String> {
    all.iter()
        .copied()
        .find(|v| key(*v) == s)
        .ok_or_else(|| format!("unknown {what} `{s}`; expected one of {}", keys(all, key)))
}

/// Joins the keys of a vocabulary for an error message.
pub(crate) fn keys<T: Copy>(all: &[T], key: impl Fn(T) -> &'static str) -> String {
    all.iter().map(|v| key(*v)).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_types_follow_the_prefix_rule() {
        assert_eq!(
            Region::UsEast1.usage_type("NatGateway-Hours", PrefixRule::ExceptUsEast1),
            "NatGateway-Hours"
        );
        assert_eq!(
            Region::UsWest2.usage_type("NatGateway-Hours", PrefixRule::ExceptUsEast1),
            "USW2-NatGateway-Hours"
        );
        assert_eq!(
            Region::UsEast1.usage_type("Fargate-GB-Hours", PrefixRule::Always),
            "USE1-Fargate-GB-Hours"
        );
        assert_eq!(
            Region::EuWest1.usage_type("VpcEndpoint-Hours", PrefixRule::Always),
            "EU-VpcEndpoint-Hours"
        );
        assert_eq!(
            Region::UsEast1.usage_type("KMS-Keys", PrefixRule::RegionCode),
            "us-east-1-KMS-Keys"
        );
        assert_eq!(
            Region::EuWest1.usage_type("US-Requests-Tier2-HTTPS", PrefixRule::Global),
            "US-Requests-Tier2-HTTPS"
        );
    }

    #[test]
    fn every_commercial_region_has_its_billing_prefix() {
        // AWS Region billing codes page: 34 commercial regions; eu-west-1 is the bare `EU`, and
        // the prefixes do not follow the region numbers (ap-south-1 is APS3, ap-southeast-7 APS9).
        assert_eq!(Region::ALL.len(), 34);
        for (code, prefix) in [
            ("eu-west-1", "EU"),
            ("ap-south-1", "APS3"),
            ("ap-south-2", "APS5"),
            ("ap-southeast-3", "APS4"),
            ("ap-southeast-7", "APS9"),
            ("af-south-1", "AFS1"),
            ("ca-west-1", "CAN2"),
            ("mx-central-1", "MXC1"),
        ] {
            assert_eq!(code.parse::<Region>().unwrap().billing_prefix(), prefix);
        }
        let mut prefixes: Vec<&str> = Region::ALL.iter().map(|r| r.billing_prefix()).collect();
        prefixes.sort();
        prefixes.dedup();
        assert_eq!(prefixes.len(), Region::ALL.len(), "a prefix is used twice");
    }

    #[test]
    fn vocabularies_round_trip_and_reject_unknowns() {
        for u in Unit::ALL {
            assert_eq!(u.key().parse::<Unit>().unwrap(), u);
        }
        for &r in Region::ALL {
            assert_eq!(r.code().parse::<Region>().unwrap(), r);
        }
        let err = "mars-north-1".parse::<Region>().unwrap_err();
        assert!(err.contains("unknown region `mars-north-1`") && err.contains("us-east-1"));
        assert!("AmazonFoo".parse::<ServiceCode>().is_err());
    }
}
