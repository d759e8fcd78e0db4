//! The columns of the catalogue sheet and how a header row is understood.

use super::cells::fold;
use super::column_letters;
use okno_domain::Invalid;
use std::collections::{BTreeSet, HashMap};

/// A column of the catalogue sheet: a stable English code (error fields, headers for
/// machines) and a Russian title (headers for people).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Column {
    Id,
    Name,
    Kind,
    Type,
    Status,
    OwnerUnit,
    Responsible,
    Description,
    LegalBasis,
    Channels,
    Fee,
    TermValue,
    TermUnit,
    RequiredDocuments,
    Segments,
    Outputs,
}

impl Column {
    /// Every column, in the order an export writes them.
    pub const ALL: [Column; 16] = [
        Column::Id,
        Column::Name,
        Column::Kind,
        Column::Type,
        Column::Status,
        Column::OwnerUnit,
        Column::Responsible,
        Column::Description,
        Column::LegalBasis,
        Column::Channels,
        Column::Fee,
        Column::TermValue,
        Column::TermUnit,
        Column::RequiredDocuments,
        Column::Segments,
        Column::Outputs,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Column::Id => "id",
            Column::Name => "name",
            Column::Kind => "kind",
            Column::Type => "type",
            Column::Status => "status",
            Column::OwnerUnit => "owner_unit",
            Column::Responsible => "responsible",
            Column::Description => "description",
            Column::LegalBasis => "legal_basis",
            Column::Channels => "channels",
            Column::Fee => "fee",
            Column::TermValue => "term_value",
            Column::TermUnit => "term_unit",
            Column::RequiredDocuments => "required_documents",
            Column::Segments => "segments",
            Column::Outputs => "outputs",
        }
    }

    /// The header a person sees.
    pub fn title(self) -> &'static str {
        match self {
            Column::Id => "ID",
            Column::Name => "Название",
            Column::Kind => "Вид",
            Column::Type => "Тип",
            Column::Status => "Статус",
            Column::OwnerUnit => "Подразделение",
            Column::Responsible => "Ответственный",
            Column::Description => "Описание",
            Column::LegalBasis => "Правовые основания",
            Column::Channels => "Каналы",
            Column::Fee => "Плата, ₽",
            Column::TermValue => "Срок",
            Column::TermUnit => "Единица срока",
            Column::RequiredDocuments => "Документы от заявителя",
            Column::Segments => "Клиенты",
            Column::Outputs => "Результаты",
        }
    }

    pub fn from_code(code: &str) -> Option<Column> {
        Column::ALL.into_iter().find(|c| c.code() == code)
    }

    /// A file without these columns cannot make an offering.
    pub fn required(self) -> bool {
        matches!(self, Column::Name | Column::Kind | Column::Type | Column::OwnerUnit)
    }

    /// Width in characters on the XLSX sheet: wide enough to read without resizing.
    pub(crate) fn width(self) -> f64 {
        match self {
            Column::Id => 38.0,
            Column::Name | Column::Description => 48.0,
            Column::Kind | Column::TermValue => 10.0,
            Column::Type => 26.0,
            Column::Status => 14.0,
            Column::OwnerUnit | Column::Responsible => 32.0,
            Column::LegalBasis | Column::RequiredDocuments | Column::Segments | Column::Outputs => 48.0,
            Column::Channels => 24.0,
            Column::Fee => 12.0,
            Column::TermUnit => 18.0,
        }
    }

    /// The column a header cell names: the code or the title, in any case.
    fn from_header(raw: &str) -> Option<Column> {
        // A BOM may be left on the first header of a CSV saved by another tool.
        let h = fold(raw.trim_start_matches('\u{feff}'));
        Column::ALL.into_iter().find(|c| h == c.code() || h == fold(c.title()) || (*c == Column::Fee && h == "плата"))
    }
}

