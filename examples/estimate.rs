//! The library API in a few lines: load a topology, estimate it, print the priced lines.
//!
//! `cargo run --example estimate [MODEL]` (defaults to the reference model).

use archcost::{BillingPeriod, PriceBook, estimate, model_file};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "models/fintech-global-platform.yaml".to_string());
    let topology = model_file::load(path.as_ref())?;
    let prices = PriceBook::embedded(topology.region)?;
    let estimate = estimate(&topology, &prices, &BillingPeriod::standard_month())?;
    for line in &estimate.lines {
        println!(
            "{:<28} {:<44} {:>16.2} {:<12} × {:<10.3e} = {:>10.2} USD  [{} {}]",
            line.component,
            line.usage_type,
            line.quantity,
            line.unit.label(),
            line.usd_per_unit,
            line.usd_per_month,
            line.price_source.sku.as_deref().unwrap_or("no SKU"),
            line.price_source.effective_date,
        );
    }
    println!("total: {:.2} USD/month", estimate.total_usd());
    Ok(())
}
