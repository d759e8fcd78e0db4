//! Russian first, English second. Texts live in one table so a missing translation is
//! a failing test, not a blank on a page.

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Ru,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    pub fn from_code(s: &str) -> Option<Lang> {
        match s {
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Ru => Lang::En,
            Lang::En => Lang::Ru,
        }
    }

    /// The text for `key`; the key itself if the table lacks it (a test forbids that).
    pub fn t(self, key: &str) -> &'static str {
        match TABLE.get(key) {
            Some((ru, en)) => match self {
                Lang::Ru => ru,
                Lang::En => en,
            },
            None => {
                // Debug builds (and so every test that renders a page) fail loudly.
                debug_assert!(false, "missing translation for {key}");
                tracing::warn!(key, "missing translation");
                "?"
            }
        }
    }

    /// A label for a vocabulary code: `label("kind", "product")`.
    pub fn label(self, family: &str, code: &str) -> &'static str {
        self.t(&format!("{family}.{code}"))
    }
}

pub fn has_key(key: &str) -> bool {
    TABLE.contains_key(key)
}

static TABLE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (k, ru, en) in TEXTS {
        let dup = m.insert(*k, (*ru, *en));
        assert!(dup.is_none(), "duplicate i18n key {k}");
    }
    m
});

const TEXTS: &[(&str, &str, &str)] = &[
    // Layout
    ("site.name", "Окно", "Okno"),
    ("site.tagline", "Что мы производим и для кого", "What we produce and for whom"),
    ("nav.home", "Главная", "Home"),
    ("nav.catalogue", "Каталог", "Catalogue"),
    ("nav.client_map", "Карта клиентов", "Client map"),
    ("nav.segments", "Клиенты", "Clients"),
    ("nav.units", "Подразделения", "Units"),
    ("nav.transfer", "Импорт и экспорт", "Import and export"),
    ("nav.api", "API", "API"),
    ("nav.main", "Основное меню", "Main menu"),
    ("nav.breadcrumbs", "Вы здесь", "You are here"),
    ("skip", "Перейти к основному содержанию", "Skip to main content"),
    ("lang.switch", "English", "Русский"),
    ("view.lowvision", "Версия для слабовидящих", "Large text, high contrast"),
    ("view.normal", "Обычная версия", "Standard view"),
    ("footer.about", "Окно — платформа клиентоцентричного органа власти", "Okno — a platform for a client-centred public body"),
    ("footer.openapi", "Описание API (OpenAPI)", "API description (OpenAPI)"),
    // Common
    ("common.save", "Сохранить", "Save"),
    ("common.create", "Создать", "Create"),
    ("common.edit", "Изменить", "Edit"),
    ("common.delete", "Удалить", "Delete"),
    ("common.cancel", "Отмена", "Cancel"),
    ("common.back", "Назад", "Back"),
    ("common.search", "Найти", "Search"),
    ("common.filter", "Показать", "Apply filters"),
    ("common.reset", "Сбросить фильтры", "Clear filters"),
    ("common.any", "Все", "Any"),
    ("common.none", "Нет", "None"),
    ("common.not_set", "не указано", "not stated"),
    ("common.optional", "необязательно", "optional"),
    ("common.name", "Название", "Name"),
    ("common.description", "Описание", "Description"),
    ("common.body", "Орган", "Body"),
    ("common.updated", "Изменено", "Updated"),
    ("common.page", "Страница", "Page"),
    ("common.of", "из", "of"),
    ("common.prev", "Предыдущая", "Previous"),
    ("common.next", "Следующая", "Next"),
    ("common.found", "Найдено", "Found"),
    ("common.pagination", "Страницы", "Pages"),
    ("common.print", "Распечатать", "Print"),
    ("common.json", "Те же данные в JSON", "The same data as JSON"),
    ("common.saved", "Изменения сохранены", "Changes saved"),
    ("common.created", "Создано", "Created"),
    ("common.deleted", "Удалено", "Deleted"),
    ("common.confirm_delete", "Удалить безвозвратно?", "Delete for good?"),
    ("common.confirm_delete_hint", "Это действие нельзя отменить.", "This cannot be undone."),
    ("common.yes_delete", "Да, удалить", "Yes, delete"),
    ("common.choose", "— выберите —", "— choose —"),
    // Errors
    ("err.summary", "Исправьте ошибки", "There is a problem"),
    ("err.prefix", "Ошибка:", "Error:"),
    ("err.not_found.title", "Страница не найдена", "Page not found"),
    ("err.not_found.text", "Проверьте адрес или начните с главной страницы.", "Check the address or start from the home page."),
    ("err.conflict.title", "Действие не выполнено", "The action was not carried out"),
    ("err.forbidden.title", "Нет доступа", "Access denied"),
    ("err.internal.title", "Что-то пошло не так", "Something went wrong"),
    ("err.internal.text", "Мы записали ошибку и разберёмся. Попробуйте ещё раз позже. Номер запроса:", "We logged the error and will look into it. Please try again later. Request id:"),
    ("err.required", "Заполните это поле", "Fill in this field"),
    ("err.too_long", "Слишком длинный текст — сократите его", "The text is too long — shorten it"),
    ("err.too_many", "Слишком много пунктов", "Too many items"),
    ("err.control_chars", "Уберите служебные символы", "Remove control characters"),
    ("err.not_allowed", "Выберите значение из списка", "Choose a value from the list"),
    ("err.invalid_email", "Введите адрес электронной почты, например name@example.ru", "Enter an e-mail address like name@example.ru"),
    ("err.invalid_amount", "Укажите сумму в рублях, например 350 или 350,50", "Enter the amount in roubles, e.g. 350 or 350.50"),
    ("err.out_of_range", "Значение вне допустимого диапазона", "The value is out of range"),
    ("err.not_a_number", "Введите целое число", "Enter a whole number"),
    ("err.duplicate", "Такое название уже есть — выберите другое", "This name is taken — choose another"),
    ("err.unknown", "Такой записи нет в этом органе", "No such record in this body"),
    ("err.cycle", "Подразделение не может входить само в себя", "A unit cannot be inside itself"),
    ("err.required_to_publish", "Чтобы опубликовать, укажите хотя бы одну категорию клиентов", "Name at least one client segment before publishing"),
    ("err.not_for_product", "У продукта этого поля нет", "A product does not have this"),
    ("err.not_for_service", "У услуги этого поля нет", "A service does not have this"),
    ("err.in_use", "Запись используется в других местах", "The record is used elsewhere"),
    ("err.immutable", "Это поле нельзя изменить", "This cannot be changed"),
    ("err.stale_version", "Кто-то изменил запись, пока вы её редактировали. Откройте её заново и внесите изменения ещё раз.", "Someone changed this record while you were editing. Open it again and reapply your change."),
    // Vocabulary
    ("kind.product", "Продукт", "Product"),
    ("kind.service", "Услуга", "Service"),
    ("product_type.decision", "Решение", "Decision"),
    ("product_type.document", "Документ", "Document"),
    ("product_type.data", "Данные", "Data"),
    ("product_type.e_service", "Электронный сервис", "E-service"),
    ("product_type.other", "Другой продукт", "Other product"),
    ("service_kind.regulated", "Государственная или муниципальная услуга", "State or municipal service"),
    ("service_kind.process_organisation", "Организация и цифровизация процессов", "Process organisation and digitalisation"),
    ("service_kind.planning", "Финансовое и управленческое планирование", "Financial and managerial planning"),
    ("service_kind.instruction_control", "Контроль исполнения поручений", "Instruction control"),
    ("service_kind.data_processing", "Обработка данных", "Data processing"),
    ("service_kind.analysis_expertise", "Анализ и экспертиза", "Analysis and expertise"),
    ("service_kind.maintenance", "Техническое обслуживание", "Technical maintenance"),
    ("service_kind.other", "Другая услуга", "Other service"),
    ("channel.in_person", "Лично", "In person"),
    ("channel.e_service", "Электронно", "Online"),
    ("channel.mail", "Почтой", "By mail"),
    ("channel.phone", "По телефону", "By phone"),
    ("channel.api", "Через API", "Through the API"),
    ("status.draft", "Черновик", "Draft"),
    ("status.published", "Опубликовано", "Published"),
    ("status.retired", "Выведено из работы", "Retired"),
    ("term_unit.working_days", "рабочих дней", "working days"),
    ("term_unit.calendar_days", "календарных дней", "calendar days"),
    ("term_unit.hours", "часов", "hours"),
    ("side.internal", "Внутренние клиенты", "Internal clients"),
    ("side.external", "Внешние клиенты", "External clients"),
    ("side1.internal", "Внутренний", "Internal"),
    ("side1.external", "Внешний", "External"),
    // Home
    ("home.title", "Продукты и услуги органа и их клиенты", "A body's products and services and their clients"),
    ("home.lead", "Окно помогает органу власти ответить на два вопроса: что мы производим и кто наш клиент. Выберите орган, чтобы открыть его каталог и карту клиентов.", "Okno helps a public body answer two questions: what do we produce, and who is our client? Choose a body to open its catalogue and client map."),
    ("home.bodies", "Органы и учреждения", "Bodies and institutions"),
    ("home.empty", "Органов пока нет. Добавьте первый орган — или запустите okno demo, чтобы посмотреть пример.", "There are no bodies yet. Add the first one — or run okno demo to see an example."),
    ("home.add_body", "Добавить орган", "Add a body"),
    ("home.offerings", "продуктов и услуг", "products and services"),
    // Bodies
    ("body.new", "Новый орган", "New body"),
    ("body.edit", "Изменить орган", "Edit body"),
    ("body.name.hint", "Полное название, как в положении об органе", "The full name, as in the body's statute"),
    ("body.short_name", "Краткое название", "Short name"),
    ("body.segments_note", "Орган получит стандартный список категорий клиентов; его можно изменить.", "The body starts with the standard list of client segments; you can change it."),
    ("body.open_catalogue", "Каталог", "Catalogue"),
    // Catalogue
    ("cat.title", "Каталог продуктов и услуг", "Catalogue of products and services"),
    ("cat.add", "Добавить продукт или услугу", "Add a product or service"),
    ("cat.empty", "Ничего не найдено. Измените фильтры или добавьте продукт или услугу.", "Nothing found. Change the filters or add a product or service."),
    ("cat.filters", "Фильтры", "Filters"),
    ("cat.q", "Поиск по названию и описанию", "Search names and descriptions"),
    ("cat.kind", "Продукт или услуга", "Product or service"),
    ("cat.type", "Тип продукта", "Product type"),
    ("cat.service_kind", "Вид услуги", "Kind of service"),
    ("cat.segment", "Клиенты", "Clients"),
    ("cat.unit", "Подразделение", "Unit"),
    ("cat.status", "Статус", "Status"),
    ("cat.clients", "Кто клиенты", "Who the clients are"),
    ("cat.type_or_kind", "Тип или вид", "Type or kind"),
    // Offering
    ("off.new", "Новый продукт или услуга", "New product or service"),
    ("off.edit", "Изменить", "Edit"),
    ("off.name.hint", "Как его называют клиенты, простыми словами", "As clients call it, in plain words"),
    ("off.description.hint", "Коротко: что получает клиент. До 2000 знаков.", "In short: what the client gets. Up to 2000 characters."),
    ("off.kind.legend", "Это продукт или услуга?", "Is it a product or a service?"),
    ("off.kind.hint", "Продукт — материальный результат: решение, документ, данные, сервис. Услуга — нематериальный результат работы.", "A product is a tangible result: a decision, a document, data, an e-service. A service is an intangible result."),
    ("off.product_type", "Тип продукта", "Product type"),
    ("off.product_type.hint", "Только для продукта", "For a product only"),
    ("off.service_kind", "Вид услуги", "Kind of service"),
    ("off.service_kind.hint", "Только для услуги. Государственная или муниципальная услуга определена законом.", "For a service only. A state or municipal service is defined by law."),
    ("off.owner_unit", "Подразделение-владелец", "Owner unit"),
    ("off.responsible", "Ответственный сотрудник", "Responsible employee"),
    ("off.legal_basis", "Правовые основания", "Legal basis"),
    ("off.legal_basis.hint", "Каждый акт и статья — с новой строки", "One act or article per line"),
    ("off.channels", "Каналы получения", "Channels"),
    ("off.fee", "Плата, ₽", "Fee, ₽"),
    ("off.fee.hint", "0 — бесплатно; пусто — не указано", "0 means free; empty means not stated"),
    ("off.fee.free", "Бесплатно", "Free of charge"),
    ("off.term", "Срок", "Term"),
    ("off.term_value", "Срок предоставления", "Regulatory term"),
    ("off.term_value.hint", "Целое число; пусто — срок не установлен", "A whole number; empty means no set term"),
    ("off.term_unit", "Единица срока", "Unit of the term"),
    ("off.documents", "Документы от заявителя", "Documents from the client"),
    ("off.documents.hint", "Каждый документ — с новой строки", "One document per line"),
    ("off.status", "Статус", "Status"),
    ("off.status.hint", "Опубликованное видят все. Чтобы опубликовать, укажите клиентов.", "Everyone sees what is published. Name the clients before publishing."),
    ("off.segments", "Кто клиенты и что они получают", "Who the clients are and what they get"),
    ("off.segments.hint", "Отметьте категории клиентов и коротко напишите, что получает каждая", "Tick the client segments and say in a few words what each gets"),
    ("off.benefit", "Что получает", "What they get"),
    ("off.outputs", "Материальный результат услуги", "What the service hands over"),
    ("off.outputs.hint", "Продукты, которые клиент получает в результате услуги. Если результат — только устная консультация, ничего не отмечайте.", "Products the client receives from this service. If the result is only oral advice, tick nothing."),
    ("off.output_note", "Когда выдаётся", "When it is handed over"),
    ("off.only_service", "Только услуга: материального продукта клиент не получает.", "Only a service: the client receives no material product."),
    ("off.hands_over", "Клиент получает продукт:", "The client receives a product:"),
    ("off.provided_by", "Выдаётся в результате услуг", "Handed over by the services"),
    ("off.no_clients", "Клиенты не указаны. Укажите, для кого этот продукт или услуга.", "No clients named. Say who this is for."),
    ("off.no_products", "В органе пока нет продуктов. Сначала добавьте продукт, затем отметьте его здесь.", "The body has no products yet. Add a product first, then tick it here."),
    ("off.no_segments", "В органе нет категорий клиентов. Добавьте их на странице «Клиенты».", "The body has no client segments. Add them on the Clients page."),
    ("off.details", "Сведения", "Details"),
    ("off.version", "Версия", "Version"),
    ("off.choose_body", "Сначала выберите орган", "Choose a body first"),
    // Segments
    ("seg.title", "Категории клиентов", "Client segments"),
    ("seg.lead", "Внутренние клиенты — служащие и подразделения органа и коллеги из других органов. Внешние — граждане, бизнес и все остальные.", "Internal clients are the body's own staff and units and colleagues from other bodies. External ones are citizens, businesses and everyone else."),
    ("seg.add", "Добавить категорию клиентов", "Add a client segment"),
    ("seg.new", "Новая категория клиентов", "New client segment"),
    ("seg.edit", "Изменить категорию клиентов", "Edit client segment"),
    ("seg.side", "Внутренние или внешние", "Internal or external"),
    ("seg.served_by", "Что орган производит для этих клиентов", "What the body produces for these clients"),
    ("seg.nothing", "Для этой категории пока ничего не производится. Отметьте её в карточке продукта или услуги.", "Nothing is produced for this segment yet. Tick it on a product or service."),
    ("seg.count", "продуктов и услуг", "products and services"),
    ("seg.empty", "Категорий клиентов нет. Добавьте первую.", "There are no client segments. Add the first one."),
    // Units
    ("unit.title", "Подразделения", "Units"),
    ("unit.add", "Добавить подразделение", "Add a unit"),
    ("unit.new", "Новое подразделение", "New unit"),
    ("unit.edit", "Изменить подразделение", "Edit unit"),
    ("unit.parent", "Входит в подразделение", "Part of"),
    ("unit.parent.none", "— верхний уровень —", "— top level —"),
    ("unit.produces", "Что производит и для кого", "What it produces and for whom"),
    ("unit.nothing", "Подразделение пока ничего не производит. Добавьте продукт или услугу и укажите его владельцем.", "The unit produces nothing yet. Add a product or service and make it the owner."),
    ("unit.employees", "Сотрудники", "Employees"),
    ("unit.no_employees", "Сотрудников пока нет.", "No employees yet."),
    ("unit.subunits", "Входящие подразделения", "Sub-units"),
    ("unit.empty", "Подразделений пока нет. Добавьте первое.", "There are no units yet. Add the first one."),
    ("emp.add", "Добавить сотрудника", "Add an employee"),
    ("emp.new", "Новый сотрудник", "New employee"),
    ("emp.edit", "Изменить сведения о сотруднике", "Edit employee"),
    ("emp.full_name", "Фамилия, имя, отчество", "Full name"),
    ("emp.position", "Должность", "Position"),
    ("emp.email", "Служебная почта", "Work e-mail"),
    ("emp.unit", "Подразделение", "Unit"),
    // Client map
    ("map.title", "Карта клиентов", "Client map"),
    ("map.lead", "Кто клиенты каждого продукта и каждой услуги органа. Слева — подразделения, в центре — что они производят, справа — для кого.", "Who the clients of each product and service are. Left: units; middle: what they produce; right: for whom."),
    ("map.diagram", "Схема: подразделения, продукты и услуги, клиенты", "Diagram: units, products and services, clients"),
    ("map.by_offering", "По продуктам и услугам", "By product and service"),
    ("map.by_segment", "По категориям клиентов", "By client segment"),
    ("map.by_unit", "По подразделениям", "By unit"),
    ("map.gaps", "Что стоит проверить", "What to check"),
    ("map.no_clients", "Клиенты не указаны", "No clients named"),
    ("map.no_offerings", "Для этих клиентов ничего не производится", "Nothing is produced for these clients"),
    ("map.no_gaps", "У каждого продукта и услуги есть клиенты, и каждая категория клиентов что-то получает.", "Every product and service has clients, and every segment gets something."),
    ("map.empty", "В каталоге органа пока нет продуктов и услуг. Добавьте первый, и карта появится.", "The body's catalogue is empty. Add the first product or service and the map appears."),
    // Sign-in
    ("login.title", "Войти", "Sign in"),
    ("login.lead", "Для сотрудников органа. Учётную запись выдаёт администратор.", "For the body's staff. An administrator gives you an account."),
    ("login.email", "Служебная почта", "Work e-mail"),
    ("login.password", "Пароль", "Password"),
    ("login.submit", "Войти", "Sign in"),
    ("login.logout", "Выйти", "Sign out"),
    ("login.failed", "Неверная почта или пароль", "Wrong e-mail or password"),
    ("login.locked", "Слишком много неудачных попыток. Вход временно закрыт — попробуйте через 15 минут.", "Too many failed attempts. Sign-in is closed for now — try again in 15 minutes."),
    // Requests
    ("nav.requests", "Заявки", "Requests"),
    ("nav.status", "Статус заявки", "Request status"),
    ("apply.title", "Подать заявку", "Submit a request"),
    ("apply.lead", "Опишите, что вам нужно. После отправки вы получите код заявки: по нему можно узнать, что с ней происходит, без входа на сайт.", "Say what you need. After sending you get a tracking code: with it you can see what is happening with your request without signing in."),
    ("apply.subject", "Суть заявки", "What you need"),
    ("apply.subject.hint", "Своими словами: что случилось и чего вы ждёте", "In your own words: what happened and what you expect"),
    ("apply.name", "Фамилия, имя и отчество", "Full name"),
    ("apply.email", "Электронная почта", "E-mail"),
    ("apply.contact.hint", "Укажите почту, телефон или почтовый адрес — хотя бы одно, чтобы мы могли ответить", "Give an e-mail, a phone or a postal address — at least one, so that we can answer"),
    ("apply.phone", "Телефон", "Phone"),
    ("apply.address", "Почтовый адрес", "Postal address"),
    ("apply.privacy", "Мы используем эти данные только для ответа на заявку (152-ФЗ).", "We use these details only to answer your request (152-FZ)."),
    ("apply.submit", "Отправить заявку", "Send the request"),
    ("off.apply", "Подать заявку", "Submit a request"),
    ("off.chain", "Как оказывается услуга", "How the service is delivered"),
    ("status.lookup", "Узнать статус заявки", "Check a request's status"),
    ("status.code", "Код заявки", "Tracking code"),
    ("status.code.hint", "Восемь знаков, например K7M2-9QXD. Регистр и дефис не важны.", "Eight characters, e.g. K7M2-9QXD. Case and dash do not matter."),
    ("status.find", "Найти", "Find"),
    ("status.title", "Заявка", "Request"),
    ("status.created", "Заявка отправлена", "Your request has been sent"),
    ("status.keep_code", "Сохраните код заявки:", "Keep your tracking code:"),
    ("status.now", "Что происходит сейчас", "What is happening now"),
    ("status.next", "Что будет дальше", "What comes next"),
    ("status.expected", "Ожидаемый срок", "Expected by"),
    ("status.waiting", "Нужен ваш ответ", "We need your answer"),
    ("status.answer", "Ваш ответ", "Your answer"),
    ("status.send", "Отправить ответ", "Send the answer"),
    ("status.history", "История заявки", "History"),
    ("rq.title", "Заявки", "Requests"),
    ("rq.queues", "Очереди заявок", "Request queues"),
    ("rq.active", "В работе", "In progress"),
    ("rq.overdue", "Просроченные", "Overdue"),
    ("rq.soon", "Срок в ближайшие 3 дня", "Due within 3 days"),
    ("rq.waiting", "Ждут ответа заявителя", "Waiting for the client"),
    ("rq.unit", "Подразделение на этапе", "Unit at the stage"),
    ("rq.all_units", "Все подразделения", "All units"),
    ("rq.empty", "Заявок в этой очереди нет.", "No requests in this queue."),
    ("rq.found", "Заявок:", "Requests:"),
    ("rq.code", "Код", "Code"),
    ("rq.subject", "Суть", "Subject"),
    ("rq.stage", "Этап", "Stage"),
    ("rq.phase", "Состояние", "State"),
    ("rq.due", "Срок", "Due"),
    ("rq.request", "Заявка", "Request"),
    ("rq.stage_due", "Срок этапа", "Stage due"),
    ("rq.total_due", "Срок по заявке", "Request due"),
    ("rq.client", "Заявитель", "Client"),
    ("rq.channel", "Как поступила", "Came in by"),
    ("rq.moves", "Что сделать", "Actions"),
    ("rq.next_is", "Следующий этап:", "Next stage:"),
    ("rq.complete", "Этап выполнен", "Stage done"),
    ("rq.close", "Завершить с результатом", "Close with a result"),
    ("rq.outcome", "Результат", "Result"),
    ("rq.reason", "Причина или пояснение", "Reason or note"),
    ("rq.refuse", "Отказать", "Refuse"),
    ("rq.return", "Вернуть на этап", "Send back"),
    ("rq.return_to", "На какой этап", "To which stage"),
    ("rq.ask", "Запросить у заявителя", "Ask the client"),
    ("rq.ask_what", "Что нужно от заявителя", "What the client is asked for"),
    ("rq.answered", "Заявитель ответил", "The client answered"),
    ("rq.answer_note", "Что ответил заявитель", "What the client said"),
    ("rq.suspend", "Приостановить", "Suspend"),
    ("rq.resume", "Возобновить", "Resume"),
    ("rq.extend", "Продлить срок", "Extend the term"),
    ("rq.days", "На сколько дней", "By how many days"),
    ("rq.extend_why", "Причина продления (её увидит заявитель)", "Why (the client will see it)"),
    ("rq.notify", "Сообщить заявителю", "Tell the client"),
    ("rq.notify_text", "Сообщение заявителю", "Message to the client"),
    ("rq.comment", "Добавить комментарий", "Add a comment"),
    ("rq.comment_text", "Комментарий для коллег", "Comment for colleagues"),
    ("rq.timeline", "История", "Timeline"),
    ("rq.visible", "видно заявителю", "visible to the client"),
    ("phase.open", "В работе", "In progress"),
    ("phase.waiting_for_client", "Ждёт заявителя", "Waiting for the client"),
    ("phase.suspended", "Приостановлена", "Suspended"),
    ("phase.closed", "Завершена", "Closed"),
    ("outcome.granted", "Предоставлено", "Granted"),
    ("outcome.refused", "Отказано", "Refused"),
    ("outcome.answered", "Дан ответ", "Answered"),
    ("outcome.withdrawn", "Отозвана заявителем", "Withdrawn"),
    ("outcome.redirected", "Направлена по компетенции", "Redirected"),
    ("outcome.left_unanswered", "Оставлена без ответа", "Left unanswered"),
    ("event.created", "Заявка подана", "Submitted"),
    ("event.entered", "Начат этап", "Stage started"),
    ("event.completed", "Этап выполнен", "Stage done"),
    ("event.returned", "Возвращена", "Sent back"),
    ("event.paused", "Запрошено у заявителя", "Asked the client"),
    ("event.resumed", "Работа продолжена", "Resumed"),
    ("event.suspended", "Приостановлена", "Suspended"),
    ("event.reassigned", "Передана исполнителю", "Reassigned"),
    ("event.commented", "Комментарий", "Comment"),
    ("event.client_notified", "Сообщение заявителю", "Message to the client"),
    ("event.extended", "Срок продлён", "Term extended"),
    ("event.closed", "Завершена", "Closed"),
    ("rqchannel.web_form", "Через сайт", "Website"),
    ("rqchannel.walk_in", "Лично", "In person"),
    ("rqchannel.phone", "По телефону", "By phone"),
    ("rqchannel.mail", "Почтой", "By post"),
    ("rqchannel.api", "Через API", "Through the API"),
    ("rqchannel.open311", "Через Open311", "Through Open311"),
    ("err.contact_required", "Укажите почту, телефон или почтовый адрес, чтобы мы могли ответить", "Give an e-mail, a phone or a postal address so that we can answer"),
    ("err.invalid_phone", "Запишите телефон цифрами, например +7 900 123-45-67", "Write the phone number in digits, e.g. +7 900 123-45-67"),
    ("err.invalid_code", "Код заявки выглядит так: K7M2-9QXD", "A tracking code looks like K7M2-9QXD"),
    ("err.unknown_code", "Заявки с таким кодом нет — проверьте код", "No request has this code — check it"),
    ("err.no_chain", "Эта услуга пока не принимает заявки", "This service does not take requests yet"),
    ("err.reason_required", "Напишите причину или пояснение", "Write the reason or a note"),
    ("err.move_not_allowed", "Это действие на этом этапе не предусмотрено", "This action is not available at this stage"),
    ("err.waiting_for_client", "Заявка ждёт ответа заявителя — сначала отметьте его ответ", "The request waits for the client — record their answer first"),
    ("err.not_waiting", "Заявка не ждёт ответа заявителя", "The request is not waiting for the client"),
    ("err.last_stage", "Это последний этап: завершите заявку с результатом", "This is the last stage: close the request with its result"),
    ("err.closed", "Заявка завершена", "The request is closed"),
    ("err.suspended", "Заявка приостановлена — сначала возобновите её", "The request is suspended — resume it first"),
    ("err.not_suspended", "Заявка не приостановлена", "The request is not suspended"),
    // The plain-Russian checker
    ("nav.clarity", "Проверка текста", "Plain language"),
    ("cl.title", "Проверка текста на понятность", "Check a text for plain Russian"),
    ("cl.lead", "Вставьте текст письма, ответа или регламента или выберите файл. Okno отметит канцелярит, пассив, длинные фразы и другие трудные места и подскажет, как сказать проще. Текст нигде не сохраняется.", "Paste a letter, reply or regulation, or choose a file. Okno marks officialese, passive voice, long sentences and other hard places, and suggests plainer wording. The text is not stored."),
    ("cl.text", "Текст", "Text"),
    ("cl.text.hint", "Можно вставить из Word: оформление не нужно", "You can paste from Word: formatting is not needed"),
    ("cl.file", "Или файл", "Or a file"),
    ("cl.file.hint", "TXT, Markdown, DOCX или ODT, до 4 МБ. Если выбран файл, проверяется он.", "TXT, Markdown, DOCX or ODT, up to 4 MB. If a file is chosen, it is what is checked."),
    ("cl.letter", "Это письмо гражданину: проверить, обращается ли оно к читателю", "This is a letter to a citizen: check that it addresses the reader"),
    ("cl.submit", "Проверить", "Check"),
    ("cl.score", "Понятность:", "Plainness:"),
    ("cl.of10", "из 10", "out of 10"),
    ("cl.score.hint", "Чем выше, тем проще текст. Оценка снижается за каждое замечание с учётом его важности и длины текста.", "Higher is plainer. Each finding lowers the score, weighted by importance and text length."),
    ("cl.words", "Слов", "Words"),
    ("cl.sentences", "Предложений", "Sentences"),
    ("cl.asl", "Слов в предложении, в среднем", "Words per sentence, on average"),
    ("cl.fre", "Индекс удобочитаемости Флеша (Оборнева)", "Flesch Reading Ease (Oborneva)"),
    ("cl.findings", "Замечаний", "Findings"),
    ("cl.clean", "Замечаний нет: текст написан просто.", "No findings: the text is plain."),
    ("cl.marked", "Текст с отметками", "The text, marked"),
    ("cl.list", "Что исправить", "What to change"),
    ("cl.finding", "Замечание", "Finding"),
    ("cl.suggest", "Лучше:", "Better:"),
    ("cl.where", "Строка и позиция", "Line and column"),
    ("severity.info", "Совет", "Tip"),
    ("severity.warning", "Замечание", "Warning"),
    ("severity.error", "Ошибка", "Error"),
    ("err.bad_document_type", "Выберите файл TXT, MD, DOCX или ODT", "Choose a TXT, MD, DOCX or ODT file"),
    ("err.unreadable", "Файл не удалось прочитать — проверьте, что он не повреждён", "The file could not be read — check that it is not damaged"),
    // Own account
    ("pwd.link", "Сменить пароль", "Change password"),
    ("pwd.title", "Смена пароля", "Change your password"),
    ("pwd.lead", "После смены пароля все ваши другие сеансы закончатся: на других устройствах нужно будет войти заново.", "After the change, your other sessions end: you will need to sign in again on other devices."),
    ("pwd.current", "Текущий пароль", "Current password"),
    ("pwd.new", "Новый пароль", "New password"),
    ("pwd.new.hint", "Не короче 12 знаков. Удобно взять три-четыре несвязанных слова.", "At least 12 characters. Three or four unrelated words work well."),
    ("pwd.confirm", "Новый пароль ещё раз", "New password again"),
    ("pwd.submit", "Сменить пароль", "Change password"),
    ("pwd.done", "Пароль изменён", "Your password has been changed"),
    ("pwd.done.text", "Другие сеансы закончены. На этом устройстве вы остаётесь в системе.", "Your other sessions have ended. You stay signed in on this device."),
    ("err.mismatch", "Пароли не совпадают — введите новый пароль дважды одинаково", "The passwords differ — type the new password the same way twice"),
    ("err.wrong_password", "Это не ваш текущий пароль", "This is not your current password"),
    ("err.unchanged", "Новый пароль должен отличаться от текущего", "The new password must differ from the current one"),
    ("err.too_short", "Пароль слишком короткий: нужно не меньше 12 знаков", "The password is too short: at least 12 characters"),
    ("err.too_simple", "Пароль не может состоять из одного повторяющегося знака", "The password cannot be one character repeated"),
    ("err.like_email", "Пароль не должен совпадать с адресом почты", "The password must not be your e-mail address"),
    // Personal data (152-FZ)
    ("nav.personal", "Персональные данные", "Personal data"),
    ("pd.title", "Персональные данные сотрудника", "A person's data"),
    ("pd.lead", "По запросу человека (152-ФЗ, ст. 14 и 21) найдите всё, что о нём хранится, выгрузите это файлом или удалите.", "At a person's request (152-FZ arts. 14 and 21), find everything held about them, download it as a file, or erase it."),
    ("pd.email", "Адрес почты", "E-mail address"),
    ("pd.email.hint", "Учётная запись и карточки сотрудника с этим адресом", "The account and employee records with this address"),
    ("pd.employee", "Номер карточки сотрудника", "Employee record id"),
    ("pd.employee.hint", "Для сотрудников без почты: номер из адреса страницы сотрудника", "For employees without e-mail: the id from the employee's page address"),
    ("pd.find", "Найти", "Find"),
    ("pd.found", "Что хранится", "What is held"),
    ("pd.nothing", "О таком человеке ничего не хранится.", "Nothing is held about this person."),
    ("pd.account", "Учётная запись", "Account"),
    ("pd.disabled", "отключена", "disabled"),
    ("pd.employees", "Карточки сотрудника", "Employee records"),
    ("pd.audit", "Записей в журнале изменений", "Audit trail entries"),
    ("pd.download", "Скачать всё файлом (JSON)", "Download everything (JSON)"),
    ("pd.erase", "Удалить персональные данные", "Erase the personal data"),
    ("pd.erase.warning", "Удаление необратимо. Имя, должность и почта будут стёрты, учётная запись закрыта, а записи журнала о человеке — скрыты. Ссылки других записей сохранятся.", "Erasing cannot be undone. The name, position and e-mail are wiped, the account closed, and audit entries about the person hidden. Other records keep their links."),
    ("pd.erase.confirm", "Я понимаю, что удаление необратимо", "I understand that erasing cannot be undone"),
    ("pd.erase.submit", "Удалить навсегда", "Erase for good"),
    ("pd.erased", "Персональные данные удалены", "The personal data has been erased"),
    ("pd.erased.text", "Скрыто записей журнала:", "Audit entries hidden:"),
    ("err.confirm_erase", "Отметьте, что понимаете: удаление необратимо", "Tick the box to confirm that erasing cannot be undone"),
    ("err.own_account", "Нельзя удалить собственную учётную запись — попросите другого администратора", "You cannot erase your own account — ask another administrator"),
    ("audit.redacted", "Содержимое скрыто: персональные данные удалены по запросу", "Content hidden: the personal data was erased on request"),
    // Audit
    ("nav.audit", "Журнал изменений", "Audit trail"),
    ("audit.title", "Журнал изменений", "Audit trail"),
    ("audit.intact", "Цепочка записей не нарушена. Проверено записей:", "The chain of entries is intact. Entries checked:"),
    ("audit.broken", "Цепочка записей нарушена: запись №", "The chain of entries is broken at entry"),
    ("audit.entity", "Что изменено", "What changed"),
    ("audit.actor", "Кто", "Who"),
    ("audit.from", "С даты", "From"),
    ("audit.to", "По дату", "To"),
    ("audit.when", "Когда", "When"),
    ("audit.action", "Действие", "Action"),
    ("audit.what", "Запись", "Record"),
    ("audit.request", "запрос", "request"),
    ("audit.changes", "Что было и что стало", "Before and after"),
    ("audit.before", "Было", "Before"),
    ("audit.after", "Стало", "After"),
    ("audit.empty", "Записей не найдено. Измените фильтры.", "No entries found. Change the filters."),
    ("entity.body", "Орган", "Body"),
    ("entity.unit", "Подразделение", "Unit"),
    ("entity.employee", "Сотрудник", "Employee"),
    ("entity.personal_data", "Персональные данные", "Personal data"),
    ("entity.segment", "Категория клиентов", "Client segment"),
    ("entity.offering", "Продукт или услуга", "Product or service"),
    ("entity.account", "Учётная запись", "Account"),
    ("err.invalid_date", "Введите дату в виде ГГГГ-ММ-ДД", "Enter the date as YYYY-MM-DD"),
    // Transfer
    ("tr.title", "Импорт и экспорт каталога", "Import and export the catalogue"),
    ("tr.lead", "Каталог можно выгрузить в таблицу, поправить в Excel или LibreOffice и загрузить обратно. Строки с ID или с тем же названием обновятся, остальные добавятся.", "Download the catalogue as a spreadsheet, edit it in Excel or LibreOffice and upload it back. Rows with an ID or the same name are updated; the rest are added."),
    ("tr.export", "Выгрузить", "Download"),
    ("tr.xlsx", "Таблица Excel (XLSX)", "Excel workbook (XLSX)"),
    ("tr.csv", "Текстовая таблица (CSV)", "Text table (CSV)"),
    ("tr.import", "Загрузить", "Upload"),
    ("tr.file", "Файл XLSX или CSV", "An XLSX or CSV file"),
    ("tr.file.hint", "До 10 МБ. Если в файле есть ошибка, ничего не загрузится — мы покажем, какие строки исправить.", "Up to 10 MB. If any row has an error nothing is loaded — we show which rows to fix."),
    ("tr.done", "Загружено: добавлено {created}, обновлено {updated}.", "Loaded: {created} added, {updated} updated."),
    ("tr.row", "Строка", "Row"),
    ("tr.no_file", "Выберите файл", "Choose a file"),
    ("tr.bad_type", "Загрузите файл XLSX или CSV", "Upload an XLSX or CSV file"),
    ("imp.unknown", "в органе нет записи «{value}» — проверьте написание", "this body has nothing named «{value}» — check the spelling"),
    ("imp.ambiguous", "несколько записей называются «{value}» — уточните", "several records are named «{value}» — be more specific"),
    ("imp.not_allowed", "неизвестное значение «{value}» — выберите из допустимых", "unknown value «{value}» — use one of the allowed values"),
    ("imp.duplicate", "такой же ID или название уже есть в другой строке файла", "another row of the file has the same ID or name"),
    ("imp.cell_error", "в ячейке ошибка формулы вместо значения", "the cell shows a formula error instead of a value"),
    ("imp.unknown_columns", "в таблице есть неизвестные столбцы — переименуйте или удалите их", "the table has unknown columns — rename or remove them"),
    ("imp.missing_columns", "нет обязательных столбцов: Название, Вид, Тип, Подразделение", "required columns are missing: Name, Kind, Type, Unit"),
    ("imp.untitled_column", "у столбца с данными нет заголовка", "a column with data has no title"),
    ("imp.invalid_number", "срок — целое число, например 5", "the term is a whole number, e.g. 5"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use okno_domain::offering::{Channel, Kind, ProductType, ServiceKind, Status, TermUnit};
    use okno_domain::segment::Side;

    #[test]
    fn every_vocabulary_code_has_a_label() {
        let mut missing = Vec::new();
        let mut check = |family: &str, codes: Vec<&str>| {
            for c in codes {
                if !has_key(&format!("{family}.{c}")) {
                    missing.push(format!("{family}.{c}"));
                }
            }
        };
        check("kind", Kind::ALL.iter().map(|x| x.code()).collect());
        check("product_type", ProductType::ALL.iter().map(|x| x.code()).collect());
        check("service_kind", ServiceKind::ALL.iter().map(|x| x.code()).collect());
        check("channel", Channel::ALL.iter().map(|x| x.code()).collect());
        check("status", Status::ALL.iter().map(|x| x.code()).collect());
        check("term_unit", TermUnit::ALL.iter().map(|x| x.code()).collect());
        check("side", Side::ALL.iter().map(|x| x.code()).collect());
        check("side1", Side::ALL.iter().map(|x| x.code()).collect());
        use okno_domain::request::{Channel as RqChannel, EventKind, Outcome, Phase};
        check("phase", Phase::ALL.iter().map(|x| x.code()).collect());
        check("outcome", Outcome::ALL.iter().map(|x| x.code()).collect());
        check("event", EventKind::ALL.iter().map(|x| x.code()).collect());
        check("rqchannel", RqChannel::ALL.iter().map(|x| x.code()).collect());
        assert!(missing.is_empty(), "missing labels: {missing:?}");
    }

    /// Scans the sources for `.t("key")` and checks each key is in the table.
    #[test]
    fn every_key_used_in_the_code_exists() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for e in std::fs::read_dir(dir).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("i18n.rs") {
                    out.push(p);
                }
            }
        }
        let mut files = Vec::new();
        walk(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
        let mut missing = Vec::new();
        let mut seen = 0;
        for f in files {
            let src = std::fs::read_to_string(&f).unwrap();
            for part in src.split(".t(\"").skip(1) {
                let key = &part[..part.find('"').unwrap()];
                seen += 1;
                if !has_key(key) {
                    missing.push(format!("{}: {key}", f.display()));
                }
            }
        }
        assert!(seen > 50, "the scan found the page code");
        assert!(missing.is_empty(), "keys missing from the table: {missing:?}");
    }
}
