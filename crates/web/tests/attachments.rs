//! Files on requests through HTTP: staff upload, list and download through the API and
//! on the card; limits (size, type by content, count) refuse with a clear code and store
//! nothing; the client sends files from the status page only while the request waits
//! for them; another body's staff neither read nor add; every file is an event in the
//! request's history and the hash chain still verifies.

mod helpers;

use helpers::TestApp;
use okno_app::Actor;
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use reqwest::multipart::{Form, Part};
use serde_json::{json, Value};
use std::io::Write;

const PASSWORD: &str = "correct horse battery";
const MIB: usize = 1024 * 1024;

struct World {
    id: String,
    code: String,
    admin: String,
    exec: String,
    other: String,
}

/// The demo, a chain on a published MFC service, staff of the MFC and of another body,
/// and one citizen's request.
async fn setup(t: &TestApp) -> World {
    let sys = Actor::system();
    let mfc = t.body_id("МФЦ городского округа (демо)").await;
    let elsewhere = t.body_id("Контрольно-счётная палата (демо)").await;
    t.app.create_user(&sys, "admin@x.ru", "administrator", None, PASSWORD).await.unwrap();
    t.app.create_user(&sys, "exec@x.ru", "executor", Some(mfc.parse().unwrap()), PASSWORD).await.unwrap();
    t.app.create_user(&sys, "other@x.ru", "administrator", Some(elsewhere.parse().unwrap()), PASSWORD).await.unwrap();
    let token = |email: &'static str| async move { t.app.issue_token(&Actor::system(), email, "write", "t").await.unwrap().token };
    let (admin, exec, other) = (token("admin@x.ru").await, token("exec@x.ru").await, token("other@x.ru").await);
    let offerings = t.get_json(&format!("/api/v1/offerings?body={mfc}&status=published")).await;
    let offering = offerings["items"][0]["id"].as_str().unwrap().to_string();
    let unit = t.get_json(&format!("/api/v1/units?body={mfc}")).await[0]["id"].as_str().unwrap().to_string();
    let chain =
        serde_json::to_value(okno_domain::chain::template(okno_domain::chain::Template::CitizenAppeal, unit.parse().unwrap())).unwrap();
    let r = t.client.put(t.url(&format!("/api/v1/offerings/{offering}/chain"))).bearer_auth(&admin).json(&chain).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let (s, made) = t
        .post_json(
            "/api/v1/requests",
            &json!({"offering_id": offering, "client_name": "Иванова Мария", "client_email": "maria@example.ru", "subject": "Справка"}),
        )
        .await;
    assert_eq!(s, 201, "{made}");
    World { id: made["id"].as_str().unwrap().into(), code: made["tracking_code"].as_str().unwrap().into(), admin, exec, other }
}

