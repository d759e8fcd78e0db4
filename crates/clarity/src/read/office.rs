//! DOCX and ODT: a zip archive with the body in one XML part. The part is inflated through a
//! guard that counts bytes as they come, so neither a lying header nor a zip bomb can make us
//! inflate more than `Limits::max_uncompressed`, and it is parsed as a stream of XML events,
//! so memory stays at the size of the text we keep.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::Event;
use quick_xml::{Reader, XmlVersion};

use super::{Limits, ReadError};

const DOCX_BODY: &str = "word/document.xml";
const ODT_BODY: &str = "content.xml";

pub(super) fn docx(bytes: &[u8], limits: &Limits) -> Result<String, ReadError> {
    read_part(bytes, DOCX_BODY, "документ Word (DOCX)", limits, |reader| walk(reader, &DOCX))
}

pub(super) fn odt(bytes: &[u8], limits: &Limits) -> Result<String, ReadError> {
    read_part(bytes, ODT_BODY, "документ OpenDocument (ODT)", limits, |reader| walk(reader, &ODT))
}

fn read_part(
    bytes: &[u8],
    part: &'static str,
    format: &'static str,
    limits: &Limits,
    parse: impl FnOnce(&mut Reader<BufReader<Guard<'_>>>) -> Result<String, ReadError>,
) -> Result<String, ReadError> {
    let bad = |reason: String| ReadError::BadArchive { format, reason };
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(e.to_string()))?;
    let entry = match archive.by_name(part) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Err(ReadError::MissingPart(part)),
        Err(e) => return Err(bad(e.to_string())),
    };
    let compressed = entry.compressed_size().max(1);
    // The header's word is checked first, and the guard holds even when it lies.
    if entry.size() > limits.max_uncompressed {
        return Err(ReadError::TooLarge { size: entry.size(), limit: limits.max_uncompressed });
    }
    let ratio = entry.size() / compressed;
    if ratio > limits.max_ratio {
        return Err(ReadError::ZipBomb { entry: part.to_owned(), ratio, limit: limits.max_ratio });
    }
    let guard = Guard { inner: entry, read: 0, compressed, part, limits: limits.clone(), tripped: None };
    let mut reader = Reader::from_reader(BufReader::new(guard));
    let result = parse(&mut reader);
    if let Some(error) = reader.get_mut().get_mut().tripped.take() {
        return Err(error);
    }
    result
}

/// Counts inflated bytes and stops the stream at the first byte over a limit.
struct Guard<'a> {
    inner: zip::read::ZipFile<'a, Cursor<&'a [u8]>>,
    read: u64,
    compressed: u64,
    part: &'static str,
    limits: Limits,
    tripped: Option<ReadError>,
}

impl Read for Guard<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        let error = if self.read > self.limits.max_uncompressed {
            Some(ReadError::TooLarge { size: self.read, limit: self.limits.max_uncompressed })
        } else if self.read > 64 << 10 && self.read / self.compressed > self.limits.max_ratio {
            // Small parts compress well for honest reasons; judge the ratio past 64 KiB.
            Some(ReadError::ZipBomb { entry: self.part.to_owned(), ratio: self.read / self.compressed, limit: self.limits.max_ratio })
        } else {
            None
        };
        if let Some(error) = error {
            self.tripped = Some(error);
            return Err(std::io::Error::other("limit exceeded"));
        }
        Ok(n)
    }
}

/// What the elements of a format mean for the text.
struct Vocabulary {
    /// Paragraphs and headings: a blank line after each.
    paragraph: &'static [&'static str],
    /// Elements whose text content is the document's text.
    text: &'static [&'static str],
    /// Empty elements that stand for a character.
    tab: &'static str,
    line_break: &'static [&'static str],
    space: Option<&'static str>,
    /// Elements whose content is not the running text (deleted revisions, comments).
    skip: &'static [&'static str],
}

static DOCX: Vocabulary = Vocabulary {
    paragraph: &["w:p"],
    text: &["w:t"],
    tab: "w:tab",
    line_break: &["w:br", "w:cr"],
    space: None,
    skip: &["w:del", "w:instrText", "w:delText"],
};

static ODT: Vocabulary = Vocabulary {
    paragraph: &["text:p", "text:h"],
    text: &["text:p", "text:h", "text:span", "text:a"],
    tab: "text:tab",
    line_break: &["text:line-break"],
    space: Some("text:s"),
    skip: &["office:annotation", "text:note-citation", "text:tracked-changes"],
};

