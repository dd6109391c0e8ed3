//! Amazon Athena: each query started (`StartQueryExecution`), polled with backoff until it ends
//! (`GetQueryExecution`), and its result read page by page (`GetQueryResults`); a query still
//! running at the timeout is stopped (`StopQueryExecution`). What the SQL says is `actuals`'
//! business.

use std::time::Duration;

use aws_sdk_athena::Client;
use aws_sdk_athena::types::{
    QueryExecutionContext, QueryExecutionState, ResultConfiguration, ResultSet,
};

use super::{AwsError, AwsOptions, Pages, block_on, sdk_error};
use crate::progress::{self, Unit};

/// How queries run: the catalog they name, the workgroup they run in, where Athena writes
/// their results and how long one may take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// The data catalog (`AwsDataCatalog` when not set).
    pub catalog: Option<String>,
    /// The workgroup (`primary` when not set).
    pub workgroup: Option<String>,
    /// Where Athena writes results (`s3://…/`); the workgroup's own location when not set.
    pub output: Option<String>,
    /// How long a query may run before it is stopped.
    pub timeout: Duration,
}

impl Default for Settings {
    /// The account's defaults, and five minutes a query.
    fn default() -> Self {
        Settings {
            catalog: None,
            workgroup: None,
            output: None,
            timeout: Duration::from_secs(300),
        }
    }
}

/// A query's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Athena's id of the query execution.
    pub query_id: String,
    /// The result's column names, in order.
    pub columns: Vec<String>,
    /// The rows, each cell as text (`""` for NULL), header row left out.
    pub rows: Vec<Vec<String>>,
    /// The bytes the query scanned (what Athena charges for).
    pub bytes_scanned: u64,
    /// The region the query ran in, as the SDK resolved it.
    pub region: Option<String>,
}

/// The first wait between two status checks; each wait is 1.5 times the one before, up to
/// [`LONGEST_WAIT`].
const FIRST_WAIT: Duration = Duration::from_millis(100);
/// The longest wait between two status checks.
const LONGEST_WAIT: Duration = Duration::from_secs(2);
/// Rows asked for a page (Athena's maximum).
const PAGE_ROWS: i32 = 1000;

/// Runs a query in `database` with the settings of `options.athena`, and reads its whole
/// result.
pub fn run(sql: &str, database: &str, options: &AwsOptions) -> Result<Answer, AwsError> {
    options.check_profile("athena:StartQueryExecution")?;
    block_on(async {
        let config = options.config(None).await;
        let client = Client::new(&config);
        let id = start(&client, sql, database, options).await?;
        let step = progress::begin(&format!("Athena query {id}"), None, Unit::Checks);
        let bytes_scanned = wait(&client, &id, options, &step).await?;
        drop(step);
        let (columns, rows) = results(&client, &id, options).await?;
        Ok(Answer {
            query_id: id,
            columns,
            rows,
            bytes_scanned,
            region: config.region().map(|r| r.to_string()),
        })
    })?
}

async fn start(
    client: &Client,
    sql: &str,
    database: &str,
    options: &AwsOptions,
) -> Result<String, AwsError> {
    const OPERATION: &str = "athena:StartQueryExecution";
    let target = &options.athena;
    let context = QueryExecutionContext::builder()
        .database(database)
        .set_catalog(target.catalog.clone())
        .build();
    let output = target
        .output
        .as_ref()
        .map(|o| ResultConfiguration::builder().output_location(o).build());
    let out = client
        .start_query_execution()
        .query_string(sql)
        .query_execution_context(context)
        .set_work_group(target.workgroup.clone())
        .set_result_configuration(output)
        .send()
        .await
        .map_err(|e| sdk_error(OPERATION, &e, options))?;
    out.query_execution_id()
        .map(str::to_string)
        .ok_or_else(|| AwsError {
            operation: OPERATION.into(),
            message: "the answer has no QueryExecutionId".into(),
        })
}