/// A small but complete PDF: one empty page, with a correct cross-reference table.
fn pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        writeln!(out, "{} 0 obj\n{o}\nendobj", i + 1).unwrap();
    }
    let xref = out.len();
    writeln!(out, "xref\n0 {}\n0000000000 65535 f ", objects.len() + 1).unwrap();
    for o in offsets {
        writeln!(out, "{o:010} 00000 n ").unwrap();
    }
    writeln!(out, "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF", objects.len() + 1).unwrap();
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A real 2×1 RGB PNG: signature, IHDR, one IDAT (zlib with a stored block), IEND.
fn png() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend((data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let raw = [0u8, 255, 0, 0, 0, 0, 255]; // filter 0, a red and a blue pixel
    let (mut a, mut b) = (1u32, 0u32);
    for &x in &raw {
        a = (a + u32::from(x)) % 65521;
        b = (b + a) % 65521;
    }
    let mut zlib = vec![0x78, 0x01, 0x01, raw.len() as u8, 0, !(raw.len() as u8), 0xFF];
    zlib.extend(raw);
    zlib.extend(((b << 16) | a).to_be_bytes());
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(2u32.to_be_bytes());
    ihdr.extend(1u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &zlib);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A zip with `word/document.xml`; with `declared`, also the `[Content_Types].xml` that
/// makes it a DOCX.
fn docx(declared: bool) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut w = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default();
    if declared {
        w.start_file("[Content_Types].xml", opts).unwrap();
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).unwrap();
    }
    w.start_file("word/document.xml", opts).unwrap();
    w.write_all(b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>").unwrap();
    w.finish().unwrap();
    out.into_inner()
}

/// A Windows program's first bytes.
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00PE\x00\x00";

fn form(name: &str, bytes: Vec<u8>) -> Form {
    Form::new().part("file", Part::bytes(bytes).file_name(name.to_string()))
}

impl World {
    async fn upload(&self, t: &TestApp, token: Option<&str>, f: Form) -> (u16, Value) {
        let mut r = t.client.post(t.url(&format!("/api/v1/requests/{}/attachments", self.id))).multipart(f);
        if let Some(tok) = token {
            r = r.bearer_auth(tok);
        }
        let r = r.send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn files(&self, t: &TestApp) -> Vec<Value> {
        t.get_json_as(&format!("/api/v1/requests/{}/attachments", self.id), &self.exec).await.as_array().unwrap().clone()
    }

    async fn card(&self, t: &TestApp) -> Value {
        t.get_json_as(&format!("/api/v1/requests/{}", self.id), &self.exec).await
    }

    async fn mv(&self, t: &TestApp, body: Value) {
        let r = t.client.post(t.url(&format!("/api/v1/requests/{}/moves", self.id))).bearer_auth(&self.exec).json(&body).send().await;
        assert_eq!(r.unwrap().status(), 200, "{body}");
    }

    async fn chain_holds(&self, t: &TestApp) {
        let id: Id = self.id.parse().unwrap();
        assert_eq!(t.app.store().verify_request_events(id).await.unwrap(), None, "the request's hash chain verifies");
    }
}

both_backends!(staff_upload_list_and_download_through_the_api, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = setup(&t).await;
    let before = w.card(&t).await;
    let (pdf, png) = (pdf(), png());

    let (s, a) = w.upload(&t, Some(&w.exec), form("C:\\Документы\\Скан заявления.PDF", pdf.clone())).await;
    assert_eq!(s, 201, "{a}");
    assert_eq!(a["name"], "Скан заявления.pdf", "the path is dropped, the extension is the type's");
    assert_eq!(a["media_type"], "application/pdf");
    assert_eq!(a["size"], pdf.len());
    assert_eq!(a["client_visible"], false);
    let (s, b) = w.upload(&t, Some(&w.exec), form("фото", png.clone()).text("client_visible", "true")).await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(
        (b["name"].as_str(), b["media_type"].as_str(), b["client_visible"].as_bool()),
        (Some("фото.png"), Some("image/png"), Some(true))
    );
    let (s, d) = w.upload(&t, Some(&w.exec), form("letter.docx", docx(true))).await;
    assert_eq!((s, d["media_type"].as_str()), (201, Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")));

    let files = w.files(&t).await;
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["id"], a["id"]);
    assert!(files.iter().all(|f| f.get("content").is_none()), "lists carry no bytes");
    for (meta, bytes, mime) in [(&a, &pdf, "application/pdf"), (&b, &png, "image/png")] {
        let r = t.client.get(t.url(meta["url"].as_str().unwrap())).bearer_auth(&w.exec).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(r.headers()["content-type"], mime);
        assert_eq!(r.headers()["x-content-type-options"], "nosniff");
        let disposition = r.headers()["content-disposition"].to_str().unwrap().to_string();
        assert!(disposition.starts_with("attachment;") && disposition.contains("filename*=UTF-8''"), "{disposition}");
        assert_eq!(&r.bytes().await.unwrap().to_vec(), bytes, "byte-identical");
    }

    // Each file is a «commented» event in the history; the version moved on with each.
    let card = w.card(&t).await;
    assert_eq!(card["version"].as_i64().unwrap(), before["version"].as_i64().unwrap() + 3);
    let events = card["events"].as_array().unwrap();
    let notes: Vec<&str> = events.iter().filter(|e| e["kind"] == "commented").map(|e| e["note"].as_str().unwrap()).collect();
    assert_eq!(notes.len(), 3);
    assert!(notes[0].starts_with("Приложен файл «Скан заявления.pdf» (") && notes[0].ends_with("байт)"), "{}", notes[0]);
    assert!(events.iter().filter(|e| e["kind"] == "commented").all(|e| e["actor"].as_str().unwrap().starts_with("account:")));
    w.chain_holds(&t).await;

    // An old version is stale now: a move decided before the file arrived is refused.
    let r = t
        .client
        .post(t.url(&format!("/api/v1/requests/{}/moves", w.id)))
        .bearer_auth(&w.exec)
        .json(&json!({"move": "complete", "version": before["version"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    w.chain_holds(&t).await;
});

both_backends!(refused_files_leave_nothing, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = setup(&t).await;
    let events = w.card(&t).await["events"].as_array().unwrap().len();

    let (s, e) = w.upload(&t, Some(&w.exec), form("big.txt", vec![b'a'; 10 * MIB + 1])).await;
    assert_eq!((s, e["code"].as_str(), e["fields"][0]["code"].as_str()), (413, Some("too_large"), Some("too_large")));
    let (s, e) = w.upload(&t, Some(&w.exec), form("invoice.pdf", EXE.to_vec())).await;
    assert_eq!((s, e["code"].as_str(), e["fields"][0]["field"].as_str()), (415, Some("type_not_allowed"), Some("file")));
    let (s, e) = w.upload(&t, Some(&w.exec), form("letter.docx", docx(false))).await;
    assert_eq!((s, e["code"].as_str()), (415, Some("type_not_allowed")), "a zip that does not declare itself a document");
    let (s, e) = w.upload(&t, Some(&w.exec), form("empty.pdf", Vec::new())).await;
    assert_eq!((s, e["fields"][0]["code"].as_str()), (422, Some("empty")));
    let (s, e) = w.upload(&t, Some(&w.exec), Form::new().text("client_visible", "true")).await;
    assert_eq!((s, e["fields"][0]["code"].as_str()), (422, Some("no_file")));
    let r = t
        .client
        .post(t.url(&format!("/api/v1/requests/{}/attachments", w.id)))
        .bearer_auth(&w.exec)
        .json(&json!({"file": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400, "not multipart");

    assert!(w.files(&t).await.is_empty(), "nothing stored");
    assert_eq!(w.card(&t).await["events"].as_array().unwrap().len(), events, "nothing in the history");
    assert_eq!(t.app.store().count_attachments(w.id.parse().unwrap()).await.unwrap(), 0);

    // Exactly 10 MiB is allowed; twenty files fill a request, the next is refused.
    let (s, _) = w.upload(&t, Some(&w.exec), form("ten.txt", vec![b'a'; 10 * MIB])).await;
    assert_eq!(s, 201);
    for i in 1..19 {
        let (s, e) = w.upload(&t, Some(&w.exec), form(&format!("{i}.txt"), format!("Файл {i}").into_bytes())).await;
        assert_eq!(s, 201, "{e}");
    }
    // Three at once for the last place: exactly one wins, on either database.
    let last = |i: usize| w.upload(&t, Some(&w.exec), form(&format!("last{i}.txt"), b"last".to_vec()));
    let (a, b, c) = tokio::join!(last(1), last(2), last(3));
    let mut outcomes: Vec<(u16, Option<String>)> =
        [a, b, c].into_iter().map(|(s, e)| (s, e["fields"][0]["code"].as_str().map(str::to_string))).collect();
    outcomes.sort();
    assert_eq!(outcomes, [(201, None), (422, Some("too_many_files".into())), (422, Some("too_many_files".into()))]);
    assert_eq!(w.files(&t).await.len(), 20);
    w.chain_holds(&t).await;
});

both_backends!(only_staff_of_the_body_read_or_add, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = setup(&t).await;
    let (s, a) = w.upload(&t, Some(&w.admin), form("a.pdf", pdf())).await;
    assert_eq!(s, 201);
    let list = format!("/api/v1/requests/{}/attachments", w.id);
    let one = a["url"].as_str().unwrap().to_string();

    let (s, _) = w.upload(&t, Some(&w.other), form("b.pdf", pdf())).await;
    assert_eq!(s, 403, "another body's administrator cannot add");
    let (s, _) = w.upload(&t, None, form("b.pdf", pdf())).await;
    assert_eq!(s, 401);
    for path in [&list, &one] {
        assert_eq!(t.client.get(t.url(path)).bearer_auth(&w.other).send().await.unwrap().status(), 403, "{path}");
        assert_eq!(t.get(path).await.status(), 401, "{path}");
    }
    let page = format!("/requests/{}/attachments/{}", w.id, a["id"].as_str().unwrap());
    assert_eq!(t.client.get(t.url(&page)).bearer_auth(&w.other).send().await.unwrap().status(), 403);
    assert_eq!(t.get(&page).await.status(), 303, "the page sends an anonymous reader to sign in");

    // Unknown requests and files are 404s, also a file asked for under another request.
    let nobody = Id::new();
    assert_eq!(
        t.client.get(t.url(&format!("/api/v1/requests/{nobody}/attachments"))).bearer_auth(&w.admin).send().await.unwrap().status(),
        404
    );
    let r = t.client.post(t.url(&format!("/api/v1/requests/{nobody}/attachments"))).bearer_auth(&w.admin).multipart(form("c.pdf", pdf()));
    assert_eq!(r.send().await.unwrap().status(), 404);
    assert_eq!(t.client.get(t.url(&format!("{list}/{nobody}"))).bearer_auth(&w.admin).send().await.unwrap().status(), 404);
    assert_eq!(t.client.get(t.url(&format!("{list}/x"))).bearer_auth(&w.admin).send().await.unwrap().status(), 404);
    let elsewhere = format!("/api/v1/requests/{nobody}/attachments/{}", a["id"].as_str().unwrap());
    assert_eq!(t.client.get(t.url(&elsewhere)).bearer_auth(&w.admin).send().await.unwrap().status(), 404);
    assert_eq!(w.files(&t).await.len(), 1);
});

both_backends!(the_client_sends_files_only_while_asked, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = setup(&t).await;
    let status = format!("/status/{}", w.code);
    let send = |name: &str, bytes: Vec<u8>| {
        let req = t.client.post(t.url(&format!("{status}/attachments"))).multipart(form(name, bytes));
        async move { req.send().await.unwrap() }
    };
    let html = t.get(&status).await.text().await.unwrap();
    assert!(!html.contains(&format!("{status}/attachments\"")), "no upload form while the body has not asked");

    w.mv(&t, json!({"move": "ask_client", "message": "Пришлите скан паспорта"})).await;
    let html = t.get(&status).await.text().await.unwrap();
    assert!(html.contains(&format!("action=\"{status}/attachments\"")) && html.contains("enctype=\"multipart/form-data\""));

    let r = send("Паспорт Ивановой.pdf", pdf()).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), format!("{status}#attachments"));
    let r = send("program.pdf", EXE.to_vec()).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("Такой файл не принимается"), "the refusal is explained in Russian");
    let r = send("big.txt", vec![b'a'; 10 * MIB + 1]).await;
    assert_eq!(r.status(), 422);
    assert!(r.text().await.unwrap().contains("больше 10 МБ"));

    // The status page confirms the file without its name; staff see it, by the client.
    let html = t.get(&status).await.text().await.unwrap();
    assert!(html.contains("Файлы, которые вы отправили") && html.contains("PDF"), "the client sees what they sent");
    assert!(!html.contains("Паспорт Ивановой"), "the status page shows no names: it carries no personal data");
    let files = w.files(&t).await;
    assert_eq!(files.len(), 1);
    assert_eq!((files[0]["uploaded_by"].as_str(), files[0]["name"].as_str()), (Some("client"), Some("Паспорт Ивановой.pdf")));
    let mine = files[0]["id"].as_str().unwrap().to_string();
    let r = t.client.get(t.url(files[0]["url"].as_str().unwrap())).bearer_auth(&w.exec).send().await.unwrap();
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf());
    assert_eq!(t.get(&format!("{status}/attachments/{mine}")).await.status(), 404, "the code does not serve the client's documents back");

    // A file staff show the client is listed by name and downloads by code.
    let (s, shown) = w.upload(&t, Some(&w.exec), form("Ответ.pdf", pdf()).text("client_visible", "true")).await;
    assert_eq!(s, 201);
    let html = t.get(&status).await.text().await.unwrap();
    assert!(html.contains("Файлы от ведомства") && html.contains("Ответ.pdf"));
    let r = t.get(&format!("{status}/attachments/{}", shown["id"].as_str().unwrap())).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf());
    let api = t.get_json(&format!("/api/v1/status/{}/attachments", w.code)).await;
    assert_eq!((api["from_body"].as_array().unwrap().len(), api["sent"].as_array().unwrap().len()), (1, 1));
    assert!(!api.to_string().contains("Ивановой"));

    // The client's file is in the staff history, not in the client's; the chain holds.
    let events = w.card(&t).await["events"].as_array().unwrap().clone();
    let by_client = events.iter().find(|e| e["actor"] == "client" && e["kind"] == "commented").expect("the file is in the history");
    assert_eq!(by_client["client_visible"], false);
    w.chain_holds(&t).await;

    // Closed: refused through the page and the API, and nothing is stored.
    w.mv(&t, json!({"move": "close", "outcome": "withdrawn", "reason": "Заявитель отозвал"})).await;
    let r = send("late.pdf", pdf()).await;
    assert_eq!(r.status(), 409);
    assert!(r.text().await.unwrap().contains("Заявка завершена"));
    let r =
        t.client.post(t.url(&format!("/api/v1/status/{}/attachments", w.code))).multipart(form("late.pdf", pdf())).send().await.unwrap();
    assert_eq!(r.status(), 409);
    assert_eq!(r.json::<Value>().await.unwrap()["code"], "request_closed");
    assert_eq!(w.files(&t).await.len(), 2);
    assert!(!t.get(&status).await.text().await.unwrap().contains(&format!("action=\"{status}/attachments\"")));
    w.chain_holds(&t).await;
});

