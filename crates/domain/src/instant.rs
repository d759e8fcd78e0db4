//! Instants as the records keep them: milliseconds since the Unix epoch, UTC. One
//! formatter for every interface that shows them as RFC 3339.

/// `2026-03-12T09:30:00Z` (with a fraction when there is one); empty for an instant
/// outside what RFC 3339 can write.
pub fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(ms as i128 * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_milliseconds_as_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_773_264_600_250), "2026-03-11T21:30:00.25Z");
        assert_eq!(rfc3339(i64::MAX), "", "beyond year 9999");
    }
}
