//! The authorisation matrix: every route, as anonymous and as each role (in the body the
//! record belongs to, in every body, in another body, and through a read-only token),
//! with the outcome each must get. A route added to the OpenAPI description without a
//! row here fails the test, so the matrix cannot fall behind the API.
//!
//! Outcomes: `A` allowed (the handler ran: 2xx, a redirect other than to sign-in, or a
//! 409/422 about the data), `U` sign in first (401, or a redirect to /login), `F`
//! forbidden (403), `N` not found (404: drafts do not exist for those who may not read them).

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_domain::org::{EmployeeInput, UnitInput};
use okno_domain::segment::SegmentInput;
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};

const PASSWORD: &str = "correct horse battery";

/// The callers, in the order of the outcome strings below.
const CALLERS: [(&str, Option<&str>, bool); 9] = [
    // e-mail, role, in the MFC body (false: in every body, or in the audit body for owner-elsewhere)
    ("admin@x.ru", Some("administrator"), false),
    ("admin-read@x.ru", Some("administrator"), false),
    ("admin-mfc@x.ru", Some("administrator"), true),
    ("owner-mfc@x.ru", Some("service_owner"), true),
    ("head-mfc@x.ru", Some("unit_head"), true),
    ("exec-mfc@x.ru", Some("executor"), true),
    ("analyst-mfc@x.ru", Some("analyst"), true),
    ("editor-mfc@x.ru", Some("communications_editor"), true),
    ("owner-audit@x.ru", Some("service_owner"), false),
];
// Column legend for every row: anonymous, then the nine callers above.
//                          anon admin read a-mfc owner head exec analyst editor owner-elsewhere
const PUBLIC: &str = "AAAAAAAAAA";
const STAFF_READ: &str = "UAAAAAAAAF";
const DRAFT: &str = "NAAAAAAAAN";
const AUDIT: &str = "UAAFFFFFFF";
const EDIT_OFFERINGS: &str = "UAFAAFFFFF";
const EDIT_STRUCTURE: &str = "UAFAFAFFFF";
const CREATE_BODY: &str = "UAFFFFFFFF";
const ERASE: &str = "UAFFFFFFFF";
const SIGNED_IN_WRITE: &str = "UAFAAAAAAA";
const SIGNED_IN: &str = "UAAAAAAAAA";
const WORK_REQUESTS: &str = "UAFAAAAFFF";
/// Editing forms: a coarse gate (may this person edit anything?) before the use case
/// checks the body, so another body's service owner sees an empty form but cannot save.
const EDIT_OFFERINGS_FORM: &str = "UAFAAAFFFA";
const EDIT_STRUCTURE_FORM: &str = "UAFAAAFFFA";
/// Offering forms check the body already when they open.
const EDIT_OFFERINGS_PRECISE_FORM: &str = "UAFAAFFFFF";

#[derive(Clone, Copy)]
enum Body {
    Empty,
    Json,
    Form,
    Csv,
    /// A small text file as multipart/form-data (`file` part): attachments.
    File,
}

struct Route {
    method: &'static str,
    /// With placeholders: {mfc}, {unit}, {seg}, {emp}, {pub}, {draft}, and {new_unit},
    /// {new_seg}, {new_emp}, {new_off}: a fresh record for each call (deletes).
    path: &'static str,
    body: Body,
    expect: &'static str,
    /// The OpenAPI path this row covers, for API routes.
    api: Option<&'static str>,
}

const fn r(method: &'static str, path: &'static str, body: Body, expect: &'static str, api: Option<&'static str>) -> Route {
    Route { method, path, body, expect, api }
}