both_backends!(staff_attach_on_the_card_with_a_session, |db: TestDb| async move {
    let t = TestApp::with_demo(db).await;
    let w = setup(&t).await;
    let r = t.post_form("/login", &[("email", "exec@x.ru"), ("password", PASSWORD)]).await;
    assert_eq!(r.status(), 303);
    let cookie = r.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_string();
    let card = format!("/requests/{}", w.id);
    let html = t.client.get(t.url(&card)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("К заявке пока не приложено ни одного файла"));
    let marker = format!("action=\"{card}/attachments?_csrf=");
    let at = html.find(&marker).expect("the upload form carries the CSRF token in its action") + marker.len();
    let csrf = html[at..at + html[at..].find('"').unwrap()].to_string();

    let post = |query: String, f: Form| {
        let req = t.client.post(t.url(&format!("{card}/attachments{query}"))).header("cookie", cookie.clone()).multipart(f);
        async move { req.send().await.unwrap() }
    };
    let r = post(String::new(), form("scan.pdf", pdf())).await;
    assert_eq!(r.status(), 403, "no CSRF token, no upload");
    let r = post(format!("?_csrf={csrf}"), form("big.pdf", vec![b'a'; 10 * MIB + 1])).await;
    assert_eq!(r.status(), 422);
    let html = r.text().await.unwrap();
    assert!(html.contains("Файл больше 10 МБ") && html.contains("href=\"#f-file\""), "the summary links to the field");
    let r = post(format!("?_csrf={csrf}"), form("scan.pdf", pdf()).text("client_visible", "true")).await;
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"].to_str().unwrap(), format!("{card}#attachments"));

    let html = t.client.get(t.url(&card)).header("cookie", &cookie).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("scan.pdf") && html.contains("видно заявителю") && html.contains("Приложен файл «scan.pdf»"));
    let aid = w.files(&t).await[0]["id"].as_str().unwrap().to_string();
    assert!(html.contains(&format!("href=\"{card}/attachments/{aid}\"")));
    let r = t.client.get(t.url(&format!("{card}/attachments/{aid}"))).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    assert_eq!(r.bytes().await.unwrap().to_vec(), pdf());
    w.chain_holds(&t).await;
});
