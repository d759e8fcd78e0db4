//! Files on requests: documents the client sends when the body asks for them, and files
//! staff add to the case (the decision, a scan of a letter).
//!
//! A file is checked before anything is written: not empty, at most `MAX_FILE_BYTES`, and
//! of an allowed type judged by its content (magic bytes; for DOCX, XLSX and ODT the
//! container's own declaration of what it is), never by its name or what the browser
//! says. The name is cleaned and given the extension of the type found, so a text file
//! called `page.html` is saved as `page.html.txt`. A request holds at most `MAX_FILES`.
//!
//! Staff of the request's body attach files (`Action::WorkRequests`) and read them (any
//! role in the body). The client attaches through the tracking code while the request is
//! open or waits for them, and downloads through it only the files the body chose to
//! show them: the status page carries no personal data, so the client's own documents
//! are never served back by code. Names and contents are never logged.

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_domain::request::{Phase, TrackingCode};
use okno_domain::{Id, Invalid};
pub use okno_store::AttachmentRecord;
use okno_store::{AttachOutcome, NewAttachment, RequestRecord};
use sha2::{Digest, Sha256};
use std::io::{Cursor, Read};

/// The largest file accepted: 10 MiB.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;
/// The most files one request holds.
pub const MAX_FILES: usize = 20;
/// The longest file name kept, in characters, extension included.
pub const MAX_NAME_CHARS: usize = 200;
/// How the client's uploads are labelled.
pub const CLIENT: &str = "client";
/// While the request is in these phases, the client may send files.
const CLIENT_PHASES: [Phase; 2] = [Phase::Open, Phase::WaitingForClient];

/// The types a file may have, found by reading it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileType {
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Odt,
    Text,
}

const DOCX_MAIN: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml";
const XLSX_MAIN: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const ODT_TYPE: &str = "application/vnd.oasis.opendocument.text";

impl FileType {
    pub const ALL: [FileType; 7] =
        [FileType::Pdf, FileType::Png, FileType::Jpeg, FileType::Docx, FileType::Xlsx, FileType::Odt, FileType::Text];

    /// The Content-Type a download is served with.
    pub fn media_type(self) -> &'static str {
        match self {
            FileType::Pdf => "application/pdf",
            FileType::Png => "image/png",
            FileType::Jpeg => "image/jpeg",
            FileType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            FileType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileType::Odt => ODT_TYPE,
            FileType::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn from_media_type(s: &str) -> Option<FileType> {
        FileType::ALL.into_iter().find(|t| t.media_type() == s)
    }

    /// Extensions a name of this type may end with; the first is added when it has none.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileType::Pdf => &["pdf"],
            FileType::Png => &["png"],
            FileType::Jpeg => &["jpg", "jpeg"],
            FileType::Docx => &["docx"],
            FileType::Xlsx => &["xlsx"],
            FileType::Odt => &["odt"],
            FileType::Text => &["txt", "csv", "md"],
        }
    }

    /// A short name for people: PDF, PNG, DOCX…
    pub fn label(self) -> &'static str {
        match self {
            FileType::Pdf => "PDF",
            FileType::Png => "PNG",
            FileType::Jpeg => "JPEG",
            FileType::Docx => "DOCX",
            FileType::Xlsx => "XLSX",
            FileType::Odt => "ODT",
            FileType::Text => "TXT",
        }
    }
}

/// What the content is, if it is an allowed type.
pub fn sniff(bytes: &[u8]) -> Option<FileType> {
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else if bytes.starts_with(PNG) && bytes.get(12..16) == Some(b"IHDR") {
        Some(FileType::Png)
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") {
        office_type(bytes)
    } else if !bytes.contains(&0) && std::str::from_utf8(bytes).is_ok() {
        Some(FileType::Text)
    } else {
        None
    }
}

/// The most entries an office document may have before we stop looking at it.
const MAX_ZIP_ENTRIES: usize = 10_000;
/// The most bytes read from the one entry that declares an office document's type.
const MAX_DECLARATION: u64 = 1024 * 1024;

