//! Compute Optimizer's responses as the API (or `aws compute-optimizer get-…-recommendations`)
//! gives them, in JSON: only the fields archcost reads. The SDK's answers are turned into these
//! same shapes, so a saved response and a live one are read alike. Every field may be absent
//! (each shape's default stands in).

use serde::Deserialize;

/// `estimatedMonthlySavings`: an amount and its currency.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Money {
    /// `USD` (or the payer's currency).
    pub currency: Option<String>,
    /// The amount a month.
    pub value: Option<f64>,
}

/// `savingsOpportunity` and its `…AfterDiscounts` twins.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct SavingsOpportunity {
    /// The saving as a share of the current cost, percent.
    pub savings_opportunity_percentage: Option<f64>,
    /// The saving a month.
    pub estimated_monthly_savings: Option<Money>,
}

/// An option's savings: at On-Demand prices and after Savings Plans and reservations.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Savings {
    /// The saving at On-Demand prices.
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
}

/// A utilisation metric (`Cpu`/`Maximum`/`23.5`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct UtilizationMetric {
    /// `Cpu`, `Memory`, `CPU`, `DatabaseConnections`, …
    pub name: Option<String>,
    /// `Maximum`, `Average`, `Minimum`.
    pub statistic: Option<String>,
    /// The value (percent for CPU and memory).
    pub value: Option<f64>,
}

/// One resource Compute Optimizer could not answer for.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct RecommendationError {
    /// The resource (an ARN or id).
    pub identifier: Option<String>,
    /// The error code.
    pub code: Option<String>,
    /// What Compute Optimizer said.
    pub message: Option<String>,
}

/// An ECS service's size: CPU units (1,024 a vCPU) and MiB.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceConfiguration {
    /// Task memory, MiB.
    pub memory: Option<u32>,
    /// Task CPU units.
    pub cpu: Option<u32>,
}

/// A size Compute Optimizer proposes for an ECS service.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsServiceOption {
    /// Task memory, MiB.
    pub memory: Option<u32>,
    /// Task CPU units.
    pub cpu: Option<u32>,
    /// Its savings.
    #[serde(flatten)]
    pub savings: Savings,
}

/// `GetECSServiceRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct EcsServiceRecommendation {
    /// `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
    pub service_arn: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// The size now.
    pub current_service_configuration: Option<ServiceConfiguration>,
    /// Utilisation over the look-back period.
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    pub lookback_period_in_days: Option<f64>,
    /// `Fargate` or `EC2`.
    pub launch_type: Option<String>,
    /// `Optimized`, `Underprovisioned`, `Overprovisioned`.
    pub finding: Option<String>,
    /// Why (`CPUOverprovisioned`, …).
    pub finding_reason_codes: Vec<String>,
    /// The sizes proposed, best first.
    pub service_recommendation_options: Vec<EcsServiceOption>,
}

/// An instance type Compute Optimizer proposes.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceOption {
    /// `m6g.large`.
    pub instance_type: Option<String>,
    /// 1 is the best.
    pub rank: Option<u32>,
    /// Its savings.
    #[serde(flatten)]
    pub savings: Savings,
}

/// `GetEC2InstanceRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct InstanceRecommendation {
    /// `arn:aws:ec2:REGION:ACCOUNT:instance/i-…`.
    pub instance_arn: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// The type now.
    pub current_instance_type: Option<String>,
    /// `Underprovisioned`, `Overprovisioned`, `Optimized`, `NotOptimized`.
    pub finding: Option<String>,
    /// Why.
    pub finding_reason_codes: Vec<String>,
    /// Utilisation over the look-back period.
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    pub look_back_period_in_days: Option<f64>,
    /// The types proposed.
    pub recommendation_options: Vec<InstanceOption>,
}

/// An Auto Scaling group's instances.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupConfiguration {
    /// Instances wanted.
    pub desired_capacity: Option<u32>,
    /// The instance type.
    pub instance_type: Option<String>,
}

