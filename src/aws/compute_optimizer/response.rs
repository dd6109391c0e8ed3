//! Compute Optimizer's responses as the API (or `aws compute-optimizer get-…-recommendations`)
//! gives them, in JSON: only the fields archcost reads. The SDK's answers are turned into these
//! same shapes, so a saved response and a live one are read alike.

use serde::Deserialize;

/// `estimatedMonthlySavings`: an amount and its currency.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Money {
    /// `USD` (or the payer's currency).
    #[serde(default)]
    pub currency: Option<String>,
    /// The amount a month.
    #[serde(default)]
    pub value: Option<f64>,
}

/// `savingsOpportunity` and its `…AfterDiscounts` twins.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SavingsOpportunity {
    /// The saving as a share of the current cost, percent.
    #[serde(default)]
    pub savings_opportunity_percentage: Option<f64>,
    /// The saving a month.
    #[serde(default)]
    pub estimated_monthly_savings: Option<Money>,
}

/// A utilisation metric (`Cpu`/`Maximum`/`23.5`).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UtilizationMetric {
    /// `Cpu`, `Memory`, `CPU`, `DatabaseConnections`, …
    #[serde(default)]
    pub name: Option<String>,
    /// `Maximum`, `Average`, `Minimum`.
    #[serde(default)]
    pub statistic: Option<String>,
    /// The value (percent for CPU and memory).
    #[serde(default)]
    pub value: Option<f64>,
}

/// One resource Compute Optimizer could not answer for.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationError {
    /// The resource (an ARN or id).
    #[serde(default)]
    pub identifier: Option<String>,
    /// The error code.
    #[serde(default)]
    pub code: Option<String>,
    /// What Compute Optimizer said.
    #[serde(default)]
    pub message: Option<String>,
}

/// An ECS service's size: CPU units (1,024 a vCPU) and MiB.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceConfiguration {
    /// Task memory, MiB.
    #[serde(default)]
    pub memory: Option<u32>,
    /// Task CPU units.
    #[serde(default)]
    pub cpu: Option<u32>,
}

/// A size Compute Optimizer proposes for an ECS service.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EcsServiceOption {
    /// Task memory, MiB.
    #[serde(default)]
    pub memory: Option<u32>,
    /// Task CPU units.
    #[serde(default)]
    pub cpu: Option<u32>,
    /// The saving at On-Demand prices.
    #[serde(default)]
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    #[serde(default)]
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
}

/// `GetECSServiceRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EcsServiceRecommendation {
    /// `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/NAME`.
    #[serde(default)]
    pub service_arn: Option<String>,
    /// The account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// The size now.
    #[serde(default)]
    pub current_service_configuration: Option<ServiceConfiguration>,
    /// Utilisation over the look-back period.
    #[serde(default)]
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    #[serde(default)]
    pub lookback_period_in_days: Option<f64>,
    /// `Fargate` or `EC2`.
    #[serde(default)]
    pub launch_type: Option<String>,
    /// `Optimized`, `Underprovisioned`, `Overprovisioned`.
    #[serde(default)]
    pub finding: Option<String>,
    /// Why (`CPUOverprovisioned`, …).
    #[serde(default)]
    pub finding_reason_codes: Vec<String>,
    /// The sizes proposed, best first.
    #[serde(default)]
    pub service_recommendation_options: Vec<EcsServiceOption>,
}

/// An instance type Compute Optimizer proposes.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InstanceOption {
    /// `m6g.large`.
    #[serde(default)]
    pub instance_type: Option<String>,
    /// 1 is the best.
    #[serde(default)]
    pub rank: Option<u32>,
    /// The saving at On-Demand prices.
    #[serde(default)]
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    #[serde(default)]
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
}

/// `GetEC2InstanceRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct InstanceRecommendation {
    /// `arn:aws:ec2:REGION:ACCOUNT:instance/i-…`.
    #[serde(default)]
    pub instance_arn: Option<String>,
    /// The account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// Its `Name` tag.
    #[serde(default)]
    pub instance_name: Option<String>,
    /// The type now.
    #[serde(default)]
    pub current_instance_type: Option<String>,
    /// `Underprovisioned`, `Overprovisioned`, `Optimized`, `NotOptimized`.
    #[serde(default)]
    pub finding: Option<String>,
    /// Why.
    #[serde(default)]
    pub finding_reason_codes: Vec<String>,
    /// Utilisation over the look-back period.
    #[serde(default)]
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    #[serde(default)]
    pub look_back_period_in_days: Option<f64>,
    /// The types proposed.
    #[serde(default)]
    pub recommendation_options: Vec<InstanceOption>,
}

/// An Auto Scaling group's instances.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupConfiguration {
    /// Instances wanted.
    #[serde(default)]
    pub desired_capacity: Option<u32>,
    /// The instance type.
    #[serde(default)]
    pub instance_type: Option<String>,
}

/// A configuration Compute Optimizer proposes for an Auto Scaling group.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupOption {
    /// The group with it.
    #[serde(default)]
    pub configuration: Option<GroupConfiguration>,
    /// 1 is the best.
    #[serde(default)]
    pub rank: Option<u32>,
    /// The saving at On-Demand prices.
    #[serde(default)]
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    #[serde(default)]
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
}

