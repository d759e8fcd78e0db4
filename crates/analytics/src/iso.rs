//! RFC 3339 / ISO 8601 timestamps to UTC milliseconds and back, without allocation, for
//! loading and writing event logs (CSV, XES). Proleptic Gregorian calendar, no leap seconds.

use std::fmt;

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date (year, month, day) of a day number since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(b: &[u8], at: usize, n: usize) -> Option<u32> {
    let s = b.get(at..at + n)?;
    let mut v = 0u32;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + (c - b'0') as u32;
    }
    Some(v)
}

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction][Z|±HH:MM|±HHMM|±HH]` (a space may stand for the
/// `T`) to milliseconds since the epoch, UTC. Without an offset the time is taken as UTC.
/// Digits past the millisecond are dropped. `None` for anything else, or an impossible date.
pub fn parse_ms(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let year = digits(b, 0, 4)? as i64;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    if b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    let mut millis = 0i64;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            if i - start < 3 {
                millis = millis * 10 + (b[i] - b'0') as i64;
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..3 {
            millis *= 10;
        }
    }
    let offset_min: i64 = match b.get(i) {
        None => 0,
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) => {
            let h = digits(b, i + 1, 2)? as i64;
            let m = match b.len() - (i + 3) {
                0 => 0,
                2 => digits(b, i + 3, 2)? as i64,
                3 if b[i + 3] == b':' => digits(b, i + 4, 2)? as i64,
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 60 + m;
            if sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour as i64 * 3600 + minute as i64 * 60 + second as i64 - offset_min * 60;
    Some(secs * 1000 + millis)
}

/// How [`Rfc3339`] writes a timestamp.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `2026-03-02T09:15:00Z` (milliseconds dropped): what CSV readers detect.
    SecondsZ,
    /// `2026-03-02T09:15:00.000+00:00`: the XES `xs:dateTime` form.
    MillisOffset,
}

/// Displays UTC milliseconds as RFC 3339, e.g. `format!("{}", Rfc3339(ms, Style::SecondsZ))`
/// or written straight into a buffer with `write!`.
#[derive(Clone, Copy, Debug)]
pub struct Rfc3339(pub i64, pub Style);

impl fmt::Display for Rfc3339 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.0;
        let days = ms.div_euclid(86_400_000);
        let in_day = ms.rem_euclid(86_400_000);
        let (y, mo, d) = civil_from_days(days);
        let (h, mi, s, milli) = (in_day / 3_600_000, in_day / 60_000 % 60, in_day / 1000 % 60, in_day % 1000);
        write!(f, "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}")?;
        match self.1 {
            Style::SecondsZ => f.write_str("Z"),
            Style::MillisOffset => write!(f, ".{milli:03}+00:00"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse_ms("1970-01-01T00:00:00Z"), Some(0));
        // 2026-03-02 09:15:00 UTC, as DuckDB reads it.
        assert_eq!(parse_ms("2026-03-02T09:15:00Z"), Some(1_772_442_900_000));
        assert_eq!(parse_ms("2026-03-02 12:15:00+03:00"), Some(1_772_442_900_000));
        assert_eq!(parse_ms("2026-03-02T12:15:00+0300"), Some(1_772_442_900_000));
        assert_eq!(parse_ms("2026-03-02T06:15:00-03"), Some(1_772_442_900_000));
        assert_eq!(parse_ms("2026-03-02T09:15:00.5Z"), Some(1_772_442_900_500));
        assert_eq!(parse_ms("2026-03-02T09:15:00.123456+00:00"), Some(1_772_442_900_123));
        assert_eq!(parse_ms("2026-03-02T09:15:00"), Some(1_772_442_900_000));
        assert_eq!(parse_ms("1969-12-31T23:59:59Z"), Some(-1000));
        assert_eq!(parse_ms("2024-02-29T00:00:00Z"), Some(days_from_civil(2024, 2, 29) * 86_400_000));
    }

    #[test]
    fn malformed_or_impossible_is_none() {
        for bad in [
            "",
            "2026-03-02",
            "2026-13-02T00:00:00Z",
            "2025-02-29T00:00:00Z",
            "2026-03-02T24:00:00Z",
            "2026-03-02T09:15:00.Z",
            "2026-03-02T09:15:00Zjunk",
            "2026/03/02T09:15:00Z",
            "2026-03-02T09:15:00+3",
        ] {
            assert_eq!(parse_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn format_round_trips() {
        for ms in [0, 1_772_442_900_000, -1000, 4_102_444_799_000, 951_782_400_000] {
            let s = Rfc3339(ms, Style::SecondsZ).to_string();
            assert_eq!(parse_ms(&s), Some(ms), "{s}");
        }
        assert_eq!(Rfc3339(1_772_442_900_123, Style::MillisOffset).to_string(), "2026-03-02T09:15:00.123+00:00");
        assert_eq!(Rfc3339(1_772_442_900_123, Style::SecondsZ).to_string(), "2026-03-02T09:15:00Z");
        // Every day across four centuries maps back to itself.
        for d in -200_000..200_000 {
            let (y, m, day) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, day), d);
        }
    }
}
