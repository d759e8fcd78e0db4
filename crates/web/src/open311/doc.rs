//! One answer, two formats. GeoReport v2 defines XML and maps it to JSON by the Spark
//! convention (a list element becomes a JSON array of its items), so an answer is built
//! once as a `Doc` — fields in the spec's order — and written as either.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};

/// A value of an answer.
#[derive(Clone, Debug)]
pub enum Doc {
    Str(String),
    Int(i64),
    /// Latitude and longitude.
    Num(f64),
    Bool(bool),
    Null,
    /// Fields in order.
    Obj(Vec<(&'static str, Doc)>),
    /// A list: in XML each item is an element named by the first part.
    List(&'static str, Vec<Doc>),
}

impl Doc {
    pub fn str(s: impl Into<String>) -> Doc {
        Doc::Str(s.into())
    }

    /// A text that may be absent: `null` in JSON, an empty element in XML.
    pub fn opt(s: Option<impl Into<String>>) -> Doc {
        s.map(|s| Doc::Str(s.into())).unwrap_or(Doc::Null)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Xml,
}

impl Format {
    /// `services.json` → (`services`, Json). Anything but `.json` and `.xml` is `None`.
    pub fn split(file: &str) -> Option<(&str, Format)> {
        let (name, ext) = file.rsplit_once('.')?;
        match ext {
            "json" => Some((name, Format::Json)),
            "xml" => Some((name, Format::Xml)),
            _ => None,
        }
    }
}

/// Writes `doc` as JSON.
pub fn json(doc: &Doc) -> String {
    let mut out = String::new();
    write_json(doc, &mut out);
    out
}

fn write_json(doc: &Doc, out: &mut String) {
    match doc {
        Doc::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())),
        Doc::Int(n) => out.push_str(&n.to_string()),
        Doc::Num(n) if n.is_finite() => out.push_str(&n.to_string()),
        Doc::Num(_) | Doc::Null => out.push_str("null"),
        Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Doc::Obj(fields) => {
            out.push('{');
            for (i, (k, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(k).unwrap_or_default());
                out.push(':');
                write_json(v, out);
            }
            out.push('}');
        }
        Doc::List(_, items) => {
            out.push('[');
            for (i, v) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(v, out);
            }
            out.push(']');
        }
    }
}

/// Writes `doc` as an XML document whose root element is `root`.
pub fn xml(root: &str, doc: &Doc) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    write_element(root, doc, &mut out);
    out.push('\n');
    out
}

/// Characters XML 1.0 cannot carry at all are dropped; the rest is escaped.
fn text(s: &str) -> String {
    let clean: String =
        s.chars().filter(|&c| matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')).collect();
    quick_xml::escape::escape(clean.as_str()).into_owned()
}

fn write_element(name: &str, doc: &Doc, out: &mut String) {
    let inner = match doc {
        Doc::Null => {
            out.push_str(&format!("<{name}/>"));
            return;
        }
        Doc::Str(s) => text(s),
        Doc::Int(n) => n.to_string(),
        Doc::Num(n) if n.is_finite() => n.to_string(),
        Doc::Num(_) => String::new(),
        Doc::Bool(b) => b.to_string(),
        Doc::Obj(fields) => {
            let mut s = String::new();
            for (k, v) in fields {
                write_element(k, v, &mut s);
            }
            s
        }
        Doc::List(item, items) => {
            let mut s = String::new();
            for v in items {
                write_element(item, v, &mut s);
            }
            s
        }
    };
    out.push_str(&format!("<{name}>{inner}</{name}>"));
}

/// The answer in the asked format, with the spec's content types.
pub fn respond(status: StatusCode, format: Format, root: &str, doc: &Doc) -> Response {
    match format {
        Format::Json => (status, [(header::CONTENT_TYPE, "application/json; charset=utf-8")], json(doc)).into_response(),
        Format::Xml => (status, [(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml(root, doc)).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_keep_order_and_escape() {
        let d = Doc::List(
            "request",
            vec![Doc::Obj(vec![
                ("service_request_id", Doc::str("K7M2-9QXD")),
                ("description", Doc::str("A & B <c> \"d\"\u{1}")),
                ("lat", Doc::Num(55.75)),
                ("address", Doc::Null),
            ])],
        );
        assert_eq!(json(&d), r#"[{"service_request_id":"K7M2-9QXD","description":"A & B <c> \"d\"\u0001","lat":55.75,"address":null}]"#);
        assert_eq!(
            xml("service_requests", &d),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<service_requests><request><service_request_id>K7M2-9QXD</service_request_id>\
             <description>A &amp; B &lt;c&gt; &quot;d&quot;</description><lat>55.75</lat><address/></request></service_requests>\n"
        );
        assert_eq!(Format::split("services.xml"), Some(("services", Format::Xml)));
        assert_eq!(Format::split("services.html"), None);
    }
}
