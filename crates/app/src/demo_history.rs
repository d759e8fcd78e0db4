//! The demo's requests: delivery chains for its services, and some hundreds of requests
//! with a believable past — spread over the last two months, moved stage by stage, some
//! sent back, some waiting for the client, some late, most finished — so that queues,
//! deadlines and the timeline show something true. All people are invented.

use crate::requests::NewRequest;
use crate::{Actor, App, AppError};
use okno_domain::chain::{template, FieldKind, FormField, Template};
use okno_domain::offering::{Kind, ServiceKind, Status};
use okno_domain::request::{Move, Outcome, Phase};
use std::collections::BTreeMap;

const DAY: i64 = 86_400_000;

/// A small deterministic generator: the demo is the same every time it is loaded.
pub(crate) struct Lcg(pub(crate) u64);

impl Lcg {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    pub(crate) fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

pub(crate) const SURNAMES: [&str; 12] = [
    "Иванова",
    "Петров",
    "Сидорова",
    "Кузнецов",
    "Смирнова",
    "Попов",
    "Васильева",
    "Соколов",
    "Михайлова",
    "Новиков",
    "Фёдорова",
    "Морозов",
];
pub(crate) const NAMES: [&str; 8] = ["Анна", "Игорь", "Мария", "Сергей", "Ольга", "Дмитрий", "Елена", "Алексей"];
pub(crate) const SUBJECTS: [&str; 8] = [
    "Прошу сообщить сведения об объекте по адресу ул. Садовая, 12",
    "Не работает освещение во дворе дома 5 по ул. Ленина",
    "Прошу поставить ребёнка на учёт в детский сад № 14",
    "Прошу проверить проект постановления о благоустройстве",
    "Прошу выдать выписку из реестра на нежилое помещение",
    "Жалоба на сроки ответа управляющей компании",
    "Прошу разъяснить порядок получения компенсации",
    "Проект распоряжения о проведении конкурса — на экспертизу",
];

/// Gives every published service of the demo a chain (a shipped template that fits it),
/// then creates `n` requests with their history. Returns how many were created.
/// What staff ask clients for, written as people really write: some plainly, some not.
pub(crate) const ASKS: [&str; 4] = [
    "Пришлите, пожалуйста, копию документа, удостоверяющего право",
    "Вам нужно прислать копию паспорта. Сделать это можно на этой странице.",
    "В целях осуществления рассмотрения заявления Вам необходимо обеспечить предоставление копии документа, удостоверяющего право.",
    "Для принятия решения по существу обращения необходимо представление дополнительных сведений в соответствии с административным регламентом.",
];

/// Final answers, plain and bureaucratic.
pub(crate) const ANSWERS: [&str; 4] = [
    "Ваш вопрос решён. Подробности — в письме, которое мы отправили вам по почте.",
    "",
    "Рассмотрев Ваше обращение, сообщаем, что в рамках компетенции органа были приняты меры по осуществлению устранения нарушения.",
    "Готово: документ можно забрать в МФЦ с понедельника по пятницу с 9 до 18.",
];

/// Requests whose texts to the client get a plain-language score in the demo.
const SCORED_REQUESTS: usize = 3000;

pub async fn load_history(app: &App, n: usize) -> Result<usize, AppError> {
    let sys = Actor::system();
    let mut with_chain = Vec::new();
    for body in app.list_bodies().await? {
        for o in app.store().all_offerings(body.id).await? {
            if o.kind != Kind::Service || o.status != Status::Published {
                continue;
            }
            let t = if o.name.contains("обращени") {
                Template::CitizenAppeal
            } else if o.service_kind == Some(ServiceKind::Regulated) {
                Template::RegulatedService
            } else {
                Template::LegalReview
            };
            let chain = match app.store().latest_chain(o.id).await? {
                Some((_, c)) => c,
                None => {
                    let c = template(t, o.owner_unit.id);
                    app.save_chain(&sys, o.id, &c).await?;
                    c
                }
            };
            with_chain.push((o.id, chain.form));
        }
    }
    if with_chain.is_empty() {
        return Ok(0);
    }
    let now = crate::requests::now_ms();
    let mut rng = Lcg(2026);
    let mut made = 0;
    let mut staff: std::collections::HashMap<okno_domain::Id, Vec<okno_domain::Id>> = std::collections::HashMap::new();
    for i in 0..n {
        let (offering, form) = &with_chain[i % with_chain.len()];
        let offering = *offering;
        let surname = SURNAMES[rng.below(SURNAMES.len() as u64) as usize];
        let name = NAMES[rng.below(NAMES.len() as u64) as usize];
        let input = NewRequest {
            offering_id: Some(offering),
            variant: None,
            channel: Some(["web_form", "walk_in", "phone", "mail", "api"][rng.below(5) as usize].into()),
            client_name: format!("{surname} {name}"),
            client_email: Some(format!("client{i}@example.ru")),
            client_phone: None,
            client_address: None,
            subject: SUBJECTS[rng.below(SUBJECTS.len() as u64) as usize].into(),
            fields: answers(form, &mut rng),
        };
        let mut t = now - (rng.below(60) as i64) * DAY - rng.below(DAY as u64) as i64;
        let mut r = app.create_request_at(&sys, &input, t).await?;
        made += 1;
        // Most requests get an executor soon after they arrive, so "my queue" has work in it.
        if let std::collections::hash_map::Entry::Vacant(v) = staff.entry(r.body_id) {
            v.insert(app.store().list_employees(r.body_id).await?.into_iter().map(|e| e.id).collect());
        }
        let people = &staff[&r.body_id];
        if !people.is_empty() && rng.chance(70) {
            let employee_id = people[rng.below(people.len() as u64) as usize];
            t += 3_600_000;
            r = app.move_request_at(r.id, &Move::Reassign { employee_id }, t).await?;
        }
        // Each request lives on for a while: a step every few hours to a few days, until it
        // is finished or its time reaches today.
        loop {
            t += (rng.below(60) as i64 + 4) * 3_600_000;
            if t >= now || r.state.phase == Phase::Closed {
                break;
            }
            let card = app.store().chain_version(r.offering_id, r.chain_version).await?;
            let variant = card.variant(&r.variant_key).expect("saved with the request");
            let idx = variant.stage_index(&r.state.stage).unwrap_or(0);
            let stage = &variant.stages[idx];
            let last = idx + 1 == variant.stages.len();
            let mv = match r.state.phase {
                Phase::WaitingForClient => Move::ClientAnswered { note: "Документы приложены".into() },
                Phase::Suspended => Move::Resume,
                _ if rng.chance(12) => Move::AskClient { message: ASKS[rng.below(ASKS.len() as u64) as usize].into() },
                _ if !stage.may_return_to.is_empty() && rng.chance(10) => {
                    Move::Return { to: stage.may_return_to[0].clone(), reason: "Нужно уточнить сведения".into() }
                }
                _ if stage.may_suspend && rng.chance(6) => {
                    Move::Suspend { reason: "Ждём ответа на межведомственный запрос".into() }
                }
                _ if stage.may_refuse && rng.chance(5) => Move::Close {
                    outcome: Outcome::Refused,
                    reason: "Нет оснований для предоставления".into(),
                },
                _ if rng.chance(3) => {
                    Move::Close { outcome: Outcome::Withdrawn, reason: "Заявитель отозвал заявку".into() }
                }
                _ if last => Move::Close {
                    outcome: if variant.key == "appeal" { Outcome::Answered } else { Outcome::Granted },
                    reason: ANSWERS[rng.below(ANSWERS.len() as u64) as usize].into(),
                },
                _ => Move::Complete,
            };
            // Some requests simply wait at a stage: they make the overdue queue true.
            if rng.chance(8) {
                break;
            }
            // Of each offering's requests, every eighth is refused and another every eighth
            // left suspended, wherever its chain allows: the demo shows every state there is.
            let nth = (i / with_chain.len()) % 8;
            let mv = match nth {
                3 if stage.may_refuse && r.state.phase == Phase::Open => {
                    Move::Close { outcome: Outcome::Refused, reason: "Представлены не все документы".into() }
                }
                7 if stage.may_suspend && r.state.phase == Phase::Open => {
                    Move::Suspend { reason: "Ждём ответа на межведомственный запрос".into() }
                }
                _ => mv,
            };
            let suspending = matches!(mv, Move::Suspend { .. }) && nth == 7;
            r = app.move_request_at(r.id, &mv, t).await?;
            // The texts to clients are scored as staff's would be, for the first few
            // thousand requests: enough for the clarity figures, cheap for a huge demo.
            if let Some((kind, text)) = crate::clarity::client_text(&mv).filter(|_| i < SCORED_REQUESTS) {
                let report = app.check_response(text).await?;
                app.save_score(&r, kind, &report, t).await?;
            }
            if suspending {
                break;
            }
        }
        // About 40 % of finished requests are rated (feedback.rs), from a generator of their
        // own so that the history above stays as it was.
        if r.state.phase == Phase::Closed {
            let mut fb = Lcg(0x5eed_f00d ^ i as u64);
            if fb.chance(40) {
                app.demo_rating(&r, |n| fb.below(n)).await?;
            }
        }
    }
    tracing::info!(requests = made, "demo requests loaded");
    Ok(made)
}

/// Answers a client might give to the offering's form: an option for each choice, the
/// box ticked, a date a month ahead, optional text left blank as people often do.
pub(crate) fn answers(form: &[FormField], rng: &mut Lcg) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in form {
        let v = match f.kind {
            FieldKind::Choice => f.options[rng.below(f.options.len() as u64) as usize].clone(),
            FieldKind::Checkbox => "true".into(),
            FieldKind::Date if f.required => "2026-12-28".into(),
            FieldKind::Number if f.required => (rng.below(100) + 1).to_string(),
            FieldKind::Text | FieldKind::LongText if f.required => "—".into(),
            _ => continue,
        };
        out.insert(f.key.clone(), v);
    }
    out
}
