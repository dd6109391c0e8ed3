//! The AWS edge: the only module that names SDK types, and it only fetches. Clients are built
//! from the standard credential and region chain (profiles, SSO, environment), with
//! `--profile`, `--region` and `--endpoint-url` (or `AWS_ENDPOINT_URL`) honoured, and run on a
//! small Tokio runtime so the rest of archcost stays synchronous. What the answers mean is
//! `actuals`' business: this module knows nothing else of archcost.

pub mod athena;
pub mod compute_optimizer;
pub mod cost_explorer;
pub mod pricing;
pub mod s3;

use aws_config::BehaviorVersion;
use aws_sdk_costexplorer::config::http::HttpResponse;
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
    /// Add the SDK's own account of a failure to the plain one (`--verbose`).
    pub verbose: bool,
    /// How Athena queries run (catalog, workgroup, results location, timeout).
    pub athena: athena::Settings,
}

impl AwsOptions {
    /// Checks that a named profile exists in the shared config or credentials file, so that a
    /// mistyped `--profile` is said as such rather than as missing credentials.
    pub(crate) fn check_profile(&self, operation: &str) -> Result<(), AwsError> {
        let Some(name) = &self.profile else {
            return Ok(());
        };
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        let file = |var: &str, default: &str| {
            std::env::var_os(var)
                .map(std::path::PathBuf::from)
                .or_else(|| home.as_ref().map(|h| h.join(".aws").join(default)))
        };
        let config = file("AWS_CONFIG_FILE", "config");
        let credentials = file("AWS_SHARED_CREDENTIALS_FILE", "credentials");
        let sections = |path: &Option<std::path::PathBuf>| -> Vec<String> {
            path.as_ref()
                .and_then(|p| std::fs::read_to_string(p).ok())
                .map(|text| {
                    text.lines()
                        .filter_map(|l| l.trim().strip_prefix('[')?.strip_suffix(']'))
                        .map(|s| s.trim().trim_start_matches("profile ").trim().to_string())
                        .collect()
                })
                .unwrap_or_default()
        };
        let mut known = sections(&config);
        known.extend(sections(&credentials));
        if known.iter().any(|k| k == name) {
            return Ok(());
        }
        let shown = |p: &Option<std::path::PathBuf>| {
            p.as_ref()
                .map_or("(no HOME)".to_string(), |p| p.display().to_string())
        };
        Err(AwsError {
            operation: operation.to_string(),
            message: format!(
                "profile `{name}` is not in {} or {}; known profiles: {} (`aws configure list-profiles` lists them)",
                shown(&config),
                shown(&credentials),
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
        })
    }

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

/// What is said of an answer that could not be read.
const UNREADABLE: &str = "the answer could not be read (malformed or cut short); try again, and with --verbose to see why";

/// A readable message for an SDK error: what failed, the likely cause and what fixes it, in a
/// line; the SDK's own account only with `verbose`.
pub(crate) fn sdk_error<E>(
    operation: &str,
    e: &aws_sdk_costexplorer::error::SdkError<E, HttpResponse>,
    options: &AwsOptions,
) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    use aws_sdk_costexplorer::error::SdkError;
    let detail = aws_sdk_costexplorer::error::DisplayErrorContext(e).to_string();
    let code = e.as_service_error().and_then(|s| s.code()).unwrap_or("");
    let said = e
        .as_service_error()
        .and_then(|s| s.message())
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    let endpoint = options
        .endpoint_url
        .clone()
        .unwrap_or_else(|| "AWS".to_string());
    let status = e.raw_response().map(|r| r.status().as_u16());
    let server_side = status.is_some_and(|s| s >= 500)
        || matches!(
            code,
            "InternalErrorException"
                | "InternalFailure"
                | "InternalError"
                | "InternalServerError"
                | "InternalServerException"
                | "ServiceUnavailable"
                | "ServiceUnavailableException"
        );
    let message = match e {
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_)
            if detail.contains("no credentials found")
                || detail.contains("CredentialsNotLoaded") =>
        {
            let profile = options
                .profile
                .as_deref()
                .map_or("the default profile".to_string(), |p| {
                    format!("profile `{p}`")
                });
            format!(
                "no AWS credentials found (tried the environment, {profile}, web identity, ECS and instance metadata); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, pass --profile NAME, or run `aws sso login`"
            )
        }
        SdkError::DispatchFailure(_) | SdkError::ConstructionFailure(_)
            if detail.contains("region must be set") || detail.contains("No region") =>
        {
            "no AWS region; pass --region (e.g. --region us-east-1) or set AWS_REGION".to_string()
        }
        SdkError::DispatchFailure(_) if detail.contains("dns error") => format!(
            "cannot resolve {endpoint}'s host name; check --endpoint-url (or AWS_ENDPOINT_URL) and the network"
        ),
        SdkError::DispatchFailure(_) => format!(
            "cannot reach {endpoint}; check --endpoint-url (or AWS_ENDPOINT_URL) and the network"
        ),
        SdkError::TimeoutError(_) => {
            format!("{endpoint} did not answer in time; try again later")
        }
        // An answer the client could not read: cut short, or a 2xx of the wrong shape.
        SdkError::ResponseError(_) => UNREADABLE.to_string(),
        SdkError::ServiceError(_) if status.is_some_and(|s| (200..300).contains(&s)) => {
            UNREADABLE.to_string()
        }
        SdkError::ServiceError(_) if server_side => {
            let what = if code.is_empty() {
                format!("HTTP {}", status.unwrap_or(500))
            } else {
                code.to_string()
            };
            let said = e
                .as_service_error()
                .and_then(|s| s.message())
                .map(|m| format!(": {m}"))
                .unwrap_or_default();
            format!("AWS failed on its side ({what}{said}) on every try; try again later")
        }
        _ => match code {
            "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" => {
                format!("access denied{said}; the credentials need permission for {operation}")
            }
            "Throttling"
            | "ThrottlingException"
            | "LimitExceededException"
            | "SlowDown"
            | "RequestLimitExceeded" => {
                format!("AWS throttled {operation} and the retries ran out; try again later")
            }
            "NoSuchBucket" => format!("no such bucket{said}"),
            "OptInRequiredException" => format!(
                "this account has not opted in to Compute Optimizer{said}; opt in with `aws compute-optimizer update-enrollment-status --status Active` (from an organisation's management account add `--include-member-accounts`) or on the Compute Optimizer console, then allow up to 24 hours for the first recommendations"
            ),
            "ExpiredToken"
            | "ExpiredTokenException"
            | "InvalidClientTokenId"
            | "UnrecognizedClientException"
            | "InvalidAccessKeyId" => format!(
                "the credentials were refused{said}; refresh them (e.g. `aws sso login`) or pass --profile NAME"
            ),
            _ if !code.is_empty() => format!("{code}{said}"),
            _ => detail.clone(),
        },
    };
    let message = if options.verbose && message != detail {
        format!("{message} [SDK: {detail}]")
    } else {
        message
    };
    AwsError {
        operation: operation.to_string(),
        message,
    }
}

/// The pages of one paginated call: each page counted on the progress display, and a token
/// the service hands back a second time caught (a service that would otherwise be asked for
/// the same pages forever).
pub(crate) struct Pages {
    operation: String,
    seen: std::collections::HashSet<String>,
    step: crate::progress::Step,
}

impl Pages {
    /// The pages of `operation` (`ce:GetCostAndUsage`), shown as it.
    pub(crate) fn new(operation: &str) -> Self {
        Pages {
            operation: operation.to_string(),
            seen: Default::default(),
            step: crate::progress::begin(operation, None, crate::progress::Unit::Pages),
        }
    }

    /// A page has come with `token`: the token to ask the next page with, `None` after the
    /// last page (no token, or an empty one); an error when the token was handed out before.
    pub(crate) fn next(&mut self, token: Option<&str>) -> Result<Option<String>, AwsError> {
        self.step.advance(1);
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        if !self.seen.insert(token.to_string()) {
            return Err(AwsError {
                operation: self.operation.clone(),
                message: format!(
                    "the service returned the page token `{token}` a second time; stopped rather than ask for the same pages again"
                ),
            });
        }
        Ok(Some(token.to_string()))
    }
}
