//! Per-request page context: language, low-vision mode and where we are.

use crate::i18n::Lang;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};

#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub lowvision: bool,
    /// Path and query of this page, for "come back here" links.
    pub here: String,
    pub request_id: String,
    /// The session's CSRF token, which every form carries back (`None` without a session).
    pub csrf: Option<String>,
    /// The signed-in person's e-mail, shown to them in the header.
    pub signed_in: Option<String>,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|kv| {
        let (k, v) = kv.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let lang = cookie(&parts.headers, "lang").and_then(Lang::from_code).unwrap_or(Lang::Ru);
        let lowvision = cookie(&parts.headers, "view") == Some("lowvision");
        let here = parts.uri.path_and_query().map(|p| p.as_str().to_string()).unwrap_or_else(|| "/".into());
        let request_id = parts.headers.get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
        let caller = parts.extensions.get::<crate::caller::Caller>();
        let csrf = caller.and_then(|c| c.csrf.clone());
        let signed_in = caller.and_then(|c| c.email.clone());
        Ok(Ctx { lang, lowvision, here, request_id, csrf, signed_in })
    }
}

impl Ctx {
    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }

    pub fn label(&self, family: &str, code: &str) -> &'static str {
        self.lang.label(family, code)
    }
}

/// Only local paths may be redirect targets: no open redirect through `back=`.
pub fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(b) if b.starts_with('/') && !b.starts_with("//") && !b.contains('\\') => b.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_links_stay_on_this_site() {
        assert_eq!(safe_back(Some("/offerings?kind=product")), "/offerings?kind=product");
        assert_eq!(safe_back(Some("//evil.example")), "/");
        assert_eq!(safe_back(Some("https://evil.example")), "/");
        assert_eq!(safe_back(Some("/\\evil.example")), "/");
        assert_eq!(safe_back(None), "/");
    }
}
