//! What `tags` and `spend` share: the bill to read, the month and the cost measured.

use archcost::Error;
use archcost::actuals::athena;
use archcost::actuals::tagged::{
    CostBasis, Fields, TaggedBill, is_cost_explorer, load_key_costs, load_tagged, retain_month,
};
use archcost::analysis::tags::{TagQuery, TagReport, analyse, analyse_by_key};
use archcost::aws::AwsOptions;
use clap::ValueEnum;

use super::options::{AwsArgs, EngineArgs};

/// The bill and how to read it.
#[derive(clap::Args)]
pub struct BillArgs {
    /// The bill: CUR 2.0 or FOCUS exports (a file, a folder, a glob, s3://bucket/prefix, or
    /// athena:DATABASE.TABLE); with --engine athena, leave it out.
    source: Option<String>,
    /// Only this month of the bill.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// Which cost: billed (invoiced), effective (amortized commitments) or list (on-demand).
    #[arg(long, value_enum, default_value_t = CostArg::Effective)]
    cost: CostArg,
    #[command(flatten)]
    aws: AwsArgs,
    #[command(flatten)]
    engine: EngineArgs,
}

#[derive(Clone, Copy, ValueEnum)]
enum CostArg {
    Billed,
    Effective,
    List,
}

/// A bill read, with the words reports use for it.
pub struct Bill {
    /// The lines.
    pub bill: TaggedBill,
    /// `exports/ (FOCUS)`.
    pub source: String,
    /// `effective (EffectiveCost)`.
    pub cost: String,
}

impl BillArgs {
    /// The bill named: the source given, or the Athena table.
    fn source(&self) -> Result<String, Error> {
        self.engine
            .source(self.source.as_deref(), "SOURCE")?
            .ok_or_else(|| {
                Error::Usage(
                    "no bill: give exports (a file, folder, glob or s3:// prefix), or --engine athena --database D --table T".into(),
                )
            })
    }

    fn basis(&self) -> CostBasis {
        match self.cost {
            CostArg::Billed => CostBasis::Billed,
            CostArg::Effective => CostBasis::Effective,
            CostArg::List => CostBasis::List,
        }
    }

    /// The tag report of the bill, for the month asked: see [`tag_report`].
    pub fn tag_report(
        &self,
        query: &TagQuery,
        verbose: bool,
    ) -> Result<(TagReport, String, String), Error> {
        tag_report(
            &self.source()?,
            self.month.as_deref(),
            self.basis(),
            query,
            &self.engine.options(&self.aws, verbose),
        )
    }

    /// Reads the fields of the bill asked for, keeping the month asked for.
    pub fn load(&self, fields: Fields, verbose: bool) -> Result<Bill, Error> {
        if let Some(m) = &self.month {
            super::options::month(m)?;
        }
        let basis = self.basis();
        let aws = self.engine.options(&self.aws, verbose);
        let months: Vec<String> = self.month.iter().cloned().collect();
        let mut bill = load_tagged(&self.source()?, basis, fields, &aws, &months)?;
        if let Some(m) = &self.month {
            bill.retain_month(m)?;
        }
        Ok(Bill {
            source: described(&bill),
            cost: format!("{} ({})", basis.key(), bill.cost_columns),
            bill,
        })
    }
}

/// The tag report of a bill, for a month when given, with the words reports use for the source
/// and the cost measured. Cost Explorer (the API or a saved response) groups by one tag at a
/// time, so it is asked key by key; exports give every line with its tags.
pub fn tag_report(
    source: &str,
    month: Option<&str>,
    basis: CostBasis,
    query: &TagQuery,
    aws: &AwsOptions,
) -> Result<(TagReport, String, String), Error> {
    if let Some(m) = month {
        super::options::month(m)?;
    }
    if is_cost_explorer(source) {
        let mut rows = load_key_costs(source, &query.required, basis, aws)?;
        if let Some(m) = month {
            retain_month(&mut rows, |r| r.month.as_str(), m, source)?;
        }
        let metric = match basis {
            CostBasis::Billed => "UnblendedCost",
            _ => "AmortizedCost",
        };
        return Ok((
            analyse_by_key(&rows, query),
            format!("{source} (Cost Explorer)"),
            format!("{} ({metric})", basis.key()),
        ));
    }
    let fields = Fields {
        region: false,
        ..Fields::ALL
    };
    let months: Vec<String> = month.iter().map(|m| m.to_string()).collect();
    let mut bill = load_tagged(source, basis, fields, aws, &months)?;
    if let Some(m) = month {
        bill.retain_month(m)?;
    }
    Ok((
        analyse(&bill.lines, query),
        described(&bill),
        format!("{} ({})", basis.key(), bill.cost_columns),
    ))
}

/// A bill's source as reports name it.
fn described(bill: &TaggedBill) -> String {
    athena::described(&bill.source, &bill.format, &bill.queries)
}
