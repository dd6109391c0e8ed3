//! Number formatting shared by line descriptions and reports.

/// Digits of a whole number with thousands separators: `1234567` → `1,234,567`.
fn thousands(whole: u64) -> String {
    let digits = whole.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    grouped
}

/// A quantity for reading: thousands separators, up to 2 decimals, no trailing zeros.
pub(crate) fn qty(x: f64) -> String {
    let hundredths = (x * 100.0).round();
    let sign = if hundredths < 0.0 { "-" } else { "" };
    let hundredths = hundredths.abs() as u64;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => format!("{sign}{}", thousands(whole)),
        f if f % 10 == 0 => format!("{sign}{}.{}", thousands(whole), f / 10),
        f => format!("{sign}{}.{f:02}", thousands(whole)),
    }
}

/// A USD amount: thousands separators and exactly 2 decimals.
pub(crate) fn usd(x: f64) -> String {
    let cents = (x * 100.0).round();
    let sign = if cents < 0.0 { "-" } else { "" };
    let cents = cents.abs() as u64;
    format!("{sign}{}.{:02}", thousands(cents / 100), cents % 100)
}

/// A USD difference with its sign (`+12.50`, `-3.00`, `0.00`).
pub(crate) fn signed_usd(x: f64) -> String {
    let cents = (x * 100.0).round();
    if cents > 0.0 {
        format!("+{}", usd(x))
    } else {
        usd(if cents == 0.0 { 0.0 } else { x })
    }
}

/// A unit price with enough significant digits for per-request prices.
pub(crate) fn unit_price(x: f64) -> String {
    if x == 0.0 {
        "0".into()
    } else if x >= 0.0001 {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        // Plain decimals with four significant digits (9.6877e-5 → 0.00009688,
        // 6.25e-7 → 0.000000625): never scientific notation.
        let decimals = (-x.abs().log10()).ceil() as usize + 3;
        let s = format!("{x:.decimals$}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(qty(1460.0), "1,460");
        assert_eq!(qty(1234567.891), "1,234,567.89");
        assert_eq!(qty(0.5), "0.5");
        assert_eq!(qty(-2.25), "-2.25");
        assert_eq!(usd(1234567.891), "1,234,567.89");
        assert_eq!(usd(0.004), "0.00");
        assert_eq!(usd(-12.5), "-12.50");
        assert_eq!(signed_usd(1e-14), "0.00");
        assert_eq!(signed_usd(-1e-14), "0.00");
        assert_eq!(signed_usd(4.464), "+4.46");
        // Regression: the comparison had its own formatter, which printed "+0.00" here.
        assert_eq!(signed_usd(0.004), "0.00");
        assert_eq!(unit_price(0.04048), "0.04048");
        assert_eq!(unit_price(0.000111), "0.000111");
        // Regression: small unit prices printed in scientific notation.
        assert_eq!(unit_price(0.000000625), "0.000000625");
        assert_eq!(unit_price(9.687671232876711e-5), "0.00009688");
        assert_eq!(unit_price(0.000001), "0.000001");
        assert_eq!(unit_price(0.0000025), "0.0000025");
    }
}