fn walk<R: std::io::BufRead>(reader: &mut Reader<R>, vocabulary: &Vocabulary) -> Result<String, ReadError> {
    let mut out = String::new();
    let mut buf = Vec::new();
    // Depth inside text-bearing elements, and inside skipped ones.
    let (mut in_text, mut skipping) = (0usize, 0usize);
    let bad = |e: quick_xml::Error| ReadError::BadXml(e.to_string());
    loop {
        match reader.read_event_into(&mut buf).map_err(bad)? {
            Event::Start(e) => {
                let name = e.name();
                if vocabulary.skip.contains(&name.as_ref()) {
                    skipping += 1;
                } else if vocabulary.text.contains(&name.as_ref()) {
                    in_text += 1;
                }
            }
            Event::End(e) => {
                let name = e.name();
                if vocabulary.skip.contains(&name.as_ref()) {
                    skipping = skipping.saturating_sub(1);
                } else {
                    if vocabulary.text.contains(&name.as_ref()) {
                        in_text = in_text.saturating_sub(1);
                    }
                    if vocabulary.paragraph.contains(&name.as_ref()) && skipping == 0 {
                        break_paragraph(&mut out);
                    }
                }
            }
            Event::Empty(e) if skipping == 0 => {
                let name = e.name();
                let name = name.as_ref();
                if name == vocabulary.tab {
                    out.push('\t');
                } else if vocabulary.line_break.contains(&name) {
                    out.push('\n');
                } else if Some(name) == vocabulary.space {
                    let count = e.try_get_attribute("text:c").ok().flatten().and_then(|a| a.value.parse::<usize>().ok()).unwrap_or(1);
                    out.extend(std::iter::repeat_n(' ', count.min(64)));
                } else if vocabulary.paragraph.contains(&name) {
                    break_paragraph(&mut out);
                }
            }
            Event::Text(t) if in_text > 0 && skipping == 0 => {
                out.push_str(&t.xml_content(XmlVersion::Implicit1_0));
            }
            Event::GeneralRef(r) if in_text > 0 && skipping == 0 => {
                let name: &str = r.as_ref();
                match r.resolve_char_ref() {
                    Ok(Some(c)) => out.push(c),
                    _ => out.push_str(match name {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    }),
                }
            }
            Event::CData(t) if in_text > 0 && skipping == 0 => out.push_str(&t.xml_content(XmlVersion::Implicit1_0)),
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out.truncate(out.trim_end().len());
    Ok(out)
}

fn break_paragraph(out: &mut String) {
    out.truncate(out.trim_end_matches([' ', '\t']).len());
    if !out.is_empty() && !out.ends_with("\n\n") {
        out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::super::{extract, extract_with, Format, Limits, ReadError};

    fn zip_with(parts: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut writer = zip::ZipWriter::new(&mut out);
        for (name, body) in parts {
            writer.start_file(*name, zip::write::SimpleFileOptions::default().compression_method(method)).unwrap();
            writer.write_all(body).unwrap();
        }
        writer.finish().unwrap();
        out.into_inner()
    }

    use std::io::Cursor;

    const DOCX_XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>
<w:p><w:r><w:t>Уважаемый </w:t></w:r><w:r><w:t xml:space="preserve">Иван Иванович!</w:t></w:r></w:p>
<w:p><w:r><w:t>Мы приняли &amp; рассмотрели</w:t><w:tab/><w:t>заявление.</w:t></w:r><w:del><w:r><w:delText>удалено</w:delText></w:r></w:del></w:p>
<w:p/>
<w:p><w:r><w:t>Ответ</w:t><w:br/><w:t>готов.</w:t></w:r></w:p>
</w:body></w:document>"#;

    #[test]
    fn docx_paragraphs() {
        let bytes = zip_with(&[("word/document.xml", DOCX_XML.as_bytes())], zip::CompressionMethod::Deflated);
        let doc = extract(&bytes, Format::Docx).unwrap();
        assert_eq!(doc.text(), "Уважаемый Иван Иванович!\n\nМы приняли & рассмотрели\tзаявление.\n\nОтвет\nготов.");
    }

    #[test]
    fn odt_paragraphs() {
        let xml = r#"<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:text>
<text:h>Заголовок</text:h><text:p>Первый<text:s text:c="2"/>абзац <text:span>с выделением</text:span>.</text:p><text:p>Второй<office:annotation><text:p>заметка</text:p></office:annotation> абзац.</text:p>
</office:text></office:body></office:document-content>"#;
        let bytes = zip_with(
            &[("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", xml.as_bytes())],
            zip::CompressionMethod::Deflated,
        );
        let doc = extract(&bytes, Format::Odt).unwrap();
        assert_eq!(doc.text(), "Заголовок\n\nПервый  абзац с выделением.\n\nВторой абзац.");
    }

    #[test]
    fn refuses_zip_bombs_and_garbage() {
        let mut xml = String::from("<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>");
        xml.push_str(&"a".repeat(2 << 20));
        xml.push_str("</w:t></w:r></w:p></w:body></w:document>");
        let bytes = zip_with(&[("word/document.xml", xml.as_bytes())], zip::CompressionMethod::Deflated);
        assert!(matches!(extract(&bytes, Format::Docx), Err(ReadError::ZipBomb { .. })), "{:?}", extract(&bytes, Format::Docx).err());
        let small = Limits { max_uncompressed: 1000, max_ratio: 1_000_000, ..Limits::default() };
        assert!(matches!(extract_with(&bytes, Format::Docx, &small), Err(ReadError::TooLarge { .. })));
        assert!(matches!(extract(b"not a zip", Format::Docx), Err(ReadError::BadArchive { .. })));
        let empty = zip_with(&[("other.xml", b"<a/>")], zip::CompressionMethod::Stored);
        assert_eq!(extract(&empty, Format::Odt), Err(ReadError::MissingPart("content.xml")));
    }
}