/// A configuration Compute Optimizer proposes for an Auto Scaling group.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupOption {
    /// The group with it.
    pub configuration: Option<GroupConfiguration>,
    /// 1 is the best.
    pub rank: Option<u32>,
    /// Its savings.
    #[serde(flatten)]
    pub savings: Savings,
}

/// `GetAutoScalingGroupRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct GroupRecommendation {
    /// `arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:…:autoScalingGroupName/NAME`.
    pub auto_scaling_group_arn: Option<String>,
    /// The group's name.
    pub auto_scaling_group_name: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// `Underprovisioned`, `Overprovisioned`, `Optimized`, `NotOptimized`.
    pub finding: Option<String>,
    /// Utilisation over the look-back period.
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    pub look_back_period_in_days: Option<f64>,
    /// The group now.
    pub current_configuration: Option<GroupConfiguration>,
    /// The configurations proposed.
    pub recommendation_options: Vec<GroupOption>,
}

/// A database's storage.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct StorageConfiguration {
    /// `gp3`, `gp2`, `io1`, `aurora`, `aurora-iopt1`, …
    pub storage_type: Option<String>,
}

/// An instance class Compute Optimizer proposes for a database.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct DbInstanceOption {
    /// `db.r6g.large`.
    pub db_instance_class: Option<String>,
    /// 1 is the best.
    pub rank: Option<u32>,
    /// Its savings.
    #[serde(flatten)]
    pub savings: Savings,
}

/// `GetRDSDatabaseRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct DbRecommendation {
    /// `arn:aws:rds:REGION:ACCOUNT:db:NAME`.
    pub resource_arn: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// `postgres`, `aurora-postgresql`, `mysql`, …
    pub engine: Option<String>,
    /// The class now.
    #[serde(rename = "currentDBInstanceClass")]
    pub current_db_instance_class: Option<String>,
    /// The storage now.
    pub current_storage_configuration: Option<StorageConfiguration>,
    /// `Optimized`, `Underprovisioned`, `Overprovisioned`.
    pub instance_finding: Option<String>,
    /// Why.
    pub instance_finding_reason_codes: Vec<String>,
    /// `True` when Compute Optimizer finds it idle.
    pub idle: Option<String>,
    /// The classes proposed.
    pub instance_recommendation_options: Vec<DbInstanceOption>,
    /// Utilisation over the look-back period.
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    pub lookback_period_in_days: Option<f64>,
}

/// `GetIdleRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct IdleRecommendation {
    /// The resource's ARN.
    pub resource_arn: Option<String>,
    /// The resource's id.
    pub resource_id: Option<String>,
    /// `EC2Instance`, `AutoScalingGroup`, `EBSVolume`, `ECSService`, `RDSDBInstance`, …
    pub resource_type: Option<String>,
    /// The account.
    pub account_id: Option<String>,
    /// `Idle`, `Unattached`, `Unused`.
    pub finding: Option<String>,
    /// Compute Optimizer's words.
    pub finding_description: Option<String>,
    /// The saving of stopping or deleting it.
    #[serde(flatten)]
    pub savings: Savings,
    /// Utilisation over the look-back period.
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    pub look_back_period_in_days: Option<f64>,
}

/// One page of any of the five APIs: the list it holds says which API answered.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Page {
    /// Set when more pages follow.
    pub next_token: Option<String>,
    /// `GetECSServiceRecommendations`.
    pub ecs_service_recommendations: Option<Vec<EcsServiceRecommendation>>,
    /// `GetEC2InstanceRecommendations`.
    pub instance_recommendations: Option<Vec<InstanceRecommendation>>,
    /// `GetAutoScalingGroupRecommendations`.
    pub auto_scaling_group_recommendations: Option<Vec<GroupRecommendation>>,
    /// `GetRDSDatabaseRecommendations`.
    #[serde(rename = "rdsDBRecommendations")]
    pub rds_db_recommendations: Option<Vec<DbRecommendation>>,
    /// `GetIdleRecommendations`.
    pub idle_recommendations: Option<Vec<IdleRecommendation>>,
    /// Resources it could not answer for.
    pub errors: Vec<RecommendationError>,
}
