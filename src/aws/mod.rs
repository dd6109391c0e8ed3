//! The AWS edge: the only module that names SDK types, and it only fetches. Clients are built
//! from the standard credential and region chain (profiles, SSO, environment), with
//! `--profile`, `--region` and `--endpoint-url` (or `AWS_ENDPOINT_URL`) honoured, and run on a
//! small Tokio runtime so the rest of archcost stays synchronous. What the answers mean is
//! `actuals`' business: this module knows nothing else of archcost.

pub mod cost_explorer;
pub mod s3;

use aws_config::BehaviorVersion;
use aws_sdk_costexplorer::error::ProvideErrorMetadata;

/// An AWS call that failed, said plainly.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: {message}")]
pub struct AwsError {
    /// The API operation (`ce:GetCostAndUsage`).
    pub operation: String,
    /// What went wrong.
    pub message: String,
}

/// Where and as whom to call AWS.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AwsOptions {
    /// A named profile from the shared config files.
    pub profile: Option<String>,
    /// The region (Cost Explorer is always called in us-east-1 unless set).
    pub region: Option<String>,
    /// An endpoint to call instead of AWS (an emulator, a VPC endpoint).
    pub endpoint_url: Option<String>,
}

impl AwsOptions {
    pub(crate) async fn config(
        &self,
        default_region: Option<&'static str>,
    ) -> aws_config::SdkConfig {
        let mut loader = aws_config::defaults(BehaviorVersion::latest());
        if let Some(p) = &self.profile {
            loader = loader.profile_name(p);
        }
        match (&self.region, default_region) {
            (Some(r), _) => loader = loader.region(aws_config::Region::new(r.clone())),
            (None, Some(r)) => loader = loader.region(aws_config::Region::new(r)),
            (None, None) => {}
        }
        if let Some(url) = &self.endpoint_url {
            loader = loader.endpoint_url(url);
        }
        loader.load().await
    }
}

/// Runs a future to completion on a current-thread runtime.
pub(crate) fn block_on<F: std::future::Future>(future: F) -> Result<F::Output, AwsError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| AwsError {
            operation: "start".into(),
            message: format!("cannot start the async runtime: {e}"),
        })?;
    Ok(runtime.block_on(future))
}

/// A readable message for an SDK error: access denied and throttling said plainly.
pub(crate) fn sdk_error<E, R>(
    operation: &str,
    e: &aws_sdk_costexplorer::error::SdkError<E, R>,
) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    let code = e.as_service_error().and_then(|s| s.code()).unwrap_or("");
    let detail = e
        .as_service_error()
        .and_then(|s| s.message())
        .map(str::to_string);
    let message = match code {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => format!(
            "access denied{}; the credentials need permission for {operation}",
            detail.map(|d| format!(" ({d})")).unwrap_or_default()
        ),
        "Throttling"
        | "ThrottlingException"
        | "LimitExceededException"
        | "SlowDown"
        | "RequestLimitExceeded" => {
            format!("AWS throttled {operation} and the retries ran out; try again later")
        }
        "NoSuchBucket" => format!(
            "no such bucket{}",
            detail.map(|d| format!(" ({d})")).unwrap_or_default()
        ),
        _ => format!("{}", aws_sdk_costexplorer::error::DisplayErrorContext(e)),
    };
    AwsError {
        operation: operation.to_string(),
        message,
    }
}
