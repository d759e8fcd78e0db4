//! The demo body of DESIGN.md §3: the seed's digital-transformation department of an
//! audit body with its internal and external clients, and a municipal service centre
//! with regulated and internal services. All people and bodies are invented.

use crate::{Actor, App, AppError};
use okno_domain::offering::{OfferingInput, OutputLink, SegmentLink, TermInput};
use okno_domain::org::{BodyInput, EmployeeInput, UnitInput};
use okno_domain::segment::SegmentInput;
use okno_domain::Id;
use std::collections::HashMap;

pub const AUDIT_BODY: &str = "Контрольно-счётная палата (демо)";
pub const MFC_BODY: &str = "МФЦ городского округа (демо)";

/// Offering spec: (name, kind code, type or kind, unit key, description, segments with
/// what each gets, outputs by product name with a note).
struct Spec<'a> {
    name: &'a str,
    kind: &'a str,
    of: &'a str,
    unit: &'a str,
    description: &'a str,
    segments: &'a [(&'a str, &'a str)],
    outputs: &'a [(&'a str, &'a str)],
    legal: &'a [&'a str],
    channels: &'a [&'a str],
    term: Option<(i64, &'a str)>,
    fee: Option<i64>,
    docs: &'a [&'a str],
    status: &'a str,
    responsible: Option<&'a str>,
}

const fn spec<'a>(name: &'a str, kind: &'a str, of: &'a str, unit: &'a str, description: &'a str) -> Spec<'a> {
    Spec {
        name,
        kind,
        of,
        unit,
        description,
        segments: &[],
        outputs: &[],
        legal: &[],
        channels: &[],
        term: None,
        fee: None,
        docs: &[],
        status: "published",
        responsible: None,
    }
}

struct Loader<'a> {
    app: &'a App,
    body: Id,
    units: HashMap<&'a str, Id>,
    employees: HashMap<&'a str, Id>,
    segments: HashMap<String, Id>,
    offerings: HashMap<String, Id>,
}

