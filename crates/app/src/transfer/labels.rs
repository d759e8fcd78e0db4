//! The words people write in cells for the closed vocabularies, one table per vocabulary
//! used in both directions: export writes the label, import accepts the code, the label
//! or one of the other spellings, in any case.

use super::cells::fold;

/// A vocabulary entry: (code, label written on export, other spellings accepted).
pub(crate) type Entry = (&'static str, &'static str, &'static [&'static str]);

pub(crate) const KINDS: &[Entry] = &[("product", "продукт", &[]), ("service", "услуга", &[])];

pub(crate) const PRODUCT_TYPES: &[Entry] = &[
    ("decision", "решение", &[]),
    ("document", "документ", &[]),
    ("data", "данные", &[]),
    ("e_service", "электронный сервис", &[]),
    ("other", "другое", &[]),
];

pub(crate) const SERVICE_KINDS: &[Entry] = &[
    (
        "regulated",
        "государственная или муниципальная услуга",
        &["регламентированная", "государственная услуга", "муниципальная услуга", "государственная или муниципальная"],
    ),
    ("process_organisation", "организация процессов", &["организация и цифровизация процессов", "цифровизация процессов"]),
    ("planning", "планирование", &[]),
    ("instruction_control", "контроль исполнения поручений", &[]),
    ("data_processing", "обработка данных", &[]),
    ("analysis_expertise", "анализ и экспертиза", &["экспертиза"]),
    ("maintenance", "техническое обслуживание", &[]),
    ("other", "другое", &[]),
];

pub(crate) const STATUSES: &[Entry] = &[
    ("draft", "черновик", &[]),
    ("published", "опубликовано", &["опубликован", "опубликована"]),
    ("retired", "выведено", &["выведен", "выведена", "выведено из каталога"]),
];

pub(crate) const CHANNELS: &[Entry] = &[
    ("in_person", "лично", &["личный приём"]),
    ("e_service", "электронный сервис", &["электронно"]),
    ("mail", "почта", &[]),
    ("phone", "телефон", &[]),
    ("api", "API", &[]),
];

pub(crate) const TERM_UNITS: &[Entry] = &[
    ("working_days", "рабочих дней", &["рабочие дни", "рабочий день", "рабочих дня"]),
    ("calendar_days", "календарных дней", &["календарные дни", "календарный день", "календарных дня"]),
    ("hours", "часов", &["часы", "час", "часа"]),
];

pub(crate) const SIDES: &[Entry] = &[("internal", "внутренние", &[]), ("external", "внешние", &[])];

/// The label written for a code; the code itself if the table lacks it.
pub(crate) fn label(table: &[Entry], code: &str) -> String {
    table.iter().find(|e| e.0 == code).map(|e| e.1.to_string()).unwrap_or_else(|| code.to_string())
}

/// The code for what a person wrote: a code, a label or another spelling.
pub(crate) fn parse(table: &[Entry], raw: &str) -> Option<&'static str> {
    let s = fold(raw);
    table.iter().find(|(code, label, other)| s == *code || s == fold(label) || other.iter().any(|o| s == fold(o))).map(|e| e.0)
}

/// «продукт, услуга»: the labels to suggest in a message.
pub(crate) fn choices(table: &[Entry]) -> String {
    table.iter().map(|e| e.1).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_domain::offering::{Channel, Kind, ProductType, ServiceKind, Status, TermUnit};
    use okno_domain::segment::Side;

    fn codes(table: &[Entry]) -> Vec<&str> {
        table.iter().map(|e| e.0).collect()
    }

    #[test]
    fn every_code_of_the_domain_has_a_label() {
        assert_eq!(codes(KINDS), Kind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(PRODUCT_TYPES), ProductType::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(SERVICE_KINDS), ServiceKind::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(STATUSES), Status::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(CHANNELS), Channel::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(TERM_UNITS), TermUnit::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
        assert_eq!(codes(SIDES), Side::ALL.iter().map(|k| k.code()).collect::<Vec<_>>());
    }

    #[test]
    fn labels_codes_and_other_spellings_parse() {
        assert_eq!(parse(KINDS, "Продукт"), Some("product"));
        assert_eq!(parse(KINDS, " SERVICE "), Some("service"));
        assert_eq!(parse(KINDS, "вещь"), None);
        assert_eq!(parse(SERVICE_KINDS, "Государственная  или муниципальная услуга"), Some("regulated"));
        assert_eq!(parse(SERVICE_KINDS, "регламентированная"), Some("regulated"));
        assert_eq!(parse(SERVICE_KINDS, "instruction_control"), Some("instruction_control"));
        assert_eq!(parse(PRODUCT_TYPES, "Электронный сервис"), Some("e_service"));
        assert_eq!(parse(STATUSES, "Опубликовано"), Some("published"));
        assert_eq!(parse(STATUSES, "выведено"), Some("retired"));
        assert_eq!(parse(CHANNELS, "api"), Some("api"));
        assert_eq!(parse(CHANNELS, "Электронно"), Some("e_service"));
        assert_eq!(parse(TERM_UNITS, "рабочих дней"), Some("working_days"));
        assert_eq!(parse(TERM_UNITS, "Календарных дней"), Some("calendar_days"));
        assert_eq!(parse(TERM_UNITS, "weeks"), None);
    }

    #[test]
    fn every_label_parses_back_to_its_code() {
        for table in [KINDS, PRODUCT_TYPES, SERVICE_KINDS, STATUSES, CHANNELS, TERM_UNITS, SIDES] {
            for (code, _, _) in table {
                assert_eq!(parse(table, &label(table, code)), Some(*code));
            }
        }
    }
}
