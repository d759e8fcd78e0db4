//! The plain-Russian checker through HTTP: the API with JSON, raw text and a DOCX, the
//! page with a pasted text and an uploaded file, and bad input refused with a message.

mod helpers;

use helpers::TestApp;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use serde_json::{json, Value};

const HEAVY: &str = "В целях рассмотрения обращения было принято решение в рамках установленного порядка.";
const PLAIN: &str = "Мы рассмотрели ваше обращение и ответим до 10 декабря.";

/// A minimal DOCX: the one part the checker reads.
fn docx(text: &str) -> Vec<u8> {
    use std::io::Write;
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default();
    z.start_file("word/document.xml", opts).unwrap();
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"#
    );
    z.write_all(xml.as_bytes()).unwrap();
    z.finish().unwrap();
    buf.into_inner()
}

both_backends!(the_api_checks_json_text_and_files, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    let (s, heavy) = t.post_json("/api/v1/clarity", &json!({"text": HEAVY})).await;
    assert_eq!(s, 200, "{heavy}");
    let rules: Vec<&str> = heavy["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert!(rules.contains(&"bureaucratese.denominal_preposition"), "{rules:?}");
    let f = &heavy["findings"][0];
    for key in ["rule", "severity", "start", "end", "line", "column", "message", "suggestion"] {
        assert!(f.get(key).is_some(), "{key} in {f}");
    }
    let (_, plain) = t.post_json("/api/v1/clarity", &json!({"text": PLAIN})).await;
    assert!(plain["score"].as_f64().unwrap() > heavy["score"].as_f64().unwrap(), "the plain rewrite scores higher");

    let r = t.client.post(t.url("/api/v1/clarity")).header("content-type", "text/plain; charset=utf-8").body(HEAVY).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.json::<Value>().await.unwrap()["findings"], heavy["findings"], "raw text gives the same report");

    let r = t.client.post(t.url("/api/v1/clarity?format=docx")).body(docx(HEAVY)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let from_docx = r.json::<Value>().await.unwrap();
    assert_eq!(from_docx["metrics"]["words"], heavy["metrics"]["words"], "the DOCX's text is what is checked");

    // Bad input: a broken DOCX, an unknown format, a body that is not the JSON expected.
    let r = t.client.post(t.url("/api/v1/clarity?format=docx")).body("not a zip").send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert_eq!(r.json::<Value>().await.unwrap()["fields"][0]["code"], "unreadable");
    let r = t.client.post(t.url("/api/v1/clarity?format=pdf")).body("x").send().await.unwrap();
    assert_eq!(r.status(), 422);
    let (s, e) = t.post_json("/api/v1/clarity", &json!({"txt": HEAVY})).await;
    assert_eq!(s, 400, "{e}");
});

both_backends!(the_page_marks_findings_in_place, |db: TestDb| async move {
    let t = TestApp::spawn(db).await;
    assert_eq!(t.get("/clarity").await.status(), 200);
    let form = reqwest::multipart::Form::new().text("text", HEAVY.to_string());
    let r = t.client.post(t.url("/clarity")).multipart(form).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let html = r.text().await.unwrap();
    assert!(html.contains("<mark class=\"sev-warning\">В целях</mark>"), "the phrase is marked where it stands");
    assert!(html.contains("href=\"#f-1\""), "each mark links to its finding");
    assert!(html.contains("id=\"f-1\""));
    assert!(html.contains("Понятность:"));

    let file = reqwest::multipart::Part::bytes(docx(HEAVY)).file_name("письмо.docx");
    let r = t.client.post(t.url("/clarity")).multipart(reqwest::multipart::Form::new().part("file", file)).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.text().await.unwrap().contains("<mark class=\"sev-warning\">В целях</mark>"),
        "an uploaded DOCX is shown as its text, marked"
    );

    let r = t.client.post(t.url("/clarity")).multipart(reqwest::multipart::Form::new().text("text", "  ")).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Заполните это поле"));
    let pdf = reqwest::multipart::Part::bytes(b"%PDF".to_vec()).file_name("scan.pdf");
    let r = t.client.post(t.url("/clarity")).multipart(reqwest::multipart::Form::new().part("file", pdf)).send().await.unwrap();
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Выберите файл TXT, MD, DOCX или ODT"));
});
