//! The document date, chosen without the clock: `--date YYYY-MM-DD`, else
//! `SOURCE_DATE_EPOCH` (the reproducible-builds convention), else none, and the documents
//! say "undated". The same date becomes the PDF's creation timestamp (midnight UTC).

/// A calendar date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// 1–12.
    pub month: u32,
    /// 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, checking the day exists.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return None;
        }
        let date = Date {
            year: y.parse().ok()?,
            month: m.parse().ok()?,
            day: d.parse().ok()?,
        };
        (date.month >= 1
            && date.month <= 12
            && date.day >= 1
            && date.day <= days_in(date.year, date.month))
        .then_some(date)
    }

    /// The date of a Unix timestamp (UTC).
    pub fn from_epoch(seconds: i64) -> Date {
        let days = seconds.div_euclid(86_400);
        civil(days)
    }

    /// Seconds since the Unix epoch at midnight UTC.
    pub fn epoch(self) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in(y: i32, m: u32) -> u32 {
    match m {
        2 if leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil(days: i64) -> Date {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
    Date { year, month, day }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_epochs() {
        let d = Date::parse("2026-07-01").unwrap();
        assert_eq!(d.epoch(), 1_782_864_000);
        assert_eq!(Date::from_epoch(1_782_864_000 + 3600), d);
        assert_eq!(Date::from_epoch(0).iso(), "1970-01-01");
        assert_eq!(
            Date::parse("2024-02-29").map(Date::iso).as_deref(),
            Some("2024-02-29")
        );
        assert!(Date::parse("2025-02-29").is_none());
        assert!(Date::parse("2025-7-1").is_none());
    }
}
