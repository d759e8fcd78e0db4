//! Chains shipped with Okno, which the demo uses and a service owner starts from: a
//! citizen's appeal under 59-FZ, a state service under 210-FZ, and an internal legal
//! review. Every term cites where it comes from.

use super::{ActorKind, Chain, FieldKind, FormField, Stage, Variant};
use crate::calendar::{DeadlineRule, DeadlineUnit};
use crate::Id;

string_enum! {
    pub enum Template {
        CitizenAppeal = "citizen_appeal",
        RegulatedService = "regulated_service",
        LegalReview = "legal_review",
    }
}

fn days(n: u32, citation: &str) -> Option<DeadlineRule> {
    Some(DeadlineRule::new(n, DeadlineUnit::CalendarDays, citation))
}

fn working(n: u32, citation: &str) -> Option<DeadlineRule> {
    Some(DeadlineRule::new(n, DeadlineUnit::WorkingDays, citation))
}

fn stage(key: &str, name: &str, unit: Id, deadline: Option<DeadlineRule>, client_sees: &str) -> Stage {
    Stage {
        key: key.into(),
        name: name.into(),
        actor_kind: ActorKind::Unit,
        unit_id: Some(unit),
        employee_id: None,
        actor_name: String::new(),
        role: String::new(),
        deadline,
        client_sees: client_sees.into(),
        waits_for_client: false,
        may_return_to: Vec::new(),
        may_refuse: false,
        may_suspend: false,
    }
}

fn field(key: &str, label: &str, hint: &str, kind: FieldKind, required: bool, options: &[&str]) -> FormField {
    FormField {
        key: key.into(),
        label: label.into(),
        hint: hint.into(),
        kind,
        required,
        options: options.iter().map(|o| o.to_string()).collect(),
    }
}

/// A template with every stage done by `unit`; the owner then assigns the real actors.
pub fn template(t: Template, unit: Id) -> Chain {
    match t {
        Template::CitizenAppeal => appeal(unit),
        Template::RegulatedService => regulated(unit),
        Template::LegalReview => legal_review(unit),
    }
}

fn appeal(unit: Id) -> Chain {
    let mut register = stage(
        "register",
        "Регистрация обращения",
        unit,
        days(3, "ч. 2 ст. 8 59-ФЗ"),
        "Обращение получено и регистрируется. В течение трёх дней ему присвоят номер.",
    );
    register.role = "Проверить, указаны ли фамилия и почтовый или электронный адрес для ответа; зарегистрировать обращение.".into();
    // Without a name or an address for the reply the appeal is left unanswered (ст. 11
    // 59-ФЗ); closing it so records the reason.
    register.may_refuse = true;
    let mut route = stage(
        "route",
        "Определение компетенции",
        unit,
        days(7, "ч. 3 ст. 8 59-ФЗ"),
        "Мы проверяем, наш ли это вопрос. Если нет — перешлём обращение тому, кто решает его, и сообщим вам.",
    );
    route.role = "Если вопрос не в компетенции органа — направить обращение в компетентный орган в течение 7 дней со дня регистрации и уведомить гражданина.".into();
    let mut consider = stage(
        "consider",
        "Рассмотрение по существу",
        unit,
        None,
        "Обращение рассматривается по существу. Если понадобятся документы или пояснения, мы свяжемся с вами.",
    );
    consider.role = "Рассмотреть вопрос, при необходимости запросить документы и материалы.".into();
    consider.may_return_to = vec!["route".into()];
    let mut answer = stage("answer", "Ответ", unit, None, "Ответ готовится и будет отправлен по указанному вами адресу.");
    answer.role = "Подписать ответ и направить его гражданину.".into();
    answer.may_return_to = vec!["consider".into()];
    Chain {
        variants: vec![Variant {
            key: "appeal".into(),
            name: "Обращение гражданина".into(),
            applicant: "Гражданин, объединение граждан или юридическое лицо, обратившиеся в письменной или электронной форме".into(),
            total_deadline: days(30, "ч. 1 ст. 12 59-ФЗ"),
            // ч. 2 ст. 12: once, by up to 30 days, telling the citizen.
            max_extensions: 1,
            extension_days: 30,
            stages: vec![register, route, consider, answer],
        }],
        form: vec![field(
            "reply_by",
            "Как прислать ответ",
            "По закону ответ приходит тем же способом, каким пришло обращение, если вы не попросили иначе.",
            FieldKind::Choice,
            false,
            &["Письмом по почте", "По электронной почте"],
        )],
    }
}

