//! How values look to people: dates as «12 марта 2026», fees, terms.

use crate::i18n::Lang;
use okno_domain::offering::{format_roubles, Term};

const MONTHS_RU: [&str; 12] =
    ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"];
const MONTHS_EN: [&str; 12] =
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/// An RFC 3339 time as a date in words, in Moscow time (UTC+3, no DST since 2014).
pub fn date(lang: Lang, rfc3339: &str) -> String {
    let Ok(t) = time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) else {
        return rfc3339.to_string();
    };
    let t = t.to_offset(time::UtcOffset::from_hms(3, 0, 0).expect("valid offset"));
    let m = t.month() as usize - 1;
    match lang {
        Lang::Ru => format!("{} {} {}", t.day(), MONTHS_RU[m], t.year()),
        Lang::En => format!("{} {} {}", t.day(), MONTHS_EN[m], t.year()),
    }
}

/// An RFC 3339 time as «12 марта 2026, 14:05» in Moscow time.
pub fn date_time(lang: Lang, rfc3339: &str) -> String {
    match time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339) {
        Ok(t) => {
            let t = t.to_offset(time::UtcOffset::from_hms(3, 0, 0).expect("valid offset"));
            format!("{}, {:02}:{:02}", date(lang, rfc3339), t.hour(), t.minute())
        }
        Err(_) => rfc3339.to_string(),
    }
}

pub fn fee(lang: Lang, kopecks: Option<i64>) -> String {
    match kopecks {
        None => lang.t("common.not_set").to_string(),
        Some(0) => lang.t("off.fee.free").to_string(),
        Some(k) => format_roubles(k),
    }
}

pub fn term(lang: Lang, t: Option<Term>) -> String {
    match t {
        None => lang.t("common.not_set").to_string(),
        Some(t) => format!("{} {}", t.value, lang.label("term_unit", t.unit.code())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_words_in_moscow_time() {
        assert_eq!(date(Lang::Ru, "2026-03-12T10:00:00Z"), "12 марта 2026");
        assert_eq!(date(Lang::Ru, "2026-03-11T22:30:00Z"), "12 марта 2026", "01:30 in Moscow is the next day");
        assert_eq!(date(Lang::En, "2026-12-01T00:00:00Z"), "1 December 2026");
    }

    #[test]
    fn fees_say_free_and_not_stated() {
        assert_eq!(fee(Lang::Ru, Some(0)), "Бесплатно");
        assert_eq!(fee(Lang::Ru, None), "не указано");
        assert_eq!(fee(Lang::Ru, Some(35_050)), "350,50\u{a0}₽");
    }
}
