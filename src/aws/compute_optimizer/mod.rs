//! Compute Optimizer's recommendations for ECS services, EC2 instances, Auto Scaling groups,
//! RDS/Aurora DB instances and idle resources, each API followed through `nextToken` to the
//! end, for the caller's account or, from an organisation's management account, for each member
//! account asked for. Every answer is turned into the same [`Page`] a saved response is read
//! into, so archcost reads live and saved answers alike.

use aws_sdk_computeoptimizer::Client;

pub mod response;

use super::{AwsError, AwsOptions, Pages, block_on, sdk_error};
use aws_sdk_computeoptimizer::types as sdk;
use response::{
    DbInstanceOption, DbRecommendation, EcsServiceOption, EcsServiceRecommendation,
    GroupConfiguration, GroupOption, GroupRecommendation, IdleRecommendation, InstanceOption,
    InstanceRecommendation, Money, Page, RecommendationError, ServiceConfiguration,
    StorageConfiguration, UtilizationMetric,
};

/// Any of the SDK's savings shapes (they differ only in name) as a [`SavingsOpportunity`].
///
/// [`SavingsOpportunity`]: response::SavingsOpportunity
macro_rules! opportunity {
    ($s:expr) => {
        $s.map(|s| response::SavingsOpportunity {
            savings_opportunity_percentage: Some(s.savings_opportunity_percentage()),
            estimated_monthly_savings: s.estimated_monthly_savings().map(|m| Money {
                currency: m.currency().map(|c| c.as_str().to_string()),
                value: Some(m.value()),
            }),
        })
    };
}

/// The savings of anything with `savings_opportunity` and `…_after_discounts`.
macro_rules! savings {
    ($o:expr) => {
        response::Savings {
            savings_opportunity: opportunity!($o.savings_opportunity()),
            savings_opportunity_after_discounts: opportunity!(
                $o.savings_opportunity_after_discounts()
            ),
        }
    };
}

/// Any of the SDK's utilisation metric lists as [`UtilizationMetric`]s.
macro_rules! metrics {
    ($list:expr) => {
        $list
            .iter()
            .map(|m| UtilizationMetric {
                name: m.name().map(|n| n.as_str().to_string()),
                statistic: m.statistic().map(|s| s.as_str().to_string()),
                value: Some(m.value()),
            })
            .collect()
    };
}

/// Any of the SDK's error lists as [`RecommendationError`]s.
macro_rules! errors {
    ($list:expr) => {
        $list
            .iter()
            .map(|e| RecommendationError {
                identifier: e.identifier().map(String::from),
                code: e.code().map(String::from),
                message: e.message().map(String::from),
            })
            .collect()
    };
}

/// The operations read, in the order they are called.
#[derive(Clone, Copy)]
enum Operation {
    EcsServices,
    Ec2Instances,
    AutoScalingGroups,
    RdsDatabases,
    Idle,
}

impl Operation {
    const ALL: [Operation; 5] = [
        Operation::EcsServices,
        Operation::Ec2Instances,
        Operation::AutoScalingGroups,
        Operation::RdsDatabases,
        Operation::Idle,
    ];

    fn name(self) -> &'static str {
        match self {
            Operation::EcsServices => "GetECSServiceRecommendations",
            Operation::Ec2Instances => "GetEC2InstanceRecommendations",
            Operation::AutoScalingGroups => "GetAutoScalingGroupRecommendations",
            Operation::RdsDatabases => "GetRDSDatabaseRecommendations",
            Operation::Idle => "GetIdleRecommendations",
        }
    }
}

fn codes<T: AsRef<str>>(list: &[T]) -> Vec<String> {
    list.iter().map(|c| c.as_ref().to_string()).collect()
}

fn count(n: Option<i32>) -> Option<u32> {
    n.and_then(|n| u32::try_from(n).ok())
}

fn group(c: &sdk::AutoScalingGroupConfiguration) -> GroupConfiguration {
    GroupConfiguration {
        desired_capacity: count(Some(c.desired_capacity())),
        instance_type: c.instance_type().map(String::from),
    }
}

fn ecs(r: &sdk::EcsServiceRecommendation) -> EcsServiceRecommendation {
    EcsServiceRecommendation {
        service_arn: r.service_arn().map(String::from),
        account_id: r.account_id().map(String::from),
        current_service_configuration: r.current_service_configuration().map(|c| {
            ServiceConfiguration {
                memory: count(c.memory()),
                cpu: count(c.cpu()),
            }
        }),
        utilization_metrics: metrics!(r.utilization_metrics()),
        lookback_period_in_days: Some(r.lookback_period_in_days()),
        launch_type: r.launch_type().map(|l| l.as_str().to_string()),
        finding: r.finding().map(|f| f.as_str().to_string()),
        finding_reason_codes: codes(r.finding_reason_codes()),
        service_recommendation_options: r
            .service_recommendation_options()
            .iter()
            .map(|o| EcsServiceOption {
                memory: count(o.memory()),
                cpu: count(o.cpu()),
                savings: savings!(o),
            })
            .collect(),
    }
}

fn instance(r: &sdk::InstanceRecommendation) -> InstanceRecommendation {
    InstanceRecommendation {
        instance_arn: r.instance_arn().map(String::from),
        account_id: r.account_id().map(String::from),
        current_instance_type: r.current_instance_type().map(String::from),
        finding: r.finding().map(|f| f.as_str().to_string()),
        finding_reason_codes: codes(r.finding_reason_codes()),
        utilization_metrics: metrics!(r.utilization_metrics()),
        look_back_period_in_days: Some(r.look_back_period_in_days()),
        recommendation_options: r
            .recommendation_options()
            .iter()
            .map(|o| InstanceOption {
                instance_type: o.instance_type().map(String::from),
                rank: count(Some(o.rank())),
                savings: savings!(o),
            })
            .collect(),
    }
}

