//! The page frame: skip link, header with language and low-vision switches, breadcrumbs,
//! one `h1`, footer. GOV.UK's patterns, our own markup.

use super::ctx::Ctx;
use maud::{html, Markup, PreEscaped, DOCTYPE};

pub struct Crumb {
    pub href: String,
    pub label: String,
}

pub fn crumb(href: impl Into<String>, label: impl Into<String>) -> Crumb {
    Crumb { href: href.into(), label: label.into() }
}

fn urlencode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

pub fn page(ctx: &Ctx, title: &str, crumbs: &[Crumb], content: Markup) -> Markup {
    let back = urlencode(&ctx.here);
    let other = ctx.lang.other();
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) class=[ctx.lowvision.then_some("lowvision")] {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " — " (ctx.t("site.name")) }
                link rel="stylesheet" href="/assets/style.css";
                link rel="icon" href="/assets/favicon.svg" type="image/svg+xml";
                script src="/assets/okno.js" defer {}
            }
            body class=[ctx.lowvision.then_some("lowvision")] {
                a.skip-link href="#main" { (ctx.t("skip")) }
                header.site-header {
                    div.container.header-row {
                        a.brand href="/" {
                            span.brand-mark aria-hidden="true" { (PreEscaped(BRAND_SVG)) }
                            span.brand-name { (ctx.t("site.name")) }
                            span.brand-tagline { (ctx.t("site.tagline")) }
                        }
                        div.header-tools {
                            @if let Some(email) = &ctx.signed_in {
                                span.signed-in { (email) }
                                a href="/account/password" { (ctx.t("pwd.link")) }
                                form.inline method="post" action="/logout" {
                                    (super::forms::csrf_field(ctx))
                                    button.link-button type="submit" { (ctx.t("login.logout")) }
                                }
                            } @else {
                                a href={"/login?back=" (back)} { (ctx.t("login.title")) }
                            }
                            a href={"/settings?lang=" (other.code()) "&back=" (back)} lang=(other.code()) hreflang=(other.code()) { (ctx.t("lang.switch")) }
                            @if ctx.lowvision {
                                a href={"/settings?view=normal&back=" (back)} { (ctx.t("view.normal")) }
                            } @else {
                                a href={"/settings?view=lowvision&back=" (back)} { (ctx.t("view.lowvision")) }
                            }
                        }
                    }
                    nav.site-nav aria-label=(ctx.t("nav.main")) {
                        ul.container {
                            @for (href, key) in [("/offerings", "nav.catalogue"), ("/requests", "nav.requests"), ("/analytics", "nav.dashboard"), ("/status", "nav.status"), ("/client-map", "nav.client_map"), ("/segments", "nav.segments"), ("/units", "nav.units"), ("/transfer", "nav.transfer"), ("/clarity", "nav.clarity"), ("/audit", "nav.audit")] {
                                li { a href=(href) aria-current=[ctx.here.starts_with(href).then_some("page")] { (ctx.t(key)) } }
                            }
                        }
                    }
                }
                div.container {
                    @if !crumbs.is_empty() {
                        nav.breadcrumbs aria-label=(ctx.t("nav.breadcrumbs")) {
                            ol {
                                li { a href="/" { (ctx.t("nav.home")) } }
                                @for c in crumbs { li { a href=(c.href) { (c.label) } } }
                            }
                        }
                    }
                    main #main tabindex="-1" { (content) }
                }
                footer.site-footer {
                    div.container {
                        p { (ctx.t("footer.about")) }
                        p { a href="/api/openapi.json" { (ctx.t("footer.openapi")) } }
                    }
                }
            }
        }
    }
}

const BRAND_SVG: &str = r#"<svg viewBox="0 0 32 32" width="32" height="32" focusable="false"><rect x="3" y="3" width="26" height="26" rx="3" fill="none" stroke="currentColor" stroke-width="3"/><path d="M16 4v24M4 16h24" stroke="currentColor" stroke-width="3"/></svg>"#;

/// A notice after a successful action («Изменения сохранены»), from `?done=`.
pub fn notice(ctx: &Ctx, done: Option<&str>) -> Markup {
    let key = match done {
        Some("saved") => "common.saved",
        Some("created") => "common.created",
        Some("deleted") => "common.deleted",
        _ => return html! {},
    };
    html! { div.notice.notice-success role="status" { p { (ctx.t(key)) } } }
}

/// «Delete for good?» with the record's name, a button that posts to `{href}/delete`,
/// and a way back to `href`.
pub fn confirm_delete(ctx: &Ctx, href: &str, name: &str) -> Markup {
    page(
        ctx,
        ctx.t("common.confirm_delete"),
        &[crumb(href, name)],
        html! {
            h1 { (ctx.t("common.confirm_delete")) }
            p.lead { (name) }
            p { (ctx.t("common.confirm_delete_hint")) }
            form method="post" action={(href) "/delete"} {
                (super::forms::csrf_field(ctx))
                button.button.button-warning type="submit" { (ctx.t("common.yes_delete")) }
                " "
                a href=(href) { (ctx.t("common.cancel")) }
            }
        },
    )
}