/// `GetAutoScalingGroupRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GroupRecommendation {
    /// `arn:aws:autoscaling:REGION:ACCOUNT:autoScalingGroup:…:autoScalingGroupName/NAME`.
    #[serde(default)]
    pub auto_scaling_group_arn: Option<String>,
    /// The group's name.
    #[serde(default)]
    pub auto_scaling_group_name: Option<String>,
    /// The account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// `Underprovisioned`, `Overprovisioned`, `Optimized`, `NotOptimized`.
    #[serde(default)]
    pub finding: Option<String>,
    /// Utilisation over the look-back period.
    #[serde(default)]
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    #[serde(default)]
    pub look_back_period_in_days: Option<f64>,
    /// The group now.
    #[serde(default)]
    pub current_configuration: Option<GroupConfiguration>,
    /// The configurations proposed.
    #[serde(default)]
    pub recommendation_options: Vec<GroupOption>,
}

/// A database's storage.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StorageConfiguration {
    /// `gp3`, `gp2`, `io1`, `aurora`, `aurora-iopt1`, …
    #[serde(default)]
    pub storage_type: Option<String>,
    /// GB.
    #[serde(default)]
    pub allocated_storage: Option<u32>,
}

/// An instance class Compute Optimizer proposes for a database.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DbInstanceOption {
    /// `db.r6g.large`.
    #[serde(default)]
    pub db_instance_class: Option<String>,
    /// 1 is the best.
    #[serde(default)]
    pub rank: Option<u32>,
    /// The saving at On-Demand prices.
    #[serde(default)]
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    #[serde(default)]
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
}

/// `GetRDSDatabaseRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DbRecommendation {
    /// `arn:aws:rds:REGION:ACCOUNT:db:NAME`.
    #[serde(default)]
    pub resource_arn: Option<String>,
    /// The account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// `postgres`, `aurora-postgresql`, `mysql`, …
    #[serde(default)]
    pub engine: Option<String>,
    /// The class now.
    #[serde(default, rename = "currentDBInstanceClass")]
    pub current_db_instance_class: Option<String>,
    /// The storage now.
    #[serde(default)]
    pub current_storage_configuration: Option<StorageConfiguration>,
    /// The Aurora cluster it belongs to.
    #[serde(default)]
    pub db_cluster_identifier: Option<String>,
    /// `Optimized`, `Underprovisioned`, `Overprovisioned`.
    #[serde(default)]
    pub instance_finding: Option<String>,
    /// Why.
    #[serde(default)]
    pub instance_finding_reason_codes: Vec<String>,
    /// `True` when Compute Optimizer finds it idle.
    #[serde(default)]
    pub idle: Option<String>,
    /// The classes proposed.
    #[serde(default)]
    pub instance_recommendation_options: Vec<DbInstanceOption>,
    /// Utilisation over the look-back period.
    #[serde(default)]
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    #[serde(default)]
    pub lookback_period_in_days: Option<f64>,
}

/// `GetIdleRecommendations` entry.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IdleRecommendation {
    /// The resource's ARN.
    #[serde(default)]
    pub resource_arn: Option<String>,
    /// The resource's id.
    #[serde(default)]
    pub resource_id: Option<String>,
    /// `EC2Instance`, `AutoScalingGroup`, `EBSVolume`, `ECSService`, `RDSDBInstance`, …
    #[serde(default)]
    pub resource_type: Option<String>,
    /// The account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// `Idle`, `Unattached`, `Unused`.
    #[serde(default)]
    pub finding: Option<String>,
    /// Compute Optimizer's words.
    #[serde(default)]
    pub finding_description: Option<String>,
    /// The saving of stopping or deleting it, at On-Demand prices.
    #[serde(default)]
    pub savings_opportunity: Option<SavingsOpportunity>,
    /// The saving after Savings Plans and reservations.
    #[serde(default)]
    pub savings_opportunity_after_discounts: Option<SavingsOpportunity>,
    /// Utilisation over the look-back period.
    #[serde(default)]
    pub utilization_metrics: Vec<UtilizationMetric>,
    /// Days of metrics behind the finding.
    #[serde(default)]
    pub look_back_period_in_days: Option<f64>,
}

/// One page of any of the five APIs: the list it holds says which API answered.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// Set when more pages follow.
    #[serde(default)]
    pub next_token: Option<String>,
    /// `GetECSServiceRecommendations`.
    #[serde(default)]
    pub ecs_service_recommendations: Option<Vec<EcsServiceRecommendation>>,
    /// `GetEC2InstanceRecommendations`.
    #[serde(default)]
    pub instance_recommendations: Option<Vec<InstanceRecommendation>>,
    /// `GetAutoScalingGroupRecommendations`.
    #[serde(default)]
    pub auto_scaling_group_recommendations: Option<Vec<GroupRecommendation>>,
    /// `GetRDSDatabaseRecommendations`.
    #[serde(default, rename = "rdsDBRecommendations")]
    pub rds_db_recommendations: Option<Vec<DbRecommendation>>,
    /// `GetIdleRecommendations`.
    #[serde(default)]
    pub idle_recommendations: Option<Vec<IdleRecommendation>>,
    /// Resources it could not answer for.
    #[serde(default)]
    pub errors: Vec<RecommendationError>,
}