/// DOCX, XLSX or ODT: a zip whose own declaration says so (ODF's `mimetype` entry, or the
/// main part in OOXML's `[Content_Types].xml`) and which holds the part declared. Only
/// that entry is inflated, and no more than `MAX_DECLARATION` of it.
fn office_type(bytes: &[u8]) -> Option<FileType> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    if zip.len() > MAX_ZIP_ENTRIES {
        return None;
    }
    if let Some(mimetype) = read_entry(&mut zip, "mimetype") {
        return (mimetype.trim() == ODT_TYPE && zip.index_for_name("content.xml").is_some()).then_some(FileType::Odt);
    }
    let types = read_entry(&mut zip, "[Content_Types].xml")?;
    let (kind, part) = [(FileType::Docx, DOCX_MAIN), (FileType::Xlsx, XLSX_MAIN)]
        .into_iter()
        .find_map(|(kind, main)| declared_part(&types, main).map(|part| (kind, part)))?;
    zip.index_for_name(part.trim_start_matches('/')).map(|_| kind)
}

/// One entry's text, at most `MAX_DECLARATION` bytes of it inflated.
fn read_entry(zip: &mut zip::ZipArchive<Cursor<&[u8]>>, name: &str) -> Option<String> {
    let entry = zip.by_name(name).ok()?;
    let mut text = String::new();
    entry.take(MAX_DECLARATION).read_to_string(&mut text).ok()?;
    Some(text)
}

/// The `PartName` of the `<Override>` in `[Content_Types].xml` whose `ContentType` is `main`.
fn declared_part(types: &str, main: &str) -> Option<String> {
    types.split('<').filter(|el| el.starts_with("Override")).find_map(|el| {
        let attr = |name: &str| -> Option<&str> {
            let start = el.find(&format!(" {name}=\""))? + name.len() + 3;
            el[start..].split('"').next()
        };
        (attr("ContentType")? == main).then(|| attr("PartName").map(str::to_string)).flatten()
    })
}

/// Bidirectional controls can make `exe.pdf` read as `fdp.exe`: never part of a name.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The name a file is kept under: the last path segment only, without control
/// characters or characters Windows does not allow, at most `MAX_NAME_CHARS`, ending in
/// an extension of the type the content has.
pub fn clean_name(raw: &str, kind: FileType) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control() && !is_bidi_control(*c))
        .map(|c| if matches!(c, '"' | '*' | ':' | '<' | '>' | '?' | '|') { '_' } else { c })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let (stem, ext) = match cleaned.rsplit_once('.') {
        Some((stem, ext)) if !stem.trim().is_empty() && kind.extensions().contains(&ext.to_lowercase().as_str()) => {
            (stem.trim_end().to_string(), ext.to_lowercase())
        }
        _ => (cleaned.to_string(), kind.extensions()[0].to_string()),
    };
    let stem = if stem.is_empty() { "file".to_string() } else { stem };
    let room = MAX_NAME_CHARS - ext.chars().count() - 1;
    format!("{}.{ext}", stem.chars().take(room).collect::<String>().trim_end())
}

/// Checks one upload; the cleaned name and the type found, or every reason it is refused.
pub fn check_file(name: &str, bytes: &[u8]) -> Result<(String, FileType), Invalid> {
    if bytes.is_empty() {
        return Err(Invalid::one("file", "empty", "the file is empty; choose another one"));
    }
    if bytes.len() > MAX_FILE_BYTES {
        return Err(Invalid::one("file", "too_large", "the file is larger than 10 MB; send a smaller one or split it"));
    }
    match sniff(bytes) {
        Some(kind) => Ok((clean_name(name, kind), kind)),
        None => Err(Invalid::one(
            "file",
            "type_not_allowed",
            "this type of file is not accepted: send PDF, PNG, JPEG, DOCX, XLSX, ODT or plain text (UTF-8)",
        )),
    }
}

