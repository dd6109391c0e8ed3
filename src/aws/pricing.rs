//! The AWS Price List Query API: `GetProducts` answers, every page, as the JSON documents the
//! API sends (one string per product). What they mean is `price_list`'s business.

use aws_sdk_pricing::Client;
use aws_sdk_pricing::types::{Filter, FilterType};

use super::{AwsError, AwsOptions, Pages, block_on, sdk_error};

/// The regions that serve the Price List Query API in the commercial partition.
pub const API_REGIONS: [&str; 3] = ["us-east-1", "eu-central-1", "ap-south-1"];

/// The Price List API region nearest to the region priced: Europe, the Middle East and Africa
/// ask eu-central-1, Asia Pacific ap-south-1, the Americas us-east-1. Every endpoint serves
/// every region's prices.
pub fn api_region_for(priced: &str) -> &'static str {
    match priced.split('-').next() {
        Some("eu" | "me" | "af" | "il") => "eu-central-1",
        Some("ap") => "ap-south-1",
        _ => "us-east-1",
    }
}

/// One product query: a service code and `TERM_MATCH` filters (field, value).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductQuery {
    /// The service code (`AmazonECS`).
    pub service_code: String,
    /// Attribute filters, all of which must match (`usagetype` = `USE1-Fargate-GB-Hours`).
    pub filters: Vec<(String, String)>,
}

/// Runs each query against the Price List API in `api_region` (unless `options` names an
/// endpoint), following `NextToken` to the last page; `page_size` sets `MaxResults`. Returns
/// each query's product documents. Throttling is retried by the SDK's standard retry policy.
pub fn get_products(
    queries: &[ProductQuery],
    api_region: &str,
    options: &AwsOptions,
    page_size: Option<i32>,
) -> Result<Vec<Vec<String>>, AwsError> {
    const OPERATION: &str = "pricing:GetProducts";
    options.check_profile(OPERATION)?;
    let api_region: &'static str = API_REGIONS
        .iter()
        .find(|r| **r == api_region)
        .copied()
        .ok_or_else(|| AwsError {
            operation: OPERATION.into(),
            message: format!(
                "the Price List API is not served from {api_region}; expected one of {}",
                API_REGIONS.join(", ")
            ),
        })?;
    block_on(async {
        let client = Client::new(&options.config(Some(api_region)).await);
        let mut answers = Vec::with_capacity(queries.len());
        for q in queries {
            let filters = q
                .filters
                .iter()
                .map(|(field, value)| {
                    Filter::builder()
                        .r#type(FilterType::TermMatch)
                        .field(field)
                        .value(value)
                        .build()
                        .map_err(|e| AwsError {
                            operation: OPERATION.into(),
                            message: format!("cannot build a filter: {e}"),
                        })
                })
                .collect::<Result<Vec<_>, _>>()?;
            let mut documents = Vec::new();
            let mut token: Option<String> = None;
            let mut pager = Pages::new(OPERATION);
            loop {
                let out = client
                    .get_products()
                    .service_code(&q.service_code)
                    .set_filters(Some(filters.clone()))
                    .format_version("aws_v1")
                    .set_max_results(page_size)
                    .set_next_token(token.take())
                    .send()
                    .await
                    .map_err(|e| sdk_error(OPERATION, &e, options))?;
                documents.extend(out.price_list().iter().cloned());
                token = pager.next(out.next_token())?;
                if token.is_none() {
                    break;
                }
            }
            answers.push(documents);
        }
        Ok(answers)
    })?
}
