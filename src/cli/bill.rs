//! What `tags` and `spend` share: the bill to read, the month and the cost measured.

use archcost::Error;
use archcost::actuals::tagged::{
    CostBasis, Fields, TaggedBill, load_key_costs, load_tagged, retain_month,
};
use archcost::analysis::tags::KeyCost;
use clap::ValueEnum;

use super::options::AwsArgs;

/// The bill and how to read it.
#[derive(clap::Args)]
pub struct BillArgs {
    /// The bill: CUR 2.0 or FOCUS exports (a file, a folder, a glob, or s3://bucket/prefix).
    source: String,
    /// Only this month of the bill.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// Which cost: billed (invoiced), effective (amortized commitments) or list (on-demand).
    #[arg(long, value_enum, default_value_t = CostArg::Effective)]
    cost: CostArg,
    #[command(flatten)]
    aws: AwsArgs,
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
    /// The source as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    fn basis(&self) -> CostBasis {
        match self.cost {
            CostArg::Billed => CostBasis::Billed,
            CostArg::Effective => CostBasis::Effective,
            CostArg::List => CostBasis::List,
        }
    }

    /// Usage cost by tag value, one key at a time, from Cost Explorer (the API or a saved
    /// response), for the month asked; with the words reports use for the source and cost.
    pub fn load_by_key(
        &self,
        keys: &[String],
        verbose: bool,
    ) -> Result<(Vec<KeyCost>, String, String), Error> {
        if let Some(m) = &self.month {
            super::options::month(m)?;
        }
        let basis = self.basis();
        let mut rows = load_key_costs(&self.source, keys, basis, &self.aws.options(verbose))?;
        if let Some(m) = &self.month {
            retain_month(&mut rows, |r| r.month.as_str(), m, &self.source)?;
        }
        let metric = match basis {
            CostBasis::Billed => "UnblendedCost",
            _ => "AmortizedCost",
        };
        Ok((
            rows,
            format!("{} (Cost Explorer)", self.source),
            format!("{} ({metric})", basis.key()),
        ))
    }

    /// Reads the fields of the bill asked for, keeping the month asked for.
    pub fn load(&self, fields: Fields, verbose: bool) -> Result<Bill, Error> {
        if let Some(m) = &self.month {
            super::options::month(m)?;
        }
        let basis = self.basis();
        let aws = self.aws.options(verbose);
        let mut bill = load_tagged(&self.source, basis, fields, &aws)?;
        if let Some(m) = &self.month {
            bill.retain_month(m)?;
        }
        Ok(Bill {
            source: format!("{} ({})", bill.source, bill.format),
            cost: format!("{} ({})", basis.key(), bill.cost_columns),
            bill,
        })
    }
}