/// «12 байт», «340 КБ», «1,2 МБ»: a size as people read it. `units` are the words for
/// bytes, kilobytes and megabytes; `comma` writes the decimal comma.
pub fn size_text(size: i64, units: [&str; 3], comma: bool) -> String {
    const KB: i64 = 1024;
    let [b, kb, mb] = units;
    if size < KB {
        return format!("{size} {b}");
    }
    if size < KB * KB {
        return format!("{} {kb}", (size + KB - 1) / KB);
    }
    let tenths = (size * 10 + KB * KB / 2) / (KB * KB);
    let n = if tenths % 10 == 0 { (tenths / 10).to_string() } else { format!("{}.{}", tenths / 10, tenths % 10) };
    format!("{} {mb}", if comma { n.replace('.', ",") } else { n })
}

/// The note the request's history gets: «Приложен файл «скан.pdf» (1,2 МБ)».
fn history_note(name: &str, size: usize) -> String {
    format!("Приложен файл «{name}» ({})", size_text(size as i64, ["байт", "КБ", "МБ"], true))
}

/// A file with its bytes, for a download.
pub struct Download {
    pub record: AttachmentRecord,
    pub content: Vec<u8>,
}

/// What the client sees of a request's files on the status page.
#[derive(Debug, Default)]
pub struct ClientFiles {
    /// Files the body shows the client: listed by name, downloadable.
    pub from_body: Vec<AttachmentRecord>,
    /// Files the client sent, with their names left out.
    pub sent: Vec<SentFile>,
}

/// One file the client sent, as the status page confirms it.
#[derive(Debug)]
pub struct SentFile {
    pub media_type: String,
    pub size: i64,
    pub created_at: i64,
}

impl App {
    /// Whether `actor` may attach files to the request: checked before an upload is read.
    pub async fn may_attach(&self, actor: &Actor, request: Id) -> Result<RequestRecord, AppError> {
        actor.require(Action::WorkRequests, Scope::SomeBody)?;
        let r = self.store.get_request(request).await.map_err(AppError::not_found("request"))?;
        actor.require_in(Action::WorkRequests, r.body_id)?;
        Ok(r)
    }

    /// Staff attach a file to a request of their body; `client_visible` shows it to the
    /// client on the status page.
    pub async fn attach(
        &self,
        actor: &Actor,
        request: Id,
        name: &str,
        bytes: &[u8],
        client_visible: bool,
    ) -> Result<AttachmentRecord, AppError> {
        self.may_attach(actor, request).await?;
        self.store_file(request, name, bytes, &actor.label(), client_visible, None).await
    }

    /// The request behind a tracking code, if the client may send files to it now.
    pub async fn client_may_attach(&self, code: &str) -> Result<RequestRecord, AppError> {
        let r = self.by_code(code).await?;
        accepts_client_files(r.state.phase)?;
        Ok(r)
    }

    /// The client sends a file through the tracking code, while the request is open or
    /// waits for them. The file is the body's to read; the client's status page confirms
    /// it without its name.
    pub async fn attach_by_client(&self, code: &str, name: &str, bytes: &[u8]) -> Result<AttachmentRecord, AppError> {
        let r = self.client_may_attach(code).await?;
        self.store_file(r.id, name, bytes, CLIENT, false, Some(&CLIENT_PHASES[..])).await
    }

    async fn store_file(
        &self,
        request: Id,
        name: &str,
        bytes: &[u8],
        by: &str,
        client_visible: bool,
        phases: Option<&[Phase]>,
    ) -> Result<AttachmentRecord, AppError> {
        let (name, kind) = check_file(name, bytes)?;
        let sha256: String = Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect();
        let note = history_note(&name, bytes.len());
        let new = NewAttachment {
            request_id: request,
            name: &name,
            media_type: kind.media_type(),
            content: bytes,
            sha256: &sha256,
            uploaded_by: by,
            client_visible,
            note: &note,
            max_files: MAX_FILES as i64,
            phases,
        };
        match self.store.add_attachment(&new).await.map_err(AppError::not_found("request"))? {
            AttachOutcome::Added(record) => {
                tracing::info!(request = %request, attachment = %record.id, media_type = kind.label(), size = record.size, "file attached");
                Ok(record)
            }
            AttachOutcome::TooMany => {
                Err(Invalid::one("file", "too_many_files", format!("this request already has {MAX_FILES} files, the most it may hold"))
                    .into())
            }
            AttachOutcome::PhaseNotAllowed(phase) => Err(accepts_client_files(phase)
                .err()
                .unwrap_or(AppError::Conflict { code: "not_accepting", message: "the request does not take files now".into() })),
        }
    }

