//! Tables written as Parquet with polars, for the review's data exports: each column typed as
//! its producer declares it (text or 64-bit floats; empty cells are nulls).

use polars::prelude::*;

/// One column to write.
#[derive(Debug, Clone, PartialEq)]
pub enum ExportColumn {
    /// Text values (`None`: null).
    Text(String, Vec<Option<String>>),
    /// Numbers (`None`: null).
    Number(String, Vec<Option<f64>>),
}

/// The columns as a Parquet file, in memory (Snappy-compressed, one row group).
///
/// Columns of unequal length are an error naming the table.
pub fn parquet(table: &str, columns: Vec<ExportColumn>) -> Result<Vec<u8>, String> {
    let height = match columns.first() {
        Some(ExportColumn::Text(_, v)) => v.len(),
        Some(ExportColumn::Number(_, v)) => v.len(),
        None => 0,
    };
    let columns: Vec<Column> = columns
        .into_iter()
        .map(|c| match c {
            ExportColumn::Text(name, v) => Column::new(name.as_str().into(), v),
            ExportColumn::Number(name, v) => Column::new(name.as_str().into(), v),
        })
        .collect();
    let mut df = DataFrame::new(height, columns).map_err(|e| format!("{table}: {e}"))?;
    let mut bytes = Vec::new();
    ParquetWriter::new(&mut bytes)
        .finish(&mut df)
        .map_err(|e| format!("{table}: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_table_round_trips_with_its_types_and_nulls() {
        let bytes = parquet(
            "t",
            vec![
                ExportColumn::Text("service".into(), vec![Some("AmazonECS".into()), None]),
                ExportColumn::Number("usd".into(), vec![Some(655.05), None]),
            ],
        )
        .unwrap();
        let df = ParquetReader::new(std::io::Cursor::new(bytes))
            .finish()
            .unwrap();
        assert_eq!(df.shape(), (2, 2));
        assert_eq!(df.column("usd").unwrap().dtype(), &DataType::Float64);
        assert_eq!(
            df.column("usd").unwrap().f64().unwrap().get(0),
            Some(655.05)
        );
        assert_eq!(df.column("service").unwrap().null_count(), 1);
    }
}
