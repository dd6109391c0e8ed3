//! The billing period: how many hours it has, and where each hour falls in the week.
//!
//! Hours are UTC. The standard period is AWS's 730-hour month, taken to start on a Monday at
//! 00:00; a calendar month (`2026-10`) has its real number of hours and starts on its real
//! weekday. Nothing here reads the clock.

use std::fmt;
use std::str::FromStr;

use crate::vocabulary::units::HOURS_PER_STANDARD_MONTH;

/// Hours in a week: the length of a weekly load profile.
pub const HOURS_PER_WEEK: usize = 168;

/// A billing period of whole hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillingPeriod {
    label: String,
    hours: usize,
    /// Weekday of the first hour, Monday = 0.
    first_weekday: usize,
    /// The last day (YYYY-MM-DD) of a calendar month.
    last_day: Option<String>,
}

impl BillingPeriod {
    /// AWS's standard 730-hour month, starting on a Monday at 00:00 UTC.
    pub fn standard_month() -> Self {
        BillingPeriod {
            label: "standard month (730 h)".to_string(),
            hours: HOURS_PER_STANDARD_MONTH,
            first_weekday: 0,
            last_day: None,
        }
    }

    /// A calendar month; `month` is 1–12.
    pub fn calendar_month(year: i32, month: u32) -> Result<Self, String> {
        if !(1..=12).contains(&month) {
            return Err(format!("month {month} is out of range; expected 01 to 12"));
        }
        if !(1970..=9999).contains(&year) {
            return Err(format!(
                "year {year} is out of range; expected 1970 to 9999"
            ));
        }
        let days = days_in_month(year, month);
        Ok(BillingPeriod {
            label: format!("{year:04}-{month:02} ({} h)", days * 24),
            hours: days as usize * 24,
            first_weekday: weekday_monday0(year, month, 1),
            last_day: Some(format!("{year:04}-{month:02}-{days:02}")),
        })
    }

    /// The last day of a calendar month (`2026-10-31`); `None` for the standard month, which
    /// has no date.
    pub fn last_day(&self) -> Option<&str> {
        self.last_day.as_deref()
    }

    /// Number of hours in the period.
    pub fn hours(&self) -> usize {
        self.hours
    }

    /// A label such as `2026-10 (744 h)`.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The position of an hour of the period in a Monday-first week (0–167).
    pub fn weekly_slot(&self, hour: usize) -> usize {
        (self.first_weekday * 24 + hour) % HOURS_PER_WEEK
    }
}

impl fmt::Display for BillingPeriod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl FromStr for BillingPeriod {
    type Err = String;

    /// Parses `YYYY-MM`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a month; expected YYYY-MM, e.g. 2026-10");
        let (y, m) = s.split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        BillingPeriod::calendar_month(year, month)
    }
}

/// Checks a `YYYY-MM-DD` date, calendar included (`2026-02-30` is not one).
pub fn check_date(s: &str) -> Result<(), String> {
    let bad = || format!("`{s}` is not a date; expected YYYY-MM-DD, e.g. 2026-10-31");
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return Err(bad());
    }
    let year: i32 = s[..4].parse().map_err(|_| bad())?;
    let month: u32 = s[5..7].parse().map_err(|_| bad())?;
    let day: u32 = s[8..].parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return Err(bad());
    }
    Ok(())
}

/// The civil date (year, month, day) of a count of days since 1970-01-01 (proleptic Gregorian;
/// Howard Hinnant's `civil_from_days`).
pub fn date_of_unix_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Day of the week, Monday = 0 (Sakamoto's method).
fn weekday_monday0(year: i32, month: u32, day: u32) -> usize {
    const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
    let y = if month < 3 { year - 1 } else { year };
    let sunday0 = (y + y / 4 - y / 100 + y / 400 + T[month as usize - 1] + day as i32) % 7;
    ((sunday0 + 6) % 7) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_days_are_civil_dates() {
        assert_eq!(date_of_unix_days(0), (1970, 1, 1));
        // 2026-10-01: 56 years of 365 days plus 14 leap days (1972…2024) = 20454, plus
        // Jan–Sep 2026 = 31+28+31+30+31+30+31+31+30 = 273 → 20727.
        assert_eq!(date_of_unix_days(20_727), (2026, 10, 1));
        assert_eq!(date_of_unix_days(-1), (1969, 12, 31));
        // 2024-02-29 = 19782 (2024-01-01 = 19723, + 31 + 28).
        assert_eq!(date_of_unix_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn calendar_months_have_their_real_hours_and_weekday() {
        // October 2026 has 31 days = 744 h and starts on a Thursday (Monday = 0 → 3).
        let oct: BillingPeriod = "2026-10".parse().unwrap();
        assert_eq!(oct.hours(), 744);
        assert_eq!(oct.weekly_slot(0), 3 * 24);
        // February 2028 is a leap month: 29 × 24 = 696 h.
        assert_eq!("2028-02".parse::<BillingPeriod>().unwrap().hours(), 696);
        assert_eq!(oct.last_day(), Some("2026-10-31"));
        assert_eq!(BillingPeriod::standard_month().last_day(), None);
        // 2026-11-01 is a Sunday.
        assert_eq!(weekday_monday0(2026, 11, 1), 6);
    }

    #[test]
    fn standard_month_wraps_the_week() {
        let p = BillingPeriod::standard_month();
        assert_eq!(p.hours(), 730);
        assert_eq!(p.weekly_slot(0), 0);
        assert_eq!(p.weekly_slot(168), 0);
        assert_eq!(p.weekly_slot(729), 729 - 4 * 168);
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert!(check_date("2024-02-29").is_ok());
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-1-01",
            "yesterday",
            "2026-10-00",
        ] {
            assert!(check_date(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn bad_months_are_rejected() {
        assert!(
            "2026-13"
                .parse::<BillingPeriod>()
                .unwrap_err()
                .contains("out of range")
        );
        assert!(
            "Oct 2026"
                .parse::<BillingPeriod>()
                .unwrap_err()
                .contains("YYYY-MM")
        );
        assert!("2026-1".parse::<BillingPeriod>().is_err());
    }
}