/// Which sheet column holds which catalogue column. `data_columns` are the indexes of
/// the columns that hold a value in some row, to catch values under a blank header.
pub(crate) fn map_header(header: &[(usize, String)], data_columns: &BTreeSet<usize>) -> Result<HashMap<usize, Column>, Invalid> {
    let mut e = Invalid::default();
    let mut map: HashMap<usize, Column> = HashMap::new();
    let mut seen: HashMap<Column, usize> = HashMap::new();
    let mut unknown = Vec::new();
    for (index, title) in header {
        match Column::from_header(title) {
            Some(c) => {
                if let Some(first) = seen.get(&c) {
                    e.push(
                        "columns",
                        "duplicate_column",
                        format!(
                            "columns {} and {} are both «{}»; keep one of them",
                            column_letters(*first),
                            column_letters(*index),
                            c.title()
                        ),
                    );
                } else {
                    seen.insert(c, *index);
                    map.insert(*index, c);
                }
            }
            None => unknown.push(format!("«{}»", title.trim())),
        }
    }
    if !unknown.is_empty() {
        let known = Column::ALL.iter().map(|c| c.title()).collect::<Vec<_>>().join(", ");
        e.push("columns", "unknown_columns", format!("unknown columns: {}; the columns are: {known}", unknown.join(", ")));
    }
    let missing: Vec<String> =
        Column::ALL.into_iter().filter(|c| c.required() && !seen.contains_key(c)).map(|c| format!("«{}»", c.title())).collect();
    if !missing.is_empty() {
        e.push("columns", "missing_columns", format!("required columns are missing: {}", missing.join(", ")));
    }
    let titled: BTreeSet<usize> = header.iter().map(|(i, _)| *i).collect();
    for index in data_columns.difference(&titled) {
        e.push(
            "columns",
            "untitled_column",
            format!("column {} has values but no title in the header row; give it a title or delete it", column_letters(*index)),
        );
    }
    e.into_result().map(|_| map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(titles: &[&str]) -> Vec<(usize, String)> {
        titles.iter().enumerate().map(|(i, t)| (i, t.to_string())).collect()
    }

    #[test]
    fn codes_and_titles_are_unique_and_round_trip() {
        for c in Column::ALL {
            assert_eq!(Column::from_code(c.code()), Some(c));
            assert_eq!(Column::from_header(c.title()), Some(c));
            assert_eq!(Column::from_header(c.code()), Some(c));
        }
        let titles: BTreeSet<_> = Column::ALL.iter().map(|c| fold(c.title())).collect();
        assert_eq!(titles.len(), Column::ALL.len());
    }

    #[test]
    fn headers_match_titles_or_codes_in_any_case_and_order() {
        let h = header(&[" OWNER_UNIT ", "\u{feff}Название", "тип", "KIND", "плата, ₽", "Клиенты"]);
        let map = map_header(&h, &BTreeSet::new()).unwrap();
        assert_eq!(map[&0], Column::OwnerUnit);
        assert_eq!(map[&1], Column::Name);
        assert_eq!(map[&2], Column::Type);
        assert_eq!(map[&3], Column::Kind);
        assert_eq!(map[&4], Column::Fee);
        assert_eq!(map[&5], Column::Segments);
    }

    #[test]
    fn unknown_missing_duplicate_and_untitled_columns_are_named() {
        let h = header(&["name", "Цена", "kind", "Название", "Примечание"]);
        let data: BTreeSet<usize> = [0, 7].into();
        let e = map_header(&h, &data).unwrap_err();
        let codes: Vec<_> = e.0.iter().map(|f| (f.field.as_str(), f.code)).collect();
        assert_eq!(
            codes,
            vec![
                ("columns", "duplicate_column"),
                ("columns", "unknown_columns"),
                ("columns", "missing_columns"),
                ("columns", "untitled_column")
            ]
        );
        assert!(e.0[0].message.contains("A and D"), "{}", e.0[0].message);
        assert!(e.0[1].message.contains("«Цена», «Примечание»"), "{}", e.0[1].message);
        assert!(e.0[2].message.contains("«Тип», «Подразделение»"), "{}", e.0[2].message);
        assert!(e.0[3].message.contains("column H"), "{}", e.0[3].message);
    }
}