/// Polls the query until it ends: the bytes it scanned when it succeeded, Athena's reason when
/// it failed or was cancelled, and a stop (`StopQueryExecution`) when it outlasts the timeout.
async fn wait(
    client: &Client,
    id: &str,
    options: &AwsOptions,
    step: &progress::Step,
) -> Result<u64, AwsError> {
    const OPERATION: &str = "athena:GetQueryExecution";
    let target = &options.athena;
    let began = tokio::time::Instant::now();
    let mut pause = FIRST_WAIT;
    loop {
        let out = client
            .get_query_execution()
            .query_execution_id(id)
            .send()
            .await
            .map_err(|e| sdk_error(OPERATION, &e, options))?;
        step.advance(1);
        let execution = out.query_execution();
        let status = execution.and_then(|e| e.status());
        let state = status.and_then(|s| s.state()).cloned();
        let reason = || {
            let said = status
                .and_then(|s| s.state_change_reason())
                .or_else(|| {
                    status
                        .and_then(|s| s.athena_error())
                        .and_then(|e| e.error_message())
                })
                .unwrap_or("Athena gave no reason");
            said.to_string()
        };
        match state {
            Some(QueryExecutionState::Succeeded) => {
                let scanned = execution
                    .and_then(|e| e.statistics())
                    .and_then(|s| s.data_scanned_in_bytes())
                    .unwrap_or(0);
                return Ok(u64::try_from(scanned).unwrap_or(0));
            }
            Some(QueryExecutionState::Failed) => {
                return Err(AwsError {
                    operation: OPERATION.into(),
                    message: format!("query {id} FAILED: {}", reason()),
                });
            }
            Some(QueryExecutionState::Cancelled) => {
                return Err(AwsError {
                    operation: OPERATION.into(),
                    message: format!("query {id} was CANCELLED: {}", reason()),
                });
            }
            _ => {}
        }
        if began.elapsed() >= target.timeout {
            let stopped = client
                .stop_query_execution()
                .query_execution_id(id)
                .send()
                .await;
            let state = state.map_or("QUEUED".to_string(), |s| s.as_str().to_string());
            return Err(AwsError {
                operation: OPERATION.into(),
                message: match stopped {
                    Ok(_) => format!(
                        "query {id} still {state} after {} s (--timeout); stopped it (StopQueryExecution)",
                        target.timeout.as_secs_f64()
                    ),
                    Err(e) => format!(
                        "query {id} still {state} after {} s (--timeout), and stopping it failed: {}",
                        target.timeout.as_secs_f64(),
                        sdk_error("athena:StopQueryExecution", &e, options).message
                    ),
                },
            });
        }
        let left = target.timeout.saturating_sub(began.elapsed());
        tokio::time::sleep(pause.min(left)).await;
        pause = (pause.mul_f64(1.5)).min(LONGEST_WAIT);
    }
}

/// Every page of a finished query's result: its column names and rows, the header row Athena
/// puts first on the first page left out.
async fn results(
    client: &Client,
    id: &str,
    options: &AwsOptions,
) -> Result<(Vec<String>, Vec<Vec<String>>), AwsError> {
    const OPERATION: &str = "athena:GetQueryResults";
    let mut columns: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    let mut token: Option<String> = None;
    let mut pager = Pages::new(OPERATION);
    loop {
        let out = client
            .get_query_results()
            .query_execution_id(id)
            .max_results(PAGE_ROWS)
            .set_next_token(token.clone())
            .send()
            .await
            .map_err(|e| sdk_error(OPERATION, &e, options))?;
        if let Some(set) = out.result_set() {
            let first_page = token.is_none();
            if first_page {
                columns = column_names(set);
            }
            for (i, row) in set.rows().iter().enumerate() {
                let cells: Vec<String> = row
                    .data()
                    .iter()
                    .map(|d| d.var_char_value().unwrap_or("").to_string())
                    .collect();
                if first_page && i == 0 && cells == columns {
                    continue;
                }
                if cells.len() != columns.len() {
                    return Err(AwsError {
                        operation: OPERATION.into(),
                        message: format!(
                            "query {id}: a row of {} cells under {} columns",
                            cells.len(),
                            columns.len()
                        ),
                    });
                }
                rows.push(cells);
            }
        }
        token = pager.next(out.next_token())?;
        if token.is_none() {
            return Ok((columns, rows));
        }
    }
}

fn column_names(set: &ResultSet) -> Vec<String> {
    set.result_set_metadata()
        .map(|m| {
            m.column_info()
                .iter()
                .map(|c| c.name().to_string())
                .collect()
        })
        .unwrap_or_default()
}