impl<'a> Loader<'a> {
    async fn body(app: &'a App, name: &str, short: &str, description: &str) -> Result<Loader<'a>, AppError> {
        let body = app
            .create_body(&Actor::system(), &BodyInput { name: name.into(), short_name: short.into(), description: description.into() })
            .await?;
        let segments = app.list_segments(body).await?.into_iter().map(|s| (s.name, s.id)).collect();
        Ok(Loader { app, body, units: HashMap::new(), employees: HashMap::new(), segments, offerings: HashMap::new() })
    }

    async fn unit(&mut self, key: &'a str, name: &str, parent: Option<&str>, description: &str) -> Result<(), AppError> {
        let input = UnitInput {
            body_id: Some(self.body),
            parent_id: parent.map(|p| self.units[p]),
            name: name.into(),
            description: description.into(),
        };
        let id = self.app.create_unit(&Actor::system(), &input).await?;
        self.units.insert(key, id);
        Ok(())
    }

    /// An employee; `email` ties a demo login to them, so "my queue" has someone to be.
    async fn employee(&mut self, key: &'a str, unit: &str, full_name: &str, position: &str, email: Option<&str>) -> Result<(), AppError> {
        let input = EmployeeInput {
            unit_id: Some(self.units[unit]),
            full_name: full_name.into(),
            position: position.into(),
            email: email.map(str::to_string),
        };
        let id = self.app.create_employee(&Actor::system(), &input).await?;
        self.employees.insert(key, id);
        Ok(())
    }

    async fn segment(&mut self, name: &str, side: &str, description: &str) -> Result<(), AppError> {
        let input = SegmentInput { body_id: Some(self.body), name: name.into(), side: side.into(), description: description.into() };
        let id = self.app.create_segment(&Actor::system(), &input).await?;
        self.segments.insert(name.into(), id);
        Ok(())
    }

    async fn offering(&mut self, s: Spec<'_>) -> Result<(), AppError> {
        let (product_type, service_kind) = if s.kind == "product" { (Some(s.of.into()), None) } else { (None, Some(s.of.into())) };
        let input = OfferingInput {
            body_id: Some(self.body),
            name: s.name.into(),
            description: s.description.into(),
            kind: s.kind.into(),
            product_type,
            service_kind,
            owner_unit_id: Some(self.units[s.unit]),
            responsible_employee_id: s.responsible.map(|e| self.employees[e]),
            legal_basis: s.legal.iter().map(|x| x.to_string()).collect(),
            channels: s.channels.iter().map(|x| x.to_string()).collect(),
            fee_kopecks: s.fee,
            term: s.term.map(|(value, unit)| TermInput { value, unit: unit.into() }),
            required_documents: s.docs.iter().map(|x| x.to_string()).collect(),
            status: Some(s.status.into()),
            segments: s
                .segments
                .iter()
                .map(|(seg, benefit)| SegmentLink { segment_id: self.segments[*seg], benefit: benefit.to_string() })
                .collect(),
            outputs: s.outputs.iter().map(|(p, note)| OutputLink { product_id: self.offerings[*p], note: note.to_string() }).collect(),
            version: None,
        };
        let id = self.app.create_offering(&Actor::system(), &input).await?;
        self.offerings.insert(s.name.into(), id);
        Ok(())
    }
}

/// The one password of every demo login. Only the demo has a known password; a real
/// instance gets its accounts from `okno admin create-user`.
pub const DEMO_PASSWORD: &str = "okno-demo-2026";

/// A demo login: e-mail, role, and the body it holds in (`None`: every body).
pub struct DemoLogin {
    pub email: &'static str,
    pub role: &'static str,
    pub body: Option<&'static str>,
}

/// One login per kind of work the demo shows.
pub const DEMO_LOGINS: [DemoLogin; 5] = [
    DemoLogin { email: "admin@okno.example", role: "administrator", body: None },
    DemoLogin { email: "owner@mfc.okno.example", role: "service_owner", body: Some(MFC_BODY) },
    DemoLogin { email: "head@mfc.okno.example", role: "unit_head", body: Some(MFC_BODY) },
    DemoLogin { email: "executor@mfc.okno.example", role: "executor", body: Some(MFC_BODY) },
    DemoLogin { email: "analyst@okno.example", role: "analyst", body: None },
];

/// Creates the demo logins on an instance that has no accounts yet, which ends set-up
/// mode: the demo then behaves as a real instance, where editing needs signing in.
/// Returns whether they were created; an instance with accounts is left alone.
pub async fn create_logins(app: &App) -> Result<bool, AppError> {
    if app.accounts_exist().await? {
        return Ok(false);
    }
    let bodies = app.list_bodies().await?;
    for l in &DEMO_LOGINS {
        let body = l.body.and_then(|name| bodies.iter().find(|b| b.name == name)).map(|b| b.id);
        app.create_user(&Actor::system(), l.email, l.role, body, DEMO_PASSWORD).await?;
    }
    Ok(true)
}

/// Loads both demo bodies unless they are there already. Returns the number of offerings
/// created (0 when the demo was loaded before).
pub async fn load(app: &App) -> Result<usize, AppError> {
    if app.list_bodies().await?.iter().any(|b| b.name == AUDIT_BODY) {
        return Ok(0);
    }
    Ok(audit_body(app).await? + service_centre(app).await?)
}

async fn audit_body(app: &App) -> Result<usize, AppError> {
    let mut l = Loader::body(
        app,
        AUDIT_BODY,
        "КСП",
        "Орган внешнего финансового контроля. Департамент цифровой трансформации создаёт цифровые продукты для инспекторов и рассказывает о своих проектах внутри органа и за его пределами.",
    )
    .await?;
    l.unit("dt", "Департамент цифровой трансформации", None, "Цифровые продукты и сервисы органа").await?;
    l.unit("pmo", "Отдел проектного управления и экосистемы", Some("dt"), "Проекты, рассылка, новости, работа с сообществом").await?;
    l.unit("data", "Отдел данных и аналитики", Some("dt"), "Данные о проверках и аналитические панели").await?;
    l.unit("ops", "Отдел эксплуатации информационных систем", Some("dt"), "Поддержка пользователей и рабочих мест").await?;
    l.unit("insp", "Инспекция по контролю расходов бюджета", None, "Проверки и экспертно-аналитические мероприятия").await?;
    l.employee("head", "dt", "Соколова Марина Игоревна", "Директор департамента", None).await?;
    l.employee("pm", "pmo", "Лебедев Артём Сергеевич", "Начальник отдела", None).await?;
    l.employee("analyst", "data", "Ким Елена Викторовна", "Главный аналитик данных", None).await?;
    l.employee("ops", "ops", "Горбунов Павел Андреевич", "Ведущий инженер", None).await?;
    l.segment("Инспекторы", "internal", "Проводят проверки и пользуются нашими данными").await?;
    l.segment("Аналитики органа", "internal", "Готовят экспертно-аналитические материалы").await?;
    l.segment("Цифровой актив", "internal", "Сотрудники, которые сами предлагают и пробуют новые решения").await?;

    let specs = [
        Spec {
            segments: &[
                ("Служащие органа", "узнают, какие проекты идут и как они изменят их работу"),
                ("Цифровой актив", "находят проект, в который можно войти"),
                ("ИТ-компании", "видят, какие задачи решает орган"),
                ("Эксперты рынка", "могут оценить подходы и предложить свои"),
            ],
            channels: &["e_service"],
            responsible: Some("pm"),
            ..spec(
                "Витрина проектов цифровой трансформации",
                "product",
                "e_service",
                "pmo",
                "Сайт, где собраны все проекты департамента: зачем они нужны, для кого и на каком они этапе.",
            )
        },
        Spec {
            segments: &[
                ("Служащие органа", "раз в две недели получают короткий обзор изменений"),
                ("Инспекторы", "узнают о новых инструментах для проверок"),
            ],
            channels: &["e_service", "mail"],
            responsible: Some("pm"),
            ..spec(
                "Рассылка «Цифровые новости»",
                "product",
                "document",
                "pmo",
                "Письмо для сотрудников о том, что меняется в работе органа и почему.",
            )
        },
        Spec {
            segments: &[
                ("Служащие органа", "читают, как проекты меняют работу"),
                ("Студенты", "узнают, как устроена цифровая работа в госорганах"),
                ("Вузы", "получают примеры для учебных курсов"),
            ],
            channels: &["e_service"],
            ..spec(
                "Новости и статьи о проектах",
                "product",
                "document",
                "pmo",
                "Материалы на сайте и в рассылке о запуске и итогах проектов.",
            )
        },
        Spec {
            segments: &[
                ("Эксперты рынка", "анализируют результаты проверок"),
                ("Вузы", "используют данные в исследованиях"),
                ("ИТ-компании", "строят сервисы на открытых данных"),
                ("Граждане", "видят, как расходуются бюджетные средства"),
            ],
            channels: &["e_service", "api"],
            legal: &["Федеральный закон от 09.02.2009 № 8-ФЗ, ст. 14"],
            responsible: Some("analyst"),
            ..spec(
                "Открытые данные о результатах проверок",
                "product",
                "data",
                "data",
                "Наборы данных о проверках в машиночитаемом виде, обновляются ежеквартально.",
            )
        },
        Spec {
            segments: &[
                ("Инспекторы", "видят риски объекта проверки до выезда"),
                ("Аналитики органа", "собирают показатели без ручных выгрузок"),
            ],
            channels: &["e_service"],
            responsible: Some("analyst"),
            ..spec("Аналитическая панель для инспекторов", "product", "e_service", "data", "Показатели объектов контроля на одном экране.")
        },
        Spec {
            segments: &[("Подразделения органа", "знают, какие проекты запущены и кто за них отвечает")],
            ..spec(
                "Решение о запуске проекта",
                "product",
                "decision",
                "dt",
                "Решение проектного комитета о запуске, сроках и команде проекта.",
            )
        },
        Spec {
            segments: &[
                ("Инспекторы", "получают выборку по своему запросу"),
                ("Аналитики органа", "получают проверенные данные для отчёта"),
            ],
            ..spec("Выборка данных по запросу", "product", "data", "data", "Таблица с данными, подготовленная под конкретный запрос.")
        },
        Spec {
            segments: &[("Подразделения органа", "получают письменные замечания к заданию до закупки")],
            ..spec(
                "Заключение по техническому заданию",
                "product",
                "document",
                "dt",
                "Письменный отзыв департамента на техническое задание подразделения.",
            )
        },
        Spec {
            segments: &[
                ("Подразделения органа", "переводят процесс в цифровой вид с понятным планом"),
                ("Служащие органа", "тратят меньше времени на рутину"),
            ],
            outputs: &[("Решение о запуске проекта", "когда процесс берут в работу как проект")],
            responsible: Some("head"),
            ..spec(
                "Организация и цифровизация процессов",
                "service",
                "process_organisation",
                "dt",
                "Разбираем процесс вместе с подразделением, упрощаем его и переводим в цифровой вид.",
            )
        },
        Spec {
            segments: &[
                ("Инспекторы", "получают нужные данные к сроку проверки"),
                ("Аналитики органа", "получают помощь с обработкой больших таблиц"),
            ],
            outputs: &[("Выборка данных по запросу", "если запрос требует выгрузки")],
            term: Some((5, "working_days")),
            channels: &["e_service", "phone"],
            responsible: Some("analyst"),
            ..spec("Обработка данных по запросу инспекции", "service", "data_processing", "data", "Готовим выборки и расчёты для проверок.")
        },
        Spec {
            segments: &[("Подразделения органа", "избегают ошибок в закупке")],
            outputs: &[("Заключение по техническому заданию", "если замечания оформлены письменно; устные замечания даются без документа")],
            term: Some((10, "working_days")),
            ..spec(
                "Экспертиза технических заданий",
                "service",
                "analysis_expertise",
                "dt",
                "Проверяем техническое задание на ИТ-закупку: полноту, реалистичность сроков и совместимость с нашими системами.",
            )
        },
        Spec {
            segments: &[("Подразделения органа", "понимают, какие ИТ-расходы запланированы и почему")],
            ..spec(
                "Планирование ИТ-бюджета",
                "service",
                "planning",
                "dt",
                "Собираем потребности подразделений и составляем план ИТ-расходов на год.",
            )
        },
        Spec {
            segments: &[("Служащие органа", "быстро получают помощь с компьютером и программами")],
            channels: &["phone", "e_service", "in_person"],
            term: Some((8, "hours")),
            responsible: Some("ops"),
            ..spec(
                "Техническая поддержка рабочих мест",
                "service",
                "maintenance",
                "ops",
                "Помогаем с компьютерами, доступами и программами.",
            )
        },
        Spec {
            segments: &[
                ("Студенты", "слушают лекции практиков о цифровизации госуправления"),
                ("Вузы", "получают лекторов для своих курсов"),
                ("Цифровой актив", "выступают публично и развиваются"),
            ],
            channels: &["in_person"],
            ..spec(
                "Публичные лекции и доклады",
                "service",
                "other",
                "pmo",
                "Руководитель и специалисты департамента читают лекции и выступают на конференциях.",
            )
        },
        Spec {
            segments: &[
                ("Организаторы мероприятий", "получают задачи и данные для хакатона"),
                ("ИТ-специалисты", "решают настоящие задачи органа"),
            ],
            ..spec(
                "Поддержка хакатонов и конференций",
                "service",
                "other",
                "pmo",
                "Даём задачи, данные и экспертов для профильных мероприятий.",
            )
        },
        Spec {
            segments: &[("Потенциальные подрядчики", "заранее знают о планах закупок и требованиях")],
            channels: &["e_service", "mail"],
            status: "draft",
            ..spec(
                "Информирование подрядчиков о планируемых закупках",
                "service",
                "other",
                "pmo",
                "Рассказываем рынку о будущих ИТ-закупках и требованиях к ним.",
            )
        },
    ];
    let n = specs.len();
    for s in specs {
        l.offering(s).await?;
    }
    Ok(n)
}

async fn service_centre(app: &App) -> Result<usize, AppError> {
    let mut l = Loader::body(
        app,
        MFC_BODY,
        "МФЦ",
        "Многофункциональный центр предоставления государственных и муниципальных услуг. Принимает заявления граждан и бизнеса, рассматривает обращения.",
    )
    .await?;
    l.unit("reception", "Отдел приёма и выдачи документов", None, "Окна приёма заявителей").await?;
    l.unit("registry", "Отдел ведения реестров", None, "Реестр муниципального имущества").await?;
    l.unit("education", "Отдел по вопросам дошкольного образования", None, "Учёт детей для зачисления в детские сады").await?;
    l.unit("legal", "Юридический отдел", None, "Правовая экспертиза документов").await?;
    l.unit("control", "Отдел контроля исполнения поручений", None, "Контроль сроков и качества исполнения поручений").await?;
    l.employee("reception", "reception", "Петрова Ольга Николаевна", "Начальник отдела", Some("head@mfc.okno.example")).await?;
    l.employee("registry", "registry", "Фёдоров Игорь Павлович", "Главный специалист", Some("executor@mfc.okno.example")).await?;
    l.employee("lawyer", "legal", "Власова Анна Дмитриевна", "Юрисконсульт", None).await?;
    l.segment("Родители детей дошкольного возраста", "external", "Записывают ребёнка в детский сад").await?;

    let appeal_law = "Федеральный закон от 02.05.2006 № 59-ФЗ «О порядке рассмотрения обращений граждан Российской Федерации», ст. 12";
    let services_law = "Федеральный закон от 27.07.2010 № 210-ФЗ «Об организации предоставления государственных и муниципальных услуг»";
    let specs = [
        Spec {
            segments: &[("Граждане", "подтверждают право на объект"), ("Бизнес", "получают сведения для сделки")],
            ..spec("Выписка из реестра муниципального имущества", "product", "document", "registry", "Документ со сведениями об объекте из реестра муниципального имущества.")
        },
        Spec {
            segments: &[("Служащие других органов", "проверяют сведения без запроса на бумаге"), ("Бизнес", "сами находят сведения об объектах")],
            channels: &["e_service", "api"],
            ..spec("Доступ к открытой части реестра муниципального имущества", "product", "data", "registry", "Поиск по открытым сведениям реестра на сайте и через API.")
        },
        Spec {
            segments: &[("Граждане", "получают ответ по существу вопроса")],
            ..spec("Ответ на обращение гражданина", "product", "document", "reception", "Письменный ответ по существу обращения.")
        },
        Spec {
            segments: &[("Родители детей дошкольного возраста", "знают, что ребёнок стоит в очереди в детский сад")],
            ..spec("Решение о постановке на учёт в детский сад", "product", "decision", "education", "Решение о постановке ребёнка на учёт для зачисления в детский сад или об отказе с причиной.")
        },
        Spec {
            segments: &[("Подразделения органа", "получают письменные замечания к проекту")],
            ..spec("Заключение юридической экспертизы", "product", "document", "legal", "Письменный отзыв юриста на проект документа.")
        },
        Spec {
            segments: &[("Подразделения органа", "видят, какие поручения просрочены")],
            ..spec("Отчёт об исполнении поручений", "product", "document", "control", "Еженедельный отчёт о сроках и ходе исполнения поручений.")
        },
        Spec {
            segments: &[("Граждане", "получают выписку за 5 рабочих дней, можно онлайн"), ("Бизнес", "получают выписку для сделки"), ("Служащие других органов", "получают сведения по межведомственному запросу")],
            outputs: &[("Выписка из реестра муниципального имущества", "по запросу выписки"), ("Доступ к открытой части реестра муниципального имущества", "если достаточно открытых сведений")],
            legal: &[services_law, "Административный регламент предоставления муниципальной услуги «Предоставление информации из реестра муниципального имущества»"],
            channels: &["in_person", "e_service", "mail"],
            term: Some((5, "working_days")),
            fee: Some(0),
            docs: &["Заявление", "Документ, удостоверяющий личность", "Доверенность, если обращается представитель"],
            responsible: Some("registry"),
            ..spec("Предоставление информации из реестра муниципального имущества", "service", "regulated", "registry", "Сообщаем сведения об объекте муниципального имущества: выдаём выписку или показываем открытые сведения реестра.")
        },
        Spec {
            segments: &[("Граждане", "получают ответ по существу в течение 30 дней")],
            outputs: &[("Ответ на обращение гражданина", "всегда, кроме обращений без имени и почтового адреса")],
            legal: &[appeal_law],
            channels: &["in_person", "e_service", "mail"],
            term: Some((30, "calendar_days")),
            fee: Some(0),
            responsible: Some("reception"),
            ..spec("Рассмотрение обращений граждан", "service", "regulated", "reception", "Регистрируем обращение за 3 дня, при необходимости пересылаем в нужный орган за 7 дней и отвечаем в течение 30 дней.")
        },
        Spec {
            segments: &[("Родители детей дошкольного возраста", "ставят ребёнка в очередь без визита, через портал")],
            outputs: &[("Решение о постановке на учёт в детский сад", "всегда")],
            legal: &[services_law, "Федеральный закон от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации», ст. 67"],
            channels: &["in_person", "e_service"],
            term: Some((7, "working_days")),
            fee: Some(0),
            docs: &["Заявление", "Свидетельство о рождении ребёнка", "Документ, удостоверяющий личность родителя", "Документ о регистрации ребёнка по месту жительства"],
            ..spec("Постановка на учёт для зачисления в детский сад", "service", "regulated", "education", "Ставим ребёнка на учёт для зачисления в муниципальный детский сад.")
        },
        Spec {
            segments: &[("Подразделения органа", "выпускают документы без правовых ошибок")],
            outputs: &[("Заключение юридической экспертизы", "если замечания оформлены письменно; устные замечания даются без документа")],
            term: Some((5, "working_days")),
            responsible: Some("lawyer"),
            ..spec("Юридическая экспертиза проектов документов", "service", "analysis_expertise", "legal", "Проверяем проекты документов на соответствие закону.")
        },
        Spec {
            segments: &[("Подразделения органа", "не пропускают сроки поручений"), ("Служащие органа", "знают, что и к какому сроку нужно сделать")],
            outputs: &[("Отчёт об исполнении поручений", "еженедельно")],
            ..spec("Контроль исполнения поручений", "service", "instruction_control", "control", "Следим за сроками поручений руководителя и напоминаем исполнителям.")
        },
    ];
    let n = specs.len();
    for s in specs {
        l.offering(s).await?;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use okno_store::testing::TestDb;
    use okno_store::Backend;

    #[tokio::test]
    async fn demo_loads_once_and_answers_the_seed_question() {
        let db = TestDb::new(Backend::Sqlite).await.unwrap();
        let app = App::new(db.store.clone());
        let n = load(&app).await.unwrap();
        assert_eq!(n, 27);
        assert_eq!(load(&app).await.unwrap(), 0, "loading twice adds nothing");
        let bodies = app.list_bodies().await.unwrap();
        assert_eq!(bodies.len(), 2);
        for b in bodies {
            let map = app.client_map(&Actor::system(), b.id).await.unwrap();
            assert!(map.offerings_without_clients.is_empty(), "every demo offering names its clients");
        }
    }
}