fn regulated(unit: Id) -> Chain {
    let mut intake = stage(
        "intake",
        "Приём и регистрация заявления",
        unit,
        working(1, "административный регламент"),
        "Заявление принято. Мы проверяем, все ли документы на месте.",
    );
    intake.may_refuse = true;
    intake.role = "Проверить комплектность документов; при основаниях — отказать в приёме.".into();
    let mut inter = stage(
        "interagency",
        "Межведомственный запрос",
        unit,
        working(5, "ч. 3 ст. 7.2 210-ФЗ"),
        "Мы сами запрашиваем нужные сведения в других ведомствах — приносить их не нужно.",
    );
    inter.actor_kind = ActorKind::OtherBody;
    inter.actor_name = "Ведомство, владеющее сведениями (например, Росреестр)".into();
    inter.role = "Направить межведомственный запрос и получить ответ.".into();
    let mut decision = stage(
        "decision",
        "Принятие решения",
        unit,
        working(3, "административный регламент"),
        "Документы рассматриваются, готовится решение.",
    );
    decision.may_refuse = true;
    decision.may_suspend = true;
    decision.may_return_to = vec!["intake".into()];
    let mut issue = stage(
        "issue",
        "Выдача результата",
        unit,
        working(1, "административный регламент"),
        "Результат готов. Его можно получить выбранным вами способом.",
    );
    issue.role = "Выдать или направить результат заявителю.".into();
    Chain {
        variants: vec![Variant {
            key: "standard".into(),
            name: "Заявитель — физическое лицо".into(),
            applicant: "Гражданин, обратившийся лично, через МФЦ или портал госуслуг".into(),
            total_deadline: working(10, "ст. 12 210-ФЗ, административный регламент"),
            max_extensions: 0,
            extension_days: 0,
            stages: vec![intake, inter, decision, issue],
        }],
        form: vec![
            field(
                "result_by",
                "Как получить результат",
                "",
                FieldKind::Choice,
                true,
                &["Лично в МФЦ", "Почтой", "В личном кабинете на Госуслугах"],
            ),
            field("snils", "СНИЛС", "11 цифр; если не помните, оставьте пустым — мы запросим его сами.", FieldKind::Text, false, &[]),
            field(
                "consent",
                "Согласен на обработку персональных данных для оказания услуги",
                "Ст. 9 152-ФЗ. Без согласия мы не сможем запросить сведения в других ведомствах.",
                FieldKind::Checkbox,
                true,
                &[],
            ),
        ],
    }
}

fn legal_review(unit: Id) -> Chain {
    let mut receive =
        stage("receive", "Приём проекта на экспертизу", unit, working(1, "регламент органа"), "Проект получен юридическим отделом.");
    receive.role = "Проверить, что приложены проект и пояснительная записка.".into();
    let mut review = stage(
        "review",
        "Правовая экспертиза",
        unit,
        working(5, "регламент органа"),
        "Юрист изучает проект. Если понадобятся пояснения, он напишет вам.",
    );
    review.role = "Проверить соответствие проекта законодательству, подготовить замечания.".into();
    let mut rework = stage(
        "rework",
        "Доработка проекта инициатором",
        unit,
        None,
        "Проект возвращён вам с замечаниями — внесите правки и отправьте снова.",
    );
    rework.waits_for_client = true;
    rework.may_return_to = vec!["review".into()];
    let mut conclusion =
        stage("conclusion", "Заключение", unit, working(1, "регламент органа"), "Заключение готово: письменное или устные замечания.");
    conclusion.may_return_to = vec!["review".into()];
    Chain {
        variants: vec![Variant {
            key: "review".into(),
            name: "Правовая экспертиза проекта документа".into(),
            applicant: "Подразделение органа — инициатор проекта".into(),
            total_deadline: working(10, "регламент органа"),
            max_extensions: 0,
            extension_days: 0,
            stages: vec![receive, review, rework, conclusion],
        }],
        form: vec![
            field("document_kind", "Вид проекта", "", FieldKind::Choice, true, &["Приказ", "Распоряжение", "Положение", "Договор", "Иное"]),
            field("needed_by", "Когда нужно заключение", "Если срок жёстче обычных десяти рабочих дней.", FieldKind::Date, false, &[]),
        ],
    }
}