    /// A request's files, for anyone who may read the request's card.
    pub async fn attachments(&self, actor: &Actor, request: Id) -> Result<Vec<AttachmentRecord>, AppError> {
        self.readable(actor, request).await?;
        Ok(self.store.list_attachments(request).await?)
    }

    /// One file with its bytes, for anyone who may read the request's card.
    pub async fn attachment(&self, actor: &Actor, request: Id, attachment: Id) -> Result<Download, AppError> {
        self.readable(actor, request).await?;
        let (record, content) = self.store.get_attachment(request, attachment).await.map_err(AppError::not_found("attachment"))?;
        Ok(Download { record, content })
    }

    /// What the status page shows of the files: those the body shows the client, and
    /// those the client sent, without names.
    pub async fn client_attachments(&self, code: &str) -> Result<ClientFiles, AppError> {
        let r = self.by_code(code).await?;
        let mut files = ClientFiles::default();
        for a in self.store.list_attachments(r.id).await? {
            if a.client_visible {
                files.from_body.push(a);
            } else if a.uploaded_by == CLIENT {
                files.sent.push(SentFile { media_type: a.media_type, size: a.size, created_at: a.created_at });
            }
        }
        Ok(files)
    }

    /// A file the body shows the client, by tracking code; any other file is not found.
    pub async fn client_attachment(&self, code: &str, attachment: Id) -> Result<Download, AppError> {
        let r = self.by_code(code).await?;
        match self.store.get_attachment(r.id, attachment).await {
            Ok((record, content)) if record.client_visible => Ok(Download { record, content }),
            Ok(_) | Err(okno_store::StoreError::NotFound) => Err(AppError::NotFound("attachment")),
            Err(other) => Err(other.into()),
        }
    }

    async fn readable(&self, actor: &Actor, request: Id) -> Result<(), AppError> {
        actor.require(Action::ReadInternal, Scope::SomeBody)?;
        let r = self.store.get_request(request).await.map_err(AppError::not_found("request"))?;
        actor.require_in(Action::ReadInternal, r.body_id)
    }

    async fn by_code(&self, code: &str) -> Result<RequestRecord, AppError> {
        let code = TrackingCode::parse(code).ok_or_else(|| Invalid::one("code", "invalid_code", "a tracking code looks like K7M2-9QXD"))?;
        self.store.request_by_code(code.as_str()).await.map_err(AppError::not_found("request"))
    }
}

