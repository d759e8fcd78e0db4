//! Whole-pipeline tests: the JSON contract, positions, config and the score's promise.

use super::*;

#[test]
fn json_contract() {
    let report = check_text("Отдел работает в целях экономии.", &Config::default());
    let json = serde_json::to_value(&report).unwrap();
    assert!(json["score"].is_f64());
    assert!(json["metrics"]["flesch_reading_ease"].is_f64());
    let finding = &json["findings"][0];
    for key in ["rule", "severity", "start", "end", "line", "column", "message", "suggestion"] {
        assert!(finding.get(key).is_some(), "finding lacks {key}: {finding}");
    }
    assert_eq!(finding["rule"], "bureaucratese.denominal_preposition");
    assert_eq!(finding["severity"], "warning");
    let none = json["findings"].as_array().unwrap().iter().find(|f| f["suggestion"].is_null());
    assert!(none.is_none() || none.unwrap()["suggestion"].is_null());
}

#[test]
fn positions_are_characters_lines_and_columns() {
    let text = "Привет.\n\nМы работаем в рамках закона.";
    let report = check_text(text, &Config::default());
    let finding = report.findings.iter().find(|f| f.rule == "bureaucratese.denominal_preposition").unwrap();
    let chars: Vec<char> = text.chars().collect();
    assert_eq!(chars[finding.start..finding.end].iter().collect::<String>(), "в рамках");
    assert_eq!((finding.line, finding.column), (3, 13));
}

#[test]
fn rules_switch_off_and_severity_changes() {
    let text = "В целях экономии работа ведётся. Решение принято.";
    let mut config = Config { disabled: vec!["bureaucratese".into()], ..Config::default() };
    config.severity.insert("passive.short_participle".into(), Severity::Error);
    let report = check_text(text, &config);
    assert!(report.findings.iter().all(|f| f.family != Family::Bureaucratese));
    assert!(report.findings.iter().any(|f| f.rule == "passive.short_participle" && f.severity == Severity::Error));
}

#[test]
fn findings_are_in_text_order() {
    let report = check_text("Данный вопрос рассмотрен. В целях экономии в рамках проекта работа ведётся.", &Config::default());
    assert!(report.findings.windows(2).all(|w| w[0].start <= w[1].start));
}

/// Bureaucratic originals and plain rewrites in the spirit of plain-language guides.
const PAIRS: [(&str, &str); 6] = [
    (
        "В целях обеспечения реализации мероприятий программы осуществляется проведение проверки исполнения решения комиссией.",
        "Чтобы программа заработала, комиссия проверит, как выполнено решение.",
    ),
    (
        "Доводим до вашего сведения, что в настоящее время данный вопрос рассматривается уполномоченным органом в установленном порядке.",
        "Сообщаем: ваш вопрос сейчас рассматривает министерство. Ответим до 15 марта.",
    ),
    (
        "Рассмотрев Ваше обращение, в соответствии со ст. 7 Федерального закона № 210-ФЗ и постановлением Правительства № 373 сообщаем, что в выдаче разрешения отказано.",
        "Мы не можем выдать вам разрешение: в заявлении нет копии паспорта. Это требование статьи 7 закона № 210-ФЗ.",
    ),
    ("Оплата услуги производится заявителем через МФЦ в кратчайшие сроки.", "Оплатите услугу в многофункциональном центре за 3 дня."),
    ("Решение было принято комиссией с целью повышения эффективности работы.", "Комиссия решила так, чтобы вы получали ответ быстрее."),
    (
        "Специалистами отдела осуществляется оказание консультационной помощи заявителям по вопросам предоставления муниципальных услуг.",
        "Специалисты отдела отвечают на вопросы об услугах.",
    ),
];

#[test]
fn plain_rewrites_score_higher() {
    let config = Config::default();
    for (original, plain) in PAIRS {
        let (before, after) = (check_text(original, &config), check_text(plain, &config));
        assert!(
            after.score > before.score,
            "{} ≤ {}:\n{original}\n{:#?}\n{plain}\n{:#?}",
            after.score,
            before.score,
            before.findings,
            after.findings
        );
        assert!(after.metrics.flesch_reading_ease > before.metrics.flesch_reading_ease, "{plain}");
    }
}

#[test]
fn letter_kind_enables_reader_address() {
    let text = "Заявителю отказано в выдаче разрешения.";
    let general = check_text(text, &Config::default());
    let letter = check_text(text, &Config { kind: DocumentKind::Letter, ..Config::default() });
    assert!(general.findings.iter().all(|f| f.rule != "address.no_reader"));
    assert!(letter.findings.iter().any(|f| f.rule == "address.no_reader"));
}

#[test]
fn empty_and_odd_input() {
    let report = check_text("", &Config::default());
    assert_eq!(report.score, 10.0);
    assert!(report.findings.is_empty());
    let report = check_text("… — «» 🙂\n\n\n", &Config::default());
    assert!(report.findings.is_empty());
}

#[test]
fn check_reads_an_extracted_document() {
    let doc = extract("# Ответ\n\nВ рамках проекта мы работаем.".as_bytes(), Format::Markdown).unwrap();
    let report = check(&doc, &Config::default());
    assert_eq!(report.findings[0].line, 3);
}
