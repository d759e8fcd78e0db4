//! Who is calling: resolved once per request, before any handler runs, from an API
//! token (`Authorization: Bearer …`) or the session cookie; and the CSRF check for
//! requests that a browser makes on a session's behalf.

use crate::error::{ApiError, ErrorBody};
use crate::pages::ctx::cookie;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use okno_app::Actor;

pub const SESSION_COOKIE: &str = "okno_session";

/// The resolved caller, kept in the request's extensions.
#[derive(Clone, Debug)]
pub struct Caller {
    pub actor: Actor,
    /// Present for a browser session: what its forms must carry back.
    pub csrf: Option<String>,
    /// The raw session id, to end it on sign-out.
    pub session: Option<String>,
    /// The signed-in person's address, shown to them in the header.
    pub email: Option<String>,
}

fn unauthorized(code: &str, message: &str) -> Response {
    let mut r =
        ApiError { status: StatusCode::UNAUTHORIZED, body: ErrorBody { code: code.into(), message: message.into(), fields: vec![] } }
            .into_response();
    r.headers_mut().insert(header::WWW_AUTHENTICATE, "Bearer".parse().expect("ascii"));
    r
}

fn internal(e: okno_app::AppError) -> Response {
    ApiError::from(e).into_response()
}

pub async fn identify(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let mut caller = Caller { actor: Actor::anonymous(), csrf: None, session: None, email: None };
    let bearer = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_string);
    if let Some(token) = bearer {
        match st.app.token(&token).await {
            Ok(Some(t)) => {
                caller.actor = t.actor();
                caller.email = Some(t.email);
            }
            // A wrong token is an error, not a quiet fall-back to anonymous.
            Ok(None) => return unauthorized("invalid_token", "the API token is unknown or revoked"),
            Err(e) => return internal(e),
        }
    } else if let Some(sid) = cookie(req.headers(), SESSION_COOKIE).map(str::to_string) {
        match st.app.session(&sid).await {
            Ok(Some(s)) => {
                caller.actor = s.actor();
                caller.csrf = Some(s.csrf_token.clone());
                caller.email = Some(s.email.clone());
                caller.session = Some(sid);
            }
            Ok(None) => {}
            Err(e) => return internal(e),
        }
    }
    if caller.actor == Actor::anonymous() {
        match st.accounts_exist().await {
            Ok(false) => caller.actor = Actor::open(),
            Ok(true) => {}
            Err(e) => return internal(e),
        }
    }
    caller.actor.request_id = req.headers().get("x-request-id").and_then(|v| v.to_str().ok()).map(str::to_string);
    caller.actor.ip = req.extensions().get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());

    let unsafe_method = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let req = match (&caller.csrf, unsafe_method) {
        (Some(expected), true) => match check_csrf(req, expected).await {
            Ok(req) => req,
            Err(resp) => return resp,
        },
        _ => req,
    };
    let mut req = req;
    req.extensions_mut().insert(caller);
    next.run(req).await
}

/// A browser session's unsafe request must carry the session's token: in the
/// `x-csrf-token` header, the `_csrf` query parameter (multipart uploads), or the `_csrf`
/// field of a urlencoded form. Anything else is refused before a handler runs.
async fn check_csrf(req: Request, expected: &str) -> Result<Request, Response> {
    let matches = |v: &str| okno_app::csrf_equal(v, expected);
    if req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()).is_some_and(matches) {
        return Ok(req);
    }
    if let Some(q) = req.uri().query() {
        if form_urlencoded::parse(q.as_bytes()).any(|(k, v)| k == "_csrf" && matches(&v)) {
            return Ok(req);
        }
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if is_form {
        let (parts, body) = req.into_parts();
        let bytes = match axum::body::to_bytes(body, crate::server::BODY_LIMIT).await {
            Ok(b) => b,
            Err(_) => return Err((StatusCode::PAYLOAD_TOO_LARGE, "request body too large\n").into_response()),
        };
        if form_urlencoded::parse(&bytes).any(|(k, v)| k == "_csrf" && matches(&v)) {
            return Ok(Request::from_parts(parts, Body::from(bytes)));
        }
    }
    Err(csrf_refused())
}

fn csrf_refused() -> Response {
    let body = ErrorBody {
        code: "csrf".into(),
        message: "the form's security token is missing or out of date; go back, reload the page and send it again".into(),
        fields: vec![],
    };
    (StatusCode::FORBIDDEN, axum::Json(body)).into_response()
}
