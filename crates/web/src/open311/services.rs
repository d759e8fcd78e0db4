//! Discovery, the service list (published offerings that take requests: they have a
//! delivery chain) and service definitions (the request form's fields as attributes).

use super::doc::Doc;
use super::doc::Format;
use super::{bad_format, store, Fail};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use okno_domain::chain::FieldKind;
use okno_domain::Id;

/// When this endpoint's behaviour last changed (the spec's `changeset`).
const CHANGESET: &str = "2026-01-20T00:00:00+03:00";
const SPECIFICATION: &str = "http://wiki.open311.org/GeoReport_v2";

pub fn discovery(st: &AppState, headers: &HeaderMap) -> Doc {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let scheme = if st.secure_cookies { "https" } else { "http" };
    Doc::Obj(vec![
        ("changeset", Doc::str(CHANGESET)),
        ("contact", Doc::str("Окно: обращения в орган через Open311 GeoReport v2. Вопросы — администратору этого сервера.")),
        ("key_service", Doc::str("api_key — API-токен учётной записи; его выдаёт администратор командой `okno admin token --email …`.")),
        (
            "endpoints",
            Doc::List(
                "endpoint",
                vec![Doc::Obj(vec![
                    ("specification", Doc::str(SPECIFICATION)),
                    ("url", Doc::str(format!("{scheme}://{host}/open311/v2"))),
                    ("changeset", Doc::str(CHANGESET)),
                    ("type", Doc::str("production")),
                    ("formats", Doc::List("format", vec![Doc::str("text/xml"), Doc::str("application/json")])),
                ])],
            ),
        ),
    ])
}

/// The list of services: every published offering with a chain, across bodies.
pub async fn list(st: &AppState) -> Result<Doc, Fail> {
    let services = st.app.store().open311_services().await.map_err(store)?;
    let items = services
        .iter()
        .map(|s| {
            let mut keywords = vec![Lang::Ru.label("kind", &s.kind).to_string()];
            if let Some(sub) = &s.subkind {
                let family = if s.kind == "product" { "product_type" } else { "service_kind" };
                keywords.push(Lang::Ru.label(family, sub).to_string());
            }
            Doc::Obj(vec![
                ("service_code", Doc::str(s.id.to_string())),
                ("service_name", Doc::str(&s.name)),
                ("description", Doc::str(&s.description)),
                // Every service has a definition: at least the required `subject`.
                ("metadata", Doc::Bool(true)),
                ("type", Doc::str("realtime")),
                ("keywords", Doc::str(keywords.join(", "))),
                ("group", Doc::str(&s.body_name)),
            ])
        })
        .collect();
    Ok(Doc::List("service", items))
}

/// A service that takes requests, as the other resources need it.
pub struct Service {
    pub id: Id,
    pub name: String,
    pub body_name: String,
}

/// Every service that takes requests, by offering id.
pub async fn all(st: &AppState) -> Result<std::collections::HashMap<Id, Service>, Fail> {
    let services = st.app.store().open311_services().await.map_err(store)?;
    Ok(services.into_iter().map(|s| (s.id, Service { id: s.id, name: s.name, body_name: s.body_name })).collect())
}

/// A service that takes requests, by its code; a 404 otherwise.
pub async fn find(st: &AppState, code: &str) -> Result<Service, Fail> {
    let unknown = || Fail::not_found(format!("service_code {code} was not found"));
    let id: Id = code.parse().map_err(|_| unknown())?;
    all(st).await?.remove(&id).ok_or_else(unknown)
}

/// The attributes every request form has, before the offering's own fields. The contact
/// attributes are alternatives to the spec's own `first_name`/`last_name`/`email`/`phone`
/// arguments.
pub const ATTRIBUTES: &[(&str, &str, bool, &str)] = &[
    ("subject", "text", true, "Суть обращения: что случилось и что вы просите сделать"),
    ("client_name", "string", false, "Как к вам обращаться (если не переданы first_name и last_name)"),
    ("client_email", "string", false, "Электронная почта для ответа (если не передан email)"),
    ("client_phone", "string", false, "Телефон для ответа (если не передан phone)"),
    ("client_address", "string", false, "Почтовый адрес для ответа. Нужен хотя бы один способ связи: почта, телефон или адрес"),
];

pub async fn definition(State(st): State<AppState>, Path(file): Path<String>) -> Response {
    let Some((code, format)) = Format::split(&file) else {
        return bad_format();
    };
    let result = async {
        let s = find(&st, code).await?;
        let form = st.app.chain(&okno_app::Actor::anonymous(), s.id).await?.map(|(_, c)| c.form).unwrap_or_default();
        let common =
            ATTRIBUTES.iter().map(|(code, datatype, required, description)| Doc::Obj(attribute(code, datatype, *required, description)));
        let own = form.iter().map(|f| {
            let (datatype, values) = match f.kind {
                FieldKind::Text => ("string", None),
                FieldKind::LongText => ("text", None),
                FieldKind::Number => ("number", None),
                FieldKind::Date => ("datetime", None),
                FieldKind::Choice => ("singlevaluelist", Some(f.options.iter().map(|o| (o.as_str(), o.as_str())).collect::<Vec<_>>())),
                FieldKind::Checkbox => ("singlevaluelist", Some(vec![("true", "Да"), ("false", "Нет")])),
            };
            let description = if f.hint.is_empty() { f.label.clone() } else { format!("{}. {}", f.label, f.hint) };
            let mut a = attribute(&f.key, datatype, f.required, &description);
            if let Some(values) = values {
                let values = values.into_iter().map(|(k, n)| Doc::Obj(vec![("key", Doc::str(k)), ("name", Doc::str(n))])).collect();
                a.push(("values", Doc::List("value", values)));
            }
            Doc::Obj(a)
        });
        let attributes = common
            .chain(own)
            .enumerate()
            .map(|(i, a)| match a {
                Doc::Obj(mut fields) => {
                    fields.insert(5, ("order", Doc::Int(i as i64 + 1)));
                    Doc::Obj(fields)
                }
                other => other,
            })
            .collect();
        Ok(Doc::Obj(vec![("service_code", Doc::str(s.id.to_string())), ("attributes", Doc::List("attribute", attributes))]))
    }
    .await;
    super::answer(format, "service_definition", result)
}

/// One attribute of a definition, without its `order`, which depends on its place.
fn attribute(code: &str, datatype: &str, required: bool, description: &str) -> Vec<(&'static str, Doc)> {
    vec![
        ("variable", Doc::Bool(true)),
        ("code", Doc::str(code)),
        ("datatype", Doc::str(datatype)),
        ("required", Doc::Bool(required)),
        ("datatype_description", Doc::Null),
        ("description", Doc::str(description)),
    ]
}