fn routes() -> Vec<Route> {
    use Body::*;
    vec![
        // ---- API ----
        r("GET", "/api/v1/bodies", Empty, PUBLIC, Some("/api/v1/bodies")),
        r("POST", "/api/v1/bodies", Json, CREATE_BODY, Some("/api/v1/bodies")),
        r("GET", "/api/v1/bodies/{mfc}", Empty, PUBLIC, Some("/api/v1/bodies/{id}")),
        r("PUT", "/api/v1/bodies/{mfc}", Json, EDIT_STRUCTURE, Some("/api/v1/bodies/{id}")),
        r("GET", "/api/v1/bodies/{mfc}/calendar", Empty, PUBLIC, Some("/api/v1/bodies/{id}/calendar")),
        r("PUT", "/api/v1/bodies/{mfc}/calendar", Json, EDIT_STRUCTURE, Some("/api/v1/bodies/{id}/calendar")),
        r("GET", "/api/v1/calendar/russia", Empty, PUBLIC, Some("/api/v1/calendar/russia")),
        r("GET", "/api/v1/bodies/{mfc}/catalogue?format=csv", Empty, EDIT_OFFERINGS, Some("/api/v1/bodies/{id}/catalogue")),
        r("POST", "/api/v1/bodies/{mfc}/catalogue?format=csv", Csv, EDIT_OFFERINGS, Some("/api/v1/bodies/{id}/catalogue")),
        r("GET", "/api/v1/units?body={mfc}", Empty, PUBLIC, Some("/api/v1/units")),
        r("POST", "/api/v1/units", Json, EDIT_STRUCTURE, Some("/api/v1/units")),
        r("GET", "/api/v1/units/{unit}", Empty, PUBLIC, Some("/api/v1/units/{id}")),
        r("PUT", "/api/v1/units/{unit}", Json, EDIT_STRUCTURE, Some("/api/v1/units/{id}")),
        r("DELETE", "/api/v1/units/{new_unit}", Empty, EDIT_STRUCTURE, Some("/api/v1/units/{id}")),
        r("GET", "/api/v1/employees?body={mfc}", Empty, STAFF_READ, Some("/api/v1/employees")),
        r("POST", "/api/v1/employees", Json, EDIT_STRUCTURE, Some("/api/v1/employees")),
        r("GET", "/api/v1/employees/{emp}", Empty, STAFF_READ, Some("/api/v1/employees/{id}")),
        r("PUT", "/api/v1/employees/{emp}", Json, EDIT_STRUCTURE, Some("/api/v1/employees/{id}")),
        r("DELETE", "/api/v1/employees/{new_emp}", Empty, EDIT_STRUCTURE, Some("/api/v1/employees/{id}")),
        r("GET", "/api/v1/segments?body={mfc}", Empty, PUBLIC, Some("/api/v1/segments")),
        r("POST", "/api/v1/segments", Json, EDIT_OFFERINGS, Some("/api/v1/segments")),
        r("GET", "/api/v1/segments/{seg}", Empty, PUBLIC, Some("/api/v1/segments/{id}")),
        r("PUT", "/api/v1/segments/{seg}", Json, EDIT_OFFERINGS, Some("/api/v1/segments/{id}")),
        r("DELETE", "/api/v1/segments/{new_seg}", Empty, EDIT_OFFERINGS, Some("/api/v1/segments/{id}")),
        r("GET", "/api/v1/offerings?body={mfc}", Empty, PUBLIC, Some("/api/v1/offerings")),
        r("POST", "/api/v1/offerings", Json, EDIT_OFFERINGS, Some("/api/v1/offerings")),
        r("GET", "/api/v1/offerings/{pub}", Empty, PUBLIC, Some("/api/v1/offerings/{id}")),
        r("GET", "/api/v1/offerings/{draft}", Empty, DRAFT, Some("/api/v1/offerings/{id}")),
        r("PUT", "/api/v1/offerings/{draft}", Json, EDIT_OFFERINGS, Some("/api/v1/offerings/{id}")),
        r("DELETE", "/api/v1/offerings/{new_off}", Empty, EDIT_OFFERINGS, Some("/api/v1/offerings/{id}")),
        r("GET", "/api/v1/client-map?body={mfc}", Empty, PUBLIC, Some("/api/v1/client-map")),
        r("GET", "/api/v1/audit", Empty, AUDIT, Some("/api/v1/audit")),
        r("GET", "/api/v1/audit/verify", Empty, AUDIT, Some("/api/v1/audit/verify")),
        r("GET", "/api/v1/personal-data?email=someone@x.ru", Empty, AUDIT, Some("/api/v1/personal-data")),
        r("POST", "/api/v1/personal-data/erase", Json, ERASE, Some("/api/v1/personal-data/erase")),
        r("POST", "/api/v1/account/password", Json, SIGNED_IN_WRITE, Some("/api/v1/account/password")),
        r("POST", "/api/v1/clarity", Json, PUBLIC, Some("/api/v1/clarity")),
        r("GET", "/api/v1/clarity/responses?body={mfc}", Empty, STAFF_READ, Some("/api/v1/clarity/responses")),
        r("GET", "/api/v1/offerings/{pub}/chain", Empty, PUBLIC, Some("/api/v1/offerings/{id}/chain")),
        r("PUT", "/api/v1/offerings/{pub}/chain", Json, EDIT_OFFERINGS, Some("/api/v1/offerings/{id}/chain")),
        r(
            "GET",
            "/api/v1/offerings/{pub}/stage-metrics?from=2026-01-01&to=2026-12-31",
            Empty,
            STAFF_READ,
            Some("/api/v1/offerings/{id}/stage-metrics"),
        ),
        r("GET", "/api/v1/bodies/{mfc}/overview", Empty, STAFF_READ, Some("/api/v1/bodies/{id}/overview")),
        r("GET", "/api/v1/offerings/{pub}/kpis", Empty, STAFF_READ, Some("/api/v1/offerings/{id}/kpis")),
        r("GET", "/api/v1/offerings/{pub}/costs", Empty, STAFF_READ, Some("/api/v1/offerings/{id}/costs")),
        r("POST", "/api/v1/offerings/{pub}/costs", Json, EDIT_OFFERINGS, Some("/api/v1/offerings/{id}/costs")),
        // No such entry: those who may edit learn it does not exist, the rest are refused.
        r("DELETE", "/api/v1/offerings/{pub}/costs/{missing}", Empty, "UNFNNFFFFF", Some("/api/v1/offerings/{id}/costs/{cost}")),
        r("GET", "/api/v1/transparency", Empty, PUBLIC, Some("/api/v1/transparency")),
        r("GET", "/api/v1/requests?body={mfc}", Empty, STAFF_READ, Some("/api/v1/requests")),
        r("POST", "/api/v1/requests", Json, PUBLIC, Some("/api/v1/requests")),
        r("GET", "/api/v1/requests/{req}", Empty, STAFF_READ, Some("/api/v1/requests/{id}")),
        r("POST", "/api/v1/requests/{new_req}/moves", Json, WORK_REQUESTS, Some("/api/v1/requests/{id}/moves")),
        r("GET", "/api/v1/status/{code}", Empty, PUBLIC, Some("/api/v1/status/{code}")),
        r("POST", "/api/v1/status/{code}/answer", Json, PUBLIC, Some("/api/v1/status/{code}/answer")),
        // Files on requests: {att} is one file on {req} that the body shows the client.
        r("POST", "/api/v1/requests/{new_req}/attachments", File, WORK_REQUESTS, Some("/api/v1/requests/{id}/attachments")),
        r("GET", "/api/v1/requests/{req}/attachments", Empty, STAFF_READ, Some("/api/v1/requests/{id}/attachments")),
        r("GET", "/api/v1/requests/{req}/attachments/{att}", Empty, STAFF_READ, Some("/api/v1/requests/{id}/attachments/{aid}")),
        r("GET", "/api/v1/status/{code}/attachments", Empty, PUBLIC, Some("/api/v1/status/{code}/attachments")),
        r("GET", "/api/v1/status/{code}/attachments/{att}", Empty, PUBLIC, Some("/api/v1/status/{code}/attachments/{aid}")),
        r("POST", "/api/v1/status/{code}/attachments", File, PUBLIC, Some("/api/v1/status/{code}/attachments")),
        // Client feedback: ratings by code, a request's ratings for its body, follow-ups.
        r("POST", "/api/v1/status/{code}/ratings", Json, PUBLIC, Some("/api/v1/status/{code}/ratings")),
        r("PUT", "/api/v1/status/{code}/ratings", Json, PUBLIC, Some("/api/v1/status/{code}/ratings")),
        r("GET", "/api/v1/requests/{req}/ratings", Empty, STAFF_READ, Some("/api/v1/requests/{id}/ratings")),
        r("GET", "/api/v1/followups?body={mfc}", Empty, STAFF_READ, Some("/api/v1/followups")),
        r("POST", "/api/v1/followups/{req}/close", Json, EDIT_OFFERINGS, Some("/api/v1/followups/{request_id}/close")),
        // ---- pages ----
        r("GET", "/clarity", Empty, PUBLIC, None),
        r("GET", "/requests?body={mfc}", Empty, STAFF_READ, None),
        r("GET", "/requests/{req}", Empty, STAFF_READ, None),
        r("POST", "/requests/{new_req}/move", Form, WORK_REQUESTS, None),
        r("GET", "/requests/new?body={mfc}&offering={pub}", Empty, WORK_REQUESTS, None),
        r("POST", "/requests/new?body={mfc}&offering={pub}", Form, WORK_REQUESTS, None),
        r("GET", "/requests/clarity?body={mfc}", Empty, STAFF_READ, None),
        r("GET", "/offerings/{pub}/apply", Empty, PUBLIC, None),
        r("POST", "/offerings/{pub}/apply", Form, PUBLIC, None),
        r("GET", "/status", Empty, PUBLIC, None),
        r("GET", "/status/{code}", Empty, PUBLIC, None),
        r("POST", "/status/{code}/answer", Form, PUBLIC, None),
        r("POST", "/requests/{new_req}/attachments", File, WORK_REQUESTS, None),
        r("GET", "/requests/{req}/attachments/{att}", Empty, STAFF_READ, None),
        r("GET", "/status/{code}/attachments/{att}", Empty, PUBLIC, None),
        r("POST", "/status/{code}/attachments", File, PUBLIC, None),
        r("GET", "/status/{code}/rating", Empty, PUBLIC, None),
        r("POST", "/status/{code}/rating", Form, PUBLIC, None),
        // An unknown one-time link is a clear 404 page for everyone.
        r("GET", "/feedback/0123abcd", Empty, "NNNNNNNNNN", None),
        r("POST", "/feedback/0123abcd", Form, "NNNNNNNNNN", None),
        r("GET", "/followups?body={mfc}", Empty, STAFF_READ, None),
        r("POST", "/followups/{req}/close", Form, EDIT_OFFERINGS, None),
        r("GET", "/analytics?body={mfc}", Empty, STAFF_READ, None),
        r("GET", "/offerings/{pub}/metrics", Empty, STAFF_READ, None),
        r("POST", "/offerings/{pub}/costs", Form, EDIT_OFFERINGS, None),
        r("POST", "/offerings/{pub}/costs/{missing}/delete", Form, "UNFNNFFFFF", None),
        r("GET", "/transparency", Empty, PUBLIC, None),
        r("GET", "/", Empty, PUBLIC, None),
        r("GET", "/offerings?body={mfc}", Empty, PUBLIC, None),
        r("GET", "/offerings/{pub}", Empty, PUBLIC, None),
        r("GET", "/offerings/{draft}", Empty, DRAFT, None),
        r("GET", "/offerings/new?body={mfc}", Empty, EDIT_OFFERINGS_PRECISE_FORM, None),
        r("POST", "/offerings/new?body={mfc}", Form, EDIT_OFFERINGS, None),
        r("GET", "/offerings/{pub}/edit", Empty, EDIT_OFFERINGS_PRECISE_FORM, None),
        r("POST", "/offerings/{pub}/edit", Form, EDIT_OFFERINGS, None),
        r("GET", "/offerings/{pub}/chain", Empty, PUBLIC, None),
        r("GET", "/offerings/{draft}/chain", Empty, DRAFT, None),
        r("GET", "/offerings/{pub}/chain/edit", Empty, EDIT_OFFERINGS_PRECISE_FORM, None),
        r("POST", "/offerings/{pub}/chain/edit", Form, EDIT_OFFERINGS, None),
        r("GET", "/offerings/{pub}/delete", Empty, EDIT_OFFERINGS_FORM, None),
        // The fresh offering is a draft: it does not exist for another body's staff.
        r("POST", "/offerings/{new_off}/delete", Form, "UAFAAFFFFN", None),
        r("GET", "/segments?body={mfc}", Empty, PUBLIC, None),
        r("GET", "/segments/{seg}", Empty, PUBLIC, None),
        r("GET", "/segments/new?body={mfc}", Empty, EDIT_OFFERINGS_FORM, None),
        r("POST", "/segments/new?body={mfc}", Form, EDIT_OFFERINGS, None),
        r("GET", "/segments/{seg}/edit", Empty, EDIT_OFFERINGS_FORM, None),
        r("POST", "/segments/{seg}/edit", Form, EDIT_OFFERINGS, None),
        r("GET", "/segments/{seg}/delete", Empty, EDIT_OFFERINGS_FORM, None),
        r("POST", "/segments/{new_seg}/delete", Form, EDIT_OFFERINGS, None),
        r("GET", "/units", Empty, PUBLIC, None),
        r("GET", "/units/{unit}", Empty, PUBLIC, None),
        r("GET", "/units/new?body={mfc}", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/units/new?body={mfc}", Form, EDIT_STRUCTURE, None),
        r("GET", "/units/{unit}/edit", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/units/{unit}/edit", Form, EDIT_STRUCTURE, None),
        r("GET", "/units/{unit}/delete", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/units/{new_unit}/delete", Form, EDIT_STRUCTURE, None),
        r("GET", "/employees/new?unit={unit}", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/employees/new", Form, EDIT_STRUCTURE, None),
        // The coarse gate, then the employee record: staff of the body only.
        r("GET", "/employees/{emp}/edit", Empty, "UAFAAAFFFF", None),
        r("POST", "/employees/{emp}/edit", Form, EDIT_STRUCTURE, None),
        r("POST", "/employees/{new_emp}/delete", Form, EDIT_STRUCTURE, None),
        r("GET", "/bodies/{mfc}", Empty, PUBLIC, None),
        r("GET", "/bodies/new", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/bodies/new", Form, CREATE_BODY, None),
        r("GET", "/bodies/{mfc}/edit", Empty, EDIT_STRUCTURE_FORM, None),
        r("POST", "/bodies/{mfc}/edit", Form, EDIT_STRUCTURE, None),
        r("GET", "/bodies/{mfc}/calendar", Empty, PUBLIC, None),
        // The calendar form checks the body when it opens: no form for a post that would fail.
        r("GET", "/bodies/{mfc}/calendar/edit", Empty, EDIT_STRUCTURE, None),
        r("POST", "/bodies/{mfc}/calendar/edit", Form, EDIT_STRUCTURE, None),
        r("GET", "/client-map?body={mfc}", Empty, PUBLIC, None),
        r("GET", "/transfer?body={mfc}", Empty, EDIT_OFFERINGS, None),
        r("GET", "/bodies/{mfc}/catalogue.csv", Empty, EDIT_OFFERINGS, None),
        r("GET", "/bodies/{mfc}/catalogue.xlsx", Empty, EDIT_OFFERINGS, None),
        r("GET", "/audit", Empty, AUDIT, None),
        r("GET", "/admin/personal-data", Empty, AUDIT, None),
        r("GET", "/admin/personal-data?email=someone@x.ru", Empty, AUDIT, None),
        r("GET", "/admin/personal-data/export.json?email=someone@x.ru", Empty, AUDIT, None),
        r("POST", "/admin/personal-data/erase", Form, ERASE, None),
        r("GET", "/account/password", Empty, SIGNED_IN, None),
        r("POST", "/account/password", Form, SIGNED_IN_WRITE, None),
        r("GET", "/login", Empty, PUBLIC, None),
    ]
}

struct World {
    mfc: Id,
    audit_body: Id,
    unit: Id,
    seg: Id,
    emp: Id,
    published: Id,
    draft: Id,
    request: Id,
    code: String,
    n: AtomicUsize,
}

impl World {
    fn next(&self) -> usize {
        self.n.fetch_add(1, Ordering::Relaxed)
    }

    async fn fresh(&self, t: &TestApp, what: &str) -> Id {
        let sys = Actor::system();
        let i = self.next();
        match what {
            "unit" => t
                .app
                .create_unit(
                    &sys,
                    &UnitInput { body_id: Some(self.mfc), parent_id: None, name: format!("Отдел {i}"), description: String::new() },
                )
                .await
                .unwrap(),
            "seg" => t
                .app
                .create_segment(
                    &sys,
                    &SegmentInput {
                        body_id: Some(self.mfc),
                        name: format!("Категория {i}"),
                        side: "external".into(),
                        description: String::new(),
                    },
                )
                .await
                .unwrap(),
            "emp" => t
                .app
                .create_employee(
                    &sys,
                    &EmployeeInput {
                        unit_id: Some(self.unit), full_name: format!("Сотрудник {i}"), position: String::new(), email: None
                    },
                )
                .await
                .unwrap(),
            _ => {
                let input = okno_domain::offering::OfferingInput {
                    body_id: Some(self.mfc),
                    name: format!("Услуга {i}"),
                    kind: "service".into(),
                    service_kind: Some("other".into()),
                    owner_unit_id: Some(self.unit),
                    ..Default::default()
                };
                t.app.create_offering(&sys, &input).await.unwrap()
            }
        }
    }

    async fn new_request(&self, t: &TestApp) -> okno_app::requests::RequestRecord {
        let input = okno_app::requests::NewRequest {
            offering_id: Some(self.published),
            client_name: "Иванова Мария".into(),
            client_email: Some("maria@example.ru".into()),
            subject: "Проверка матрицы".into(),
            ..Default::default()
        };
        t.app.create_request(&Actor::system(), &input).await.unwrap()
    }

    async fn path(&self, t: &TestApp, template: &str) -> String {
        let mut p = template
            .replace("{mfc}", &self.mfc.to_string())
            .replace("{unit}", &self.unit.to_string())
            .replace("{seg}", &self.seg.to_string())
            .replace("{emp}", &self.emp.to_string())
            .replace("{pub}", &self.published.to_string())
            .replace("{draft}", &self.draft.to_string())
            .replace("{req}", &self.request.to_string())
            .replace("{code}", &self.code)
            .replace("{missing}", &okno_domain::Id::new().to_string());
        if p.contains("{att}") {
            // One file on the first request, shown to the client: made on first use.
            let sys = Actor::system();
            let files = t.app.attachments(&sys, self.request).await.unwrap();
            let id = match files.iter().find(|f| f.client_visible) {
                Some(f) => f.id,
                None => t.app.attach(&sys, self.request, "matrix.txt", b"matrix", true).await.unwrap().id,
            };
            p = p.replace("{att}", &id.to_string());
        }
        if p.contains("{new_req}") {
            p = p.replace("{new_req}", &self.new_request(t).await.id.to_string());
        }
        for (ph, what) in [("{new_unit}", "unit"), ("{new_seg}", "seg"), ("{new_emp}", "emp"), ("{new_off}", "off")] {
            if p.contains(ph) {
                p = p.replace(ph, &self.fresh(t, what).await.to_string());
            }
        }
        p
    }

    /// A body for the route: valid where that is easy, so that an allowed call is seen
    /// to get past authorisation (a 422 counts as allowed, a 403 never does).
    async fn body(&self, t: &TestApp, route: &Route) -> (Option<Value>, Vec<(String, String)>) {
        let i = self.next();
        let (mfc, unit) = (self.mfc.to_string(), self.unit.to_string());
        let json = match route.path {
            "/api/v1/bodies" => json!({"name": format!("Орган {i}")}),
            "/api/v1/bodies/{mfc}" => json!({"name": "МФЦ городского округа (демо)", "short_name": "МФЦ"}),
            "/api/v1/units" => json!({"body_id": mfc, "name": format!("Отдел {i}")}),
            "/api/v1/units/{unit}" => json!({"name": "Отдел приёма"}),
            "/api/v1/employees" => json!({"unit_id": unit, "full_name": format!("Иванов {i}")}),
            "/api/v1/employees/{emp}" => json!({"unit_id": unit, "full_name": "Петров Пётр"}),
            "/api/v1/segments" => json!({"body_id": mfc, "name": format!("Категория {i}"), "side": "external"}),
            "/api/v1/segments/{seg}" => json!({"name": format!("Категория {i}"), "side": "external"}),
            "/api/v1/offerings" | "/api/v1/offerings/{draft}" => {
                json!({"body_id": mfc, "name": format!("Услуга {i}"), "kind": "service", "service_kind": "other", "owner_unit_id": unit})
            }
            "/api/v1/personal-data/erase" => {
                // A fresh person each time, so an allowed erasure has something to erase.
                let email = format!("person{i}@x.ru");
                let input = EmployeeInput {
                    unit_id: Some(self.unit),
                    full_name: format!("Человек {i}"),
                    position: String::new(),
                    email: Some(email.clone()),
                };
                t.app.create_employee(&Actor::system(), &input).await.unwrap();
                json!({"email": email})
            }
            // Right current password, too short a new one: gets past authorisation to a 422
            // and changes nothing, whoever calls.
            "/api/v1/account/password" => json!({"current_password": PASSWORD, "new_password": "short"}),
            "/api/v1/clarity" => json!({"text": "В целях рассмотрения обращения было принято решение."}),
            "/api/v1/offerings/{pub}/chain" => {
                serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, self.unit)).unwrap()
            }
            "/api/v1/requests" => {
                json!({"offering_id": self.published, "client_name": "Петров Пётр", "client_phone": "+7 900 000-00-00", "subject": "Вопрос"})
            }
            "/api/v1/requests/{new_req}/moves" => json!({"move": "complete"}),
            "/api/v1/status/{code}/answer" => json!({"answer": "Ответ"}),
            _ => json!({}),
        };
        let form: Vec<(String, String)> = match route.path {
            "/admin/personal-data/erase" => {
                let email = format!("person{i}@x.ru");
                let input = EmployeeInput {
                    unit_id: Some(self.unit),
                    full_name: format!("Человек {i}"),
                    position: String::new(),
                    email: Some(email.clone()),
                };
                t.app.create_employee(&Actor::system(), &input).await.unwrap();
                vec![("email".into(), email), ("confirm".into(), "yes".into())]
            }
            "/account/password" => vec![
                ("current_password".into(), PASSWORD.into()),
                ("new_password".into(), "short".into()),
                ("confirm_password".into(), "short".into()),
            ],
            "/units/new?body={mfc}" => vec![("body_id".into(), mfc.clone()), ("name".into(), format!("Отдел {i}"))],
            "/requests/{new_req}/move" => vec![("move".into(), "complete".into())],
            "/employees/new" => vec![("unit_id".into(), unit.clone()), ("full_name".into(), format!("Иванов {i}"))],
            _ => vec![("name".into(), format!("Запись {i}"))],
        };
        (Some(json), form)
    }
}

fn outcome(status: u16, location: Option<&str>) -> char {
    match status {
        401 => 'U',
        303 | 302 if location.is_some_and(|l| l.starts_with("/login")) => 'U',
        403 => 'F',
        404 => 'N',
        _ => 'A',
    }
}

both_backends!(every_route_as_every_role, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let mfc: Id = t.body_id("МФЦ городского округа (демо)").await.parse().unwrap();
    let audit_body: Id = t.body_id("Контрольно-счётная палата (демо)").await.parse().unwrap();
    let sys = Actor::system();
    let unit = t.app.list_units(mfc).await.unwrap()[0].id;
    let seg = t.app.list_segments(mfc).await.unwrap()[0].id;
    let emp = t.app.list_employees(&sys, mfc).await.unwrap()[0].id;
    let offerings = t.app.store().all_offerings(mfc).await.unwrap();
    let published = offerings.iter().find(|o| o.status == okno_domain::offering::Status::Published).unwrap().id;
    t.app.save_chain(&sys, published, &okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit)).await.unwrap();
    let w = World {
        mfc,
        audit_body,
        unit,
        seg,
        emp,
        published,
        draft: Id::new(),
        request: Id::new(),
        code: String::new(),
        n: AtomicUsize::new(0),
    };
    let draft = w.fresh(&t, "off").await;
    let first = w.new_request(&t).await;
    let w = World { draft, request: first.id, code: first.tracking_code, ..w };

    let mut tokens: Vec<Option<String>> = vec![None];
    for (i, (email, role, in_mfc)) in CALLERS.iter().enumerate() {
        let body = match (in_mfc, i) {
            (true, _) => Some(w.mfc),
            (false, 8) => Some(w.audit_body),
            _ => None,
        };
        t.app.create_user(&sys, email, role.unwrap(), body, PASSWORD).await.unwrap();
        let scope = if *email == "admin-read@x.ru" { "read" } else { "write" };
        tokens.push(Some(t.app.issue_token(&sys, email, scope, "matrix").await.unwrap().token));
    }

    let routes = routes();
    let mut failures = Vec::new();
    for route in &routes {
        assert_eq!(route.expect.len(), tokens.len(), "{} {}: one outcome per caller", route.method, route.path);
        for (who, token) in tokens.iter().enumerate() {
            let path = w.path(&t, route.path).await;
            let (json, form) = w.body(&t, route).await;
            let mut req = match route.method {
                "GET" => t.client.get(t.url(&path)),
                "POST" => t.client.post(t.url(&path)),
                "PUT" => t.client.put(t.url(&path)),
                "DELETE" => t.client.delete(t.url(&path)),
                m => panic!("method {m}"),
            };
            req = match route.body {
                Body::Empty => req,
                Body::Json => req.json(&json.unwrap()),
                Body::Form => req.form(&form),
                Body::Csv => req.header("content-type", "text/csv").body("Название\n"),
                Body::File => req.multipart(
                    reqwest::multipart::Form::new()
                        .part("file", reqwest::multipart::Part::bytes(b"matrix".to_vec()).file_name("matrix.txt")),
                ),
            };
            if let Some(tok) = token {
                req = req.bearer_auth(tok);
            }
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            let location = resp.headers().get("location").and_then(|l| l.to_str().ok()).map(str::to_string);
            let got = outcome(status, location.as_deref());
            let want = route.expect.as_bytes()[who] as char;
            if got != want {
                let caller = if who == 0 { "anonymous" } else { CALLERS[who - 1].0 };
                failures.push(format!("{} {} as {caller}: want {want}, got {got} ({status})", route.method, route.path));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} calls disagree with the matrix:\n{}",
        failures.len(),
        routes.len() * tokens.len(),
        failures.join("\n")
    );

    // Every operation the API describes has a row.
    let doc = t.get_json("/api/openapi.json").await;
    let covered: BTreeSet<(String, String)> =
        routes.iter().filter_map(|r| r.api.map(|p| (r.method.to_lowercase(), p.to_string()))).collect();
    let mut missing = Vec::new();
    for (path, ops) in doc["paths"].as_object().unwrap() {
        for method in ops.as_object().unwrap().keys() {
            if !covered.contains(&(method.clone(), path.clone())) {
                missing.push(format!("{method} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "API operations without a row in the matrix: {missing:?}");
});