/// `Ok` while the client may send files: the request is open or waits for them.
fn accepts_client_files(phase: Phase) -> Result<(), AppError> {
    match phase {
        p if CLIENT_PHASES.contains(&p) => Ok(()),
        Phase::Closed => {
            Err(AppError::Conflict { code: "request_closed", message: "the request is closed; it takes no more files".into() })
        }
        _ => Err(AppError::Conflict { code: "not_accepting", message: "the request is suspended; it takes no files now".into() }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut w = zip::ZipWriter::new(&mut out);
        for (name, data) in parts {
            w.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
        out.into_inner()
    }

    fn types(main: &str, part: &str) -> String {
        format!(
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="{part}" ContentType="{main}"/></Types>"#
        )
    }

    #[test]
    fn the_content_decides_the_type() {
        assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n"), Some(FileType::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01"), Some(FileType::Png));
        assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF"), Some(FileType::Jpeg));
        assert_eq!(sniff("Справка о составе семьи\r\n".as_bytes()), Some(FileType::Text));
        assert_eq!(sniff(b"MZ\x90\0\x03\0\0\0"), None, "a Windows program");
        assert_eq!(sniff(b"\x7fELF\x02\x01\x01\0"), None);
        assert_eq!(sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), None, "old .doc");
        assert_eq!(sniff(b"caf\xE9"), None, "not UTF-8");
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n"), None, "a truncated PNG");
    }

    #[test]
    fn office_documents_are_what_their_container_declares() {
        let docx =
            zip_of(&[("[Content_Types].xml", types(DOCX_MAIN, "/word/document.xml").as_bytes()), ("word/document.xml", b"<w:document/>")]);
        assert_eq!(sniff(&docx), Some(FileType::Docx));
        let xlsx = zip_of(&[("[Content_Types].xml", types(XLSX_MAIN, "/xl/workbook.xml").as_bytes()), ("xl/workbook.xml", b"<workbook/>")]);
        assert_eq!(sniff(&xlsx), Some(FileType::Xlsx));
        let odt = zip_of(&[("mimetype", ODT_TYPE.as_bytes()), ("content.xml", b"<office:document-content/>")]);
        assert_eq!(sniff(&odt), Some(FileType::Odt));

        // A zip with a word folder but no declaration, or declaring a part it lacks, or
        // declaring macros, or another ODF type: refused.
        assert_eq!(sniff(&zip_of(&[("word/document.xml", b"<w:document/>")])), None);
        assert_eq!(sniff(&zip_of(&[("[Content_Types].xml", types(DOCX_MAIN, "/word/document.xml").as_bytes())])), None);
        let macros = "application/vnd.ms-word.document.macroEnabled.main+xml";
        assert_eq!(
            sniff(&zip_of(&[("[Content_Types].xml", types(macros, "/word/document.xml").as_bytes()), ("word/document.xml", b"<x/>")])),
            None
        );
        let ods = zip_of(&[("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<x/>")]);
        assert_eq!(sniff(&ods), None);
        assert_eq!(sniff(b"PK\x03\x04 not really a zip"), None);
    }

    #[test]
    fn names_are_cleaned_and_end_in_the_type_found() {
        assert_eq!(clean_name("C:\\Users\\Мария\\Скан паспорта.PDF", FileType::Pdf), "Скан паспорта.pdf");
        assert_eq!(clean_name("../../etc/passwd", FileType::Text), "passwd.txt");
        assert_eq!(clean_name("счёт\u{202E}fdp.exe", FileType::Pdf), "счётfdp.exe.pdf");
        assert_eq!(clean_name("a\u{0}b\nc.png", FileType::Png), "abc.png");
        assert_eq!(clean_name("page.html", FileType::Text), "page.html.txt");
        assert_eq!(clean_name("photo.jpeg", FileType::Jpeg), "photo.jpeg");
        assert_eq!(clean_name("", FileType::Pdf), "file.pdf");
        assert_eq!(clean_name(".hidden", FileType::Text), "hidden.txt");
        assert_eq!(clean_name("\"quoted\": yes?.txt", FileType::Text), "_quoted__ yes_.txt");
        let long = clean_name(&format!("{}.pdf", "я".repeat(500)), FileType::Pdf);
        assert_eq!(long.chars().count(), MAX_NAME_CHARS);
        assert!(long.ends_with("я.pdf"));
    }

    #[test]
    fn uploads_are_refused_with_a_reason() {
        let code = |r: Result<(String, FileType), Invalid>| r.unwrap_err().0[0].code;
        assert_eq!(code(check_file("a.pdf", b"")), "empty");
        assert_eq!(code(check_file("a.txt", &vec![b'a'; MAX_FILE_BYTES + 1])), "too_large");
        assert_eq!(code(check_file("a.pdf", b"MZ\x90\0")), "type_not_allowed");
        assert!(check_file("a.txt", &vec![b'a'; MAX_FILE_BYTES]).is_ok(), "exactly 10 MiB is allowed");
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        let ru = |n| size_text(n, ["байт", "КБ", "МБ"], true);
        assert_eq!(ru(12), "12 байт");
        assert_eq!(ru(1024), "1 КБ");
        assert_eq!(ru(340 * 1024 - 5), "340 КБ");
        assert_eq!(ru(1024 * 1024), "1 МБ");
        assert_eq!(ru(1258291), "1,2 МБ");
        assert_eq!(size_text(1258291, ["B", "KB", "MB"], false), "1.2 MB");
        assert_eq!(ru(10 * 1024 * 1024), "10 МБ");
        assert_eq!(history_note("скан.pdf", 2048), "Приложен файл «скан.pdf» (2 КБ)");
    }
}
