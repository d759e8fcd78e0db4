//! mySociety's extension: `GET servicerequestupdates` lists the client-visible events of
//! requests in a time window, oldest first, with mySociety's extended statuses where
//! they fit. Descriptions are made from the chain (stage names) and the outcome, never
//! from staff's free text, since the feed is public.

use super::doc::Doc;
use super::{paging, store, window, Fail, Params};
use crate::i18n::Lang;
use crate::state::AppState;
use okno_domain::chain::Chain;
use okno_domain::request::{EventKind, Outcome};
use okno_domain::Id;
use std::collections::HashMap;

/// mySociety's status of an event (the open311-adapter writes them in lower case;
/// FixMyStreet reads either case).
pub fn status(kind: EventKind, outcome: Option<Outcome>) -> &'static str {
    match (kind, outcome) {
        (EventKind::Closed, Some(Outcome::Granted | Outcome::Answered)) => "fixed",
        (EventKind::Closed, Some(Outcome::Refused | Outcome::LeftUnanswered)) => "no_further_action",
        (EventKind::Closed, Some(Outcome::Redirected)) => "not_councils_responsibility",
        (EventKind::Closed, _) => "closed",
        (EventKind::Created, _) => "open",
        (EventKind::Entered, _) => "action_scheduled",
        (EventKind::Paused | EventKind::Suspended, _) => "investigating",
        _ => "in_progress",
    }
}

fn description(kind: EventKind, outcome: Option<Outcome>, stage: &str) -> String {
    match kind {
        EventKind::Created => "Обращение зарегистрировано".into(),
        EventKind::Entered => format!("Этап: {stage}"),
        EventKind::Paused => format!("Этап: {stage}. Нужны документы или ответ заявителя"),
        EventKind::Resumed => format!("Этап: {stage}. Работа продолжается"),
        EventKind::Suspended => format!("Этап: {stage}. Рассмотрение приостановлено"),
        EventKind::Extended => "Срок рассмотрения продлён".into(),
        EventKind::ClientNotified => "Заявителю направлено сообщение".into(),
        EventKind::Closed => match outcome {
            Some(o) => format!("Завершено: {}", Lang::Ru.label("outcome", o.code())),
            None => "Завершено".into(),
        },
        _ => format!("Этап: {stage}"),
    }
}

pub async fn list(st: &AppState, p: &Params) -> Result<Doc, Fail> {
    let updates = st.app.store().open311_updates(window(p)?, paging(p)?).await.map_err(store)?;
    let mut chains: HashMap<(Id, i64), Option<Chain>> = HashMap::new();
    let mut items = Vec::with_capacity(updates.len());
    for u in &updates {
        let key = (u.offering_id, u.chain_version);
        if let std::collections::hash_map::Entry::Vacant(e) = chains.entry(key) {
            e.insert(st.app.store().chain_version(u.offering_id, u.chain_version).await.ok());
        }
        let stage = chains
            .get(&key)
            .and_then(|c| c.as_ref())
            .and_then(|c| c.variant(&u.variant_key))
            .and_then(|v| v.stages.iter().find(|s| s.key == u.stage))
            .map(|s| s.name.clone())
            .unwrap_or_default();
        items.push(Doc::Obj(vec![
            ("update_id", Doc::str(format!("{}-{}", u.tracking_code, u.seq))),
            ("service_request_id", Doc::str(&u.tracking_code)),
            ("status", Doc::str(status(u.kind, u.outcome))),
            ("updated_datetime", Doc::str(super::w3c(u.at))),
            ("description", Doc::str(description(u.kind, u.outcome, &stage))),
            ("media_url", Doc::str("")),
        ]));
    }
    Ok(Doc::List("request_update", items))
}
