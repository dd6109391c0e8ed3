//! Billing exports in S3: every object under a prefix (listed with pagination), streamed to a
//! local scratch directory, then read like local export files.

use std::io::Write;
use std::path::{Path, PathBuf};

use aws_sdk_s3::Client;

use super::{AwsOptions, block_on, sdk_error};
use crate::actuals::{ActualsError, MonthlyActuals, export};

/// Splits `s3://bucket/prefix` into bucket and prefix.
pub fn parse_url(url: &str) -> Result<(String, String), ActualsError> {
    let rest = url
        .strip_prefix("s3://")
        .ok_or_else(|| ActualsError::Spec(format!("`{url}` is not an s3:// URL")))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    if bucket.is_empty() {
        return Err(ActualsError::Spec(format!(
            "`{url}` names no bucket; expected s3://BUCKET/PREFIX"
        )));
    }
    Ok((bucket.to_string(), prefix.to_string()))
}

/// Downloads the export files under `s3://bucket/prefix` into `into`, listing `page_size` keys
/// a request; returns the local files.
pub fn download(
    url: &str,
    options: &AwsOptions,
    into: &Path,
    page_size: Option<i32>,
) -> Result<Vec<PathBuf>, ActualsError> {
    let (bucket, prefix) = parse_url(url)?;
    block_on(async {
        let client = Client::from_conf(
            aws_sdk_s3::config::Builder::from(&options.config(None).await)
                .force_path_style(true)
                .build(),
        );
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = client
                .list_objects_v2()
                .bucket(&bucket)
                .prefix(&prefix)
                .set_max_keys(page_size)
                .set_continuation_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error("s3:ListBucket", &e))?;
            keys.extend(
                out.contents()
                    .iter()
                    .filter_map(|o| o.key().map(str::to_string)),
            );
            token = out.next_continuation_token().map(str::to_string);
            if token.is_none() || out.is_truncated() != Some(true) {
                break;
            }
        }
        let keys: Vec<String> = keys
            .into_iter()
            .filter(|k| {
                let k = k.to_ascii_lowercase();
                k.ends_with(".parquet")
                    || k.ends_with(".csv")
                    || k.ends_with(".csv.gz")
                    || k.ends_with(".gz")
            })
            .collect();
        if keys.is_empty() {
            return Err(ActualsError::NoFiles {
                location: url.to_string(),
            });
        }
        let mut files = Vec::new();
        for (i, key) in keys.iter().enumerate() {
            let name = key.rsplit('/').next().unwrap_or(key);
            let local = into.join(format!("{i:05}-{name}"));
            let mut object = client
                .get_object()
                .bucket(&bucket)
                .key(key)
                .send()
                .await
                .map_err(|e| sdk_error("s3:GetObject", &e))?;
            let mut file = std::fs::File::create(&local).map_err(|e| ActualsError::Read {
                path: local.display().to_string(),
                source: e,
            })?;
            while let Some(chunk) = object.body.next().await {
                let chunk = chunk.map_err(|e| ActualsError::Aws {
                    operation: "s3:GetObject".into(),
                    message: format!("reading s3://{bucket}/{key}: {e}"),
                })?;
                file.write_all(&chunk).map_err(|e| ActualsError::Read {
                    path: local.display().to_string(),
                    source: e,
                })?;
            }
            files.push(local);
        }
        Ok(files)
    })?
}

/// Actuals from the export files under an S3 prefix.
pub fn load(
    url: &str,
    forced: Option<export::ExportFormat>,
    options: &AwsOptions,
) -> Result<MonthlyActuals, ActualsError> {
    let scratch =
        std::env::temp_dir().join(format!("archcost-s3-{}-{}", std::process::id(), url.len()));
    std::fs::create_dir_all(&scratch).map_err(|e| ActualsError::Read {
        path: scratch.display().to_string(),
        source: e,
    })?;
    let result =
        download(url, options, &scratch, None).and_then(|files| export::read(&files, forced, url));
    let _ = std::fs::remove_dir_all(&scratch);
    result
}
