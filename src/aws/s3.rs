//! Billing exports in S3: every export-looking object under a prefix (listed with
//! pagination), streamed to a local directory.

use std::io::Write;
use std::path::{Path, PathBuf};

use aws_sdk_s3::Client;

use super::{AwsError, AwsOptions, Pages, block_on, sdk_error};
use crate::progress::{self, Step, Unit};

/// Downloads the export files (Parquet, CSV, gzip) under `s3://bucket/prefix` into `into`,
/// listing `page_size` keys a request; returns the local files (none when nothing matched).
pub fn download(
    bucket: &str,
    prefix: &str,
    options: &AwsOptions,
    into: &Path,
    page_size: Option<i32>,
) -> Result<Vec<PathBuf>, AwsError> {
    options.check_profile("s3:ListBucket")?;
    block_on(async {
        let client = Client::from_conf(
            aws_sdk_s3::config::Builder::from(&options.config(None).await)
                .force_path_style(true)
                .build(),
        );
        // Each key with its size in bytes.
        let mut keys: Vec<(String, u64)> = Vec::new();
        let mut token: Option<String> = None;
        let mut pager = Pages::new("s3:ListBucket");
        loop {
            let out = client
                .list_objects_v2()
                .bucket(bucket)
                .prefix(prefix)
                .set_max_keys(page_size)
                .set_continuation_token(token.clone())
                .send()
                .await
                .map_err(|e| sdk_error("s3:ListBucket", &e, options))?;
            keys.extend(out.contents().iter().filter_map(|o| {
                let size = o.size().and_then(|s| u64::try_from(s).ok()).unwrap_or(0);
                o.key().map(|k| (k.to_string(), size))
            }));
            let truncated = out.is_truncated() == Some(true);
            token = pager.next(out.next_continuation_token().filter(|_| truncated))?;
            if token.is_none() {
                break;
            }
        }
        drop(pager);
        let keys: Vec<(String, u64)> = keys
            .into_iter()
            .filter(|(k, _)| {
                let k = k.to_ascii_lowercase();
                k.ends_with(".parquet")
                    || k.ends_with(".csv")
                    || k.ends_with(".csv.gz")
                    || k.ends_with(".gz")
            })
            .collect();
        let bytes: u64 = keys.iter().map(|(_, size)| size).sum();
        let step = progress::begin(
            &format!(
                "downloading {} file(s) from s3://{bucket}/{prefix}",
                keys.len()
            ),
            Some(bytes),
            Unit::Bytes,
        );
        let mut files = Vec::new();
        for (i, (key, _)) in keys.iter().enumerate() {
            let name = key.rsplit('/').next().unwrap_or(key);
            let local = into.join(format!("{i:05}-{name}"));
            fetch(&client, bucket, key, &local, options, &step).await?;
            files.push(local);
        }
        Ok(files)
    })?
}

/// Downloads one object, `s3://bucket/key`, into the folder `into`; returns the local file
/// (named like the key's last part).
pub fn download_object(
    bucket: &str,
    key: &str,
    options: &AwsOptions,
    into: &Path,
) -> Result<PathBuf, AwsError> {
    options.check_profile("s3:GetObject")?;
    block_on(async {
        let client = Client::from_conf(
            aws_sdk_s3::config::Builder::from(&options.config(None).await)
                .force_path_style(true)
                .build(),
        );
        let local = into.join(key.rsplit('/').next().unwrap_or(key));
        let step = progress::begin(
            &format!("downloading s3://{bucket}/{key}"),
            None,
            Unit::Bytes,
        );
        fetch(&client, bucket, key, &local, options, &step).await?;
        Ok(local)
    })?
}

/// Streams an object to a local file, advancing `step` by the bytes written.
async fn fetch(
    client: &Client,
    bucket: &str,
    key: &str,
    local: &Path,
    options: &AwsOptions,
    step: &Step,
) -> Result<(), AwsError> {
    let mut object = client
        .get_object()
        .bucket(bucket)
        .key(key)
        .send()
        .await
        .map_err(|e| sdk_error("s3:GetObject", &e, options))?;
    let write_error = |e: std::io::Error| AwsError {
        operation: "s3:GetObject".into(),
        message: format!("cannot write {}: {e}", local.display()),
    };
    let mut file = std::fs::File::create(local).map_err(write_error)?;
    while let Some(chunk) = object.body.next().await {
        let chunk = chunk.map_err(|e| AwsError {
            operation: "s3:GetObject".into(),
            message: format!("reading s3://{bucket}/{key}: {e}"),
        })?;
        file.write_all(&chunk).map_err(write_error)?;
        step.advance(chunk.len() as u64);
    }
    Ok(())
}
