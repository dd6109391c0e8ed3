//! The workload: peak transactions per second and how load varies across the week.

use crate::vocabulary::calendar::{BillingPeriod, HOURS_PER_WEEK};

/// A week of hourly load multipliers (Monday 00:00 UTC first), each between 0 and 1 of peak.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyProfile {
    multipliers: Vec<f64>,
}

/// Parameters of a generated weekly profile.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ProfileGenerator {
    /// Load outside busy hours, as a fraction of peak (0–1).
    pub trough_ratio: f64,
    /// First busy hour of the day (0–23, UTC).
    pub busy_start_hour: u32,
    /// Hour the busy period ends, exclusive (1–24, UTC).
    pub busy_end_hour: u32,
    /// Weekend load as a fraction of the weekday load at the same hour (0–1), never below the trough.
    pub weekend_factor: f64,
}

impl WeeklyProfile {
    /// A profile from 168 multipliers; each must be a number between 0 and 1.
    pub fn from_multipliers(multipliers: Vec<f64>) -> Result<Self, String> {
        if multipliers.len() != HOURS_PER_WEEK {
            return Err(format!(
                "a weekly profile needs exactly {HOURS_PER_WEEK} hourly multipliers (Monday 00:00 UTC first), got {}",
                multipliers.len()
            ));
        }
        if let Some((i, m)) = multipliers
            .iter()
            .enumerate()
            .find(|(_, m)| !(0.0..=1.0).contains(*m))
        {
            return Err(format!(
                "multiplier {i} is {m}; expected a fraction of peak between 0 and 1"
            ));
        }
        Ok(WeeklyProfile { multipliers })
    }

    /// A profile generated from busy hours, a trough and a weekend factor.
    ///
    /// Weekdays: 1.0 during busy hours, `trough_ratio` otherwise. Weekends: the weekday value
    /// times `weekend_factor`, but never below `trough_ratio`.
    pub fn generate(g: ProfileGenerator) -> Result<Self, (&'static str, String)> {
        if !(0.0..=1.0).contains(&g.trough_ratio) {
            return Err((
                "trough_ratio",
                format!(
                    "{} is not a fraction of peak; expected 0 to 1",
                    g.trough_ratio
                ),
            ));
        }
        if !(0.0..=1.0).contains(&g.weekend_factor) {
            return Err((
                "weekend_factor",
                format!("{} is not a fraction; expected 0 to 1", g.weekend_factor),
            ));
        }
        if g.busy_start_hour > 23 {
            return Err((
                "busy_start_hour",
                format!(
                    "{} is not an hour of the day; expected 0 to 23",
                    g.busy_start_hour
                ),
            ));
        }
        if g.busy_end_hour <= g.busy_start_hour || g.busy_end_hour > 24 {
            return Err((
                "busy_end_hour",
                format!(
                    "{} must be after busy_start_hour ({}) and at most 24",
                    g.busy_end_hour, g.busy_start_hour
                ),
            ));
        }
        let multipliers = (0..HOURS_PER_WEEK)
            .map(|slot| {
                let hour = (slot % 24) as u32;
                let weekday = if (g.busy_start_hour..g.busy_end_hour).contains(&hour) {
                    1.0
                } else {
                    g.trough_ratio
                };
                if slot / 24 >= 5 {
                    (weekday * g.weekend_factor).max(g.trough_ratio)
                } else {
                    weekday
                }
            })
            .collect();
        Ok(WeeklyProfile { multipliers })
    }

    /// A flat profile: peak load every hour.
    pub fn flat() -> Self {
        WeeklyProfile {
            multipliers: vec![1.0; HOURS_PER_WEEK],
        }
    }

    /// The multiplier for a slot of the week (0–167).
    pub fn multiplier(&self, slot: usize) -> f64 {
        self.multipliers[slot % HOURS_PER_WEEK]
    }
}

/// Platform load: peak transactions per second and the weekly shape.
#[derive(Debug, Clone, PartialEq)]
pub struct Workload {
    /// Peak transactions per second.
    pub peak_tps: f64,
    /// How load varies across the week.
    pub profile: WeeklyProfile,
}

impl Workload {
    /// Transactions per second in each hour of the period.
    pub fn tps_by_hour(&self, period: &BillingPeriod) -> Vec<f64> {
        (0..period.hours())
            .map(|h| self.peak_tps * self.profile.multiplier(period.weekly_slot(h)))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generator_shapes_weekdays_and_weekends() {
        let p = WeeklyProfile::generate(ProfileGenerator {
            trough_ratio: 0.2,
            busy_start_hour: 8,
            busy_end_hour: 20,
            weekend_factor: 0.5,
        })
        .unwrap();
        assert_eq!(p.multiplier(9), 1.0); // Monday 09:00
        assert_eq!(p.multiplier(3), 0.2); // Monday 03:00
        assert_eq!(p.multiplier(5 * 24 + 9), 0.5); // Saturday 09:00: 1.0 × 0.5
        assert_eq!(p.multiplier(5 * 24 + 3), 0.2); // Saturday 03:00: max(0.2 × 0.5, 0.2)
    }

    #[test]
    fn bad_profiles_are_rejected() {
        assert!(
            WeeklyProfile::from_multipliers(vec![1.0; 24])
                .unwrap_err()
                .contains("exactly 168")
        );
        let mut m = vec![0.5; 168];
        m[7] = 1.5;
        assert!(
            WeeklyProfile::from_multipliers(m)
                .unwrap_err()
                .contains("multiplier 7 is 1.5")
        );
        let g = ProfileGenerator {
            trough_ratio: 0.2,
            busy_start_hour: 20,
            busy_end_hour: 8,
            weekend_factor: 1.0,
        };
        assert_eq!(WeeklyProfile::generate(g).unwrap_err().0, "busy_end_hour");
    }

    #[test]
    fn tps_follows_the_profile_over_the_period() {
        let w = Workload {
            peak_tps: 1000.0,
            profile: WeeklyProfile::flat(),
        };
        let tps = w.tps_by_hour(&BillingPeriod::standard_month());
        assert_eq!(tps.len(), 730);
        assert!(tps.iter().all(|t| *t == 1000.0));
    }
}