fn auto_scaling_group(r: &sdk::AutoScalingGroupRecommendation) -> GroupRecommendation {
    GroupRecommendation {
        auto_scaling_group_arn: r.auto_scaling_group_arn().map(String::from),
        auto_scaling_group_name: r.auto_scaling_group_name().map(String::from),
        account_id: r.account_id().map(String::from),
        finding: r.finding().map(|f| f.as_str().to_string()),
        utilization_metrics: metrics!(r.utilization_metrics()),
        look_back_period_in_days: Some(r.look_back_period_in_days()),
        current_configuration: r.current_configuration().map(group),
        recommendation_options: r
            .recommendation_options()
            .iter()
            .map(|o| GroupOption {
                configuration: o.configuration().map(group),
                rank: count(Some(o.rank())),
                savings: savings!(o),
            })
            .collect(),
    }
}

fn database(r: &sdk::RdsdbRecommendation) -> DbRecommendation {
    DbRecommendation {
        resource_arn: r.resource_arn().map(String::from),
        account_id: r.account_id().map(String::from),
        engine: r.engine().map(String::from),
        current_db_instance_class: r.current_db_instance_class().map(String::from),
        current_storage_configuration: r.current_storage_configuration().map(|s| {
            StorageConfiguration {
                storage_type: s.storage_type().map(String::from),
            }
        }),
        instance_finding: r.instance_finding().map(|f| f.as_str().to_string()),
        instance_finding_reason_codes: codes(r.instance_finding_reason_codes()),
        idle: r.idle().map(|i| i.as_str().to_string()),
        instance_recommendation_options: r
            .instance_recommendation_options()
            .iter()
            .map(|o| DbInstanceOption {
                db_instance_class: o.db_instance_class().map(String::from),
                rank: count(Some(o.rank())),
                savings: savings!(o),
            })
            .collect(),
        utilization_metrics: metrics!(r.utilization_metrics()),
        lookback_period_in_days: Some(r.lookback_period_in_days()),
    }
}

fn idle(r: &sdk::IdleRecommendation) -> IdleRecommendation {
    IdleRecommendation {
        resource_arn: r.resource_arn().map(String::from),
        resource_id: r.resource_id().map(String::from),
        resource_type: r.resource_type().map(|t| t.as_str().to_string()),
        account_id: r.account_id().map(String::from),
        finding: r.finding().map(|f| f.as_str().to_string()),
        finding_description: r.finding_description().map(String::from),
        savings: savings!(r),
        utilization_metrics: metrics!(r.utilization_metrics()),
        look_back_period_in_days: Some(r.look_back_period_in_days()),
    }
}

/// Every recommendation of the five APIs, page by page, for the caller's account (`accounts`
/// empty) or for each account listed (Compute Optimizer takes one per request).
pub fn fetch(options: &AwsOptions, accounts: &[String]) -> Result<Vec<Page>, AwsError> {
    options.check_profile("compute-optimizer")?;
    block_on(async {
        let config = options.config(None).await;
        let client = Client::new(&config);
        let scopes: Vec<Option<Vec<String>>> = if accounts.is_empty() {
            vec![None]
        } else {
            accounts.iter().map(|a| Some(vec![a.clone()])).collect()
        };
        let mut pages = Vec::new();
        for scope in &scopes {
            for api in Operation::ALL {
                fetch_api(&client, api, scope, options, &mut pages).await?;
            }
        }
        Ok(pages)
    })?
}

async fn fetch_api(
    client: &Client,
    api: Operation,
    accounts: &Option<Vec<String>>,
    options: &AwsOptions,
    pages: &mut Vec<Page>,
) -> Result<(), AwsError> {
    let operation = format!("compute-optimizer:{}", api.name());
    let mut token: Option<String> = None;
    let mut pager = Pages::new(&operation);
    loop {
        // One page of a request: its list converted into the page's field, and its errors.
        macro_rules! page {
            ($request:expr, $list:ident => $field:ident, $convert:expr) => {{
                let out = $request
                    .set_account_ids(accounts.clone())
                    .set_next_token(token.clone())
                    .send()
                    .await
                    .map_err(|e| sdk_error(&operation, &e, options))?;
                Page {
                    next_token: out.next_token().map(String::from),
                    $field: Some(out.$list().iter().map($convert).collect()),
                    errors: errors!(out.errors()),
                    ..Page::default()
                }
            }};
        }
        let page = match api {
            Operation::EcsServices => page!(
                client.get_ecs_service_recommendations(),
                ecs_service_recommendations => ecs_service_recommendations,
                ecs
            ),
            Operation::Ec2Instances => page!(
                client.get_ec2_instance_recommendations(),
                instance_recommendations => instance_recommendations,
                instance
            ),
            Operation::AutoScalingGroups => page!(
                client.get_auto_scaling_group_recommendations(),
                auto_scaling_group_recommendations => auto_scaling_group_recommendations,
                auto_scaling_group
            ),
            Operation::RdsDatabases => page!(
                client.get_rds_database_recommendations(),
                rds_db_recommendations => rds_db_recommendations,
                database
            ),
            Operation::Idle => page!(
                client.get_idle_recommendations(),
                idle_recommendations => idle_recommendations,
                idle
            ),
        };
        token = pager.next(page.next_token.as_deref())?;
        pages.push(page);
        if token.is_none() {
            return Ok(());
        }
    }
}
