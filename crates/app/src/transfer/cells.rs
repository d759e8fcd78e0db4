//! How values are written in a cell and read back: lists, amounts, numbers, and the
//! folding that makes «Отдел  приёма» and «отдел приёма» the same name.

/// Lower case, single spaces, «ё» as «е»: what two spellings of one name share.
pub(crate) fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase().replace('ё', "е")
}

/// Items of a list cell. One item per line; a cell without line breaks may use «;»
/// instead (people type that in one line). Blank items are dropped.
pub(crate) fn split_items(cell: &str) -> Vec<String> {
    let sep = if cell.contains('\n') { '\n' } else { ';' };
    cell.split(sep).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// Writes a list so that `split_items` reads back the same items: one per line.
/// An item's own line breaks become spaces, since they would split it. A single item
/// with «;» in it gets a trailing line break, so that it is not split on «;».
pub(crate) fn join_items<S: AsRef<str>>(items: &[S]) -> String {
    let one_line = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let items: Vec<String> = items.iter().map(|s| one_line(s.as_ref())).collect();
    let mut s = items.join("\n");
    if items.len() == 1 && s.contains(';') {
        s.push('\n');
    }
    s
}

/// Items of the channels cell, separated by «,», «;» or line breaks.
pub(crate) fn split_channels(cell: &str) -> Vec<String> {
    cell.split([',', ';', '\n']).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect()
}

/// The ways to read «Name: what they get» in a list item, best first: the whole item as a
/// name, then the text before each colon (names may contain colons themselves).
pub(crate) fn name_and_note(item: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::once((item.trim(), ""))
        .chain(item.match_indices(':').map(move |(i, _)| (item[..i].trim(), item[i + 1..].trim())))
        .filter(|(name, _)| !name.is_empty())
}

/// «Name: note», or «Name» when there is no note.
pub(crate) fn with_note(name: &str, note: &str) -> String {
    if note.is_empty() {
        name.to_string()
    } else {
        format!("{name}: {note}")
    }
}

/// Kopecks as roubles for a cell: «350», «350,50». No grouping, so it reads back as typed.
pub(crate) fn roubles(kopecks: i64) -> String {
    let (rub, kop) = (kopecks / 100, kopecks % 100);
    if kop == 0 {
        rub.to_string()
    } else {
        format!("{rub},{kop:02}")
    }
}

/// Reads a fee cell: what `parse_roubles` reads, also with a «₽» or «руб.» after the
/// number, and «бесплатно» for zero. Empty means not stated.
pub(crate) fn parse_fee(raw: &str) -> Result<Option<i64>, okno_domain::Invalid> {
    let s = fold(raw);
    if s == "бесплатно" {
        return Ok(Some(0));
    }
    let s = s.trim_end_matches('.');
    let s = s.strip_suffix('₽').or_else(|| s.strip_suffix("руб")).or_else(|| s.strip_suffix("р")).unwrap_or(s);
    okno_domain::offering::parse_roubles("fee", s)
}

/// A number a spreadsheet stored as floating point, written as a person would: `5`, not
/// `5.0`; `350.5` stays as it is.
pub(crate) fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_spaces_and_yo() {
        assert_eq!(fold("  Отдел\u{a0} приёма "), "отдел приема");
        assert_eq!(fold("ОТДЕЛ ПРИЕМА"), fold("отдел приёма"));
    }

    #[test]
    fn lists_split_on_lines_or_semicolons() {
        assert_eq!(split_items("Паспорт; СНИЛС ;; "), vec!["Паспорт", "СНИЛС"]);
        assert_eq!(split_items("Закон № 1; ст. 2\r\nЗакон № 3\n\n"), vec!["Закон № 1; ст. 2", "Закон № 3"]);
        assert!(split_items("  ").is_empty());
        assert_eq!(split_channels("лично, почта;API\nтелефон"), vec!["лично", "почта", "API", "телефон"]);
    }

    #[test]
    fn joined_lists_split_back_to_the_same_items() {
        for items in [vec!["a"], vec!["a; b"], vec!["a; b", "c"], vec!["a", "b", "c"], vec![]] {
            assert_eq!(split_items(&join_items(&items)), items, "{items:?}");
        }
        assert_eq!(join_items(&["first\r\n second"]), "first second");
        assert_eq!(join_items(&["two  spaces kept"]), "two  spaces kept");
    }

    #[test]
    fn name_and_note_tries_the_whole_item_then_each_colon() {
        let ways: Vec<_> = name_and_note("Граждане: выписка: за день").collect();
        assert_eq!(ways, vec![("Граждане: выписка: за день", ""), ("Граждане", "выписка: за день"), ("Граждане: выписка", "за день")]);
        assert_eq!(name_and_note(": x").count(), 1);
        assert_eq!(with_note("Граждане", ""), "Граждане");
        assert_eq!(with_note("Граждане", "выписка"), "Граждане: выписка");
    }

    #[test]
    fn fees_read_as_people_write_them() {
        assert_eq!(parse_fee("").unwrap(), None);
        assert_eq!(parse_fee("350").unwrap(), Some(35_000));
        assert_eq!(parse_fee("1 200,50 ₽").unwrap(), Some(120_050));
        assert_eq!(parse_fee("350 руб.").unwrap(), Some(35_000));
        assert_eq!(parse_fee("Бесплатно").unwrap(), Some(0));
        assert!(parse_fee("дорого").is_err());
        for k in [0, 5, 35_000, 35_050, 120_005] {
            assert_eq!(parse_fee(&roubles(k)).unwrap(), Some(k));
        }
    }

    #[test]
    fn numbers_from_spreadsheets_read_as_typed() {
        assert_eq!(number_text(5.0), "5");
        assert_eq!(number_text(350.5), "350.5");
        assert_eq!(number_text(-2.0), "-2");
    }
}
