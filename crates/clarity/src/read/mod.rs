//! Reading documents: bytes in, plain text with paragraph breaks out. This is the crate's edge
//! to the outside world, so it trusts nothing: sizes are capped before anything is inflated,
//! archives are read one entry at a time through a counting reader, and every failure is a
//! typed [`ReadError`] with a message a clerk can act on.

mod markdown;
mod office;

use serde::{Deserialize, Serialize};

/// The formats `okno check` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    Text,
    Markdown,
    Docx,
    Odt,
}

impl Format {
    /// The format by the file's extension, case-insensitive; `None` for anything else.
    pub fn from_file_name(name: &str) -> Option<Format> {
        let extension = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match extension.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            "odt" => Some(Format::Odt),
            _ => None,
        }
    }
}

/// Extracted text: paragraphs separated by a blank line. Findings' positions are characters of
/// [`Document::text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Document {
    text: String,
}

impl Document {
    pub fn from_text(text: impl Into<String>) -> Self {
        Document { text: text.into() }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn into_text(self) -> String {
        self.text
    }
}

/// How much a reader may take in. The defaults keep a hostile upload to tens of megabytes of
/// memory whatever it claims to contain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest input accepted, in bytes, before anything is read.
    pub max_input: usize,
    /// Largest text inflated from an archive entry, in bytes.
    pub max_uncompressed: u64,
    /// Largest ratio of inflated to compressed size of an entry; a zip bomb has thousands.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_input: 20 << 20, max_uncompressed: 20 << 20, max_ratio: 100 }
    }
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReadError {
    #[error("файл слишком большой: {size} байт, можно не больше {limit}")]
    TooLarge { size: u64, limit: u64 },
    #[error("файл похож на zip-бомбу: {entry} сжат в {ratio} раз, допустимо не больше {limit}")]
    ZipBomb { entry: String, ratio: u64, limit: u64 },
    #[error("файл повреждён или это не {format}: {reason}")]
    BadArchive { format: &'static str, reason: String },
    #[error("в файле нет части {0}: это не документ Word или OpenDocument")]
    MissingPart(&'static str),
    #[error("текст документа не разобран: {0}")]
    BadXml(String),
    #[error("текст не в кодировке UTF-8 (байт {0}); сохраните файл в UTF-8")]
    NotUtf8(usize),
}

/// Reads a document with the default [`Limits`].
pub fn extract(bytes: &[u8], format: Format) -> Result<Document, ReadError> {
    extract_with(bytes, format, &Limits::default())
}

/// Reads a document within the given limits.
pub fn extract_with(bytes: &[u8], format: Format, limits: &Limits) -> Result<Document, ReadError> {
    if bytes.len() > limits.max_input {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, limit: limits.max_input as u64 });
    }
    let text = match format {
        Format::Text => normalise(decode(bytes)?),
        Format::Markdown => markdown::to_text(&decode(bytes)?),
        Format::Docx => office::docx(bytes, limits)?,
        Format::Odt => office::odt(bytes, limits)?,
    };
    Ok(Document { text })
}

/// UTF-8, with or without a byte-order mark. Legacy encodings are refused rather than guessed:
/// a wrong guess would check gibberish and report nonsense.
fn decode(bytes: &[u8]) -> Result<String, ReadError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(error) => Err(ReadError::NotUtf8(error.valid_up_to())),
    }
}

/// Windows line ends become `\n`, so lines and columns count the same on every system.
fn normalise(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_by_name() {
        assert_eq!(Format::from_file_name("Ответ.DOCX"), Some(Format::Docx));
        assert_eq!(Format::from_file_name("a.md"), Some(Format::Markdown));
        assert_eq!(Format::from_file_name("a.odt"), Some(Format::Odt));
        assert_eq!(Format::from_file_name("a.txt"), Some(Format::Text));
        assert_eq!(Format::from_file_name("a.pdf"), None);
        assert_eq!(Format::from_file_name("README"), None);
    }

    #[test]
    fn plain_text() {
        let doc = extract("\u{feff}Строка\r\nвторая".as_bytes(), Format::Text).unwrap();
        assert_eq!(doc.text(), "Строка\nвторая");
        assert_eq!(extract(b"\xff\xfe", Format::Text), Err(ReadError::NotUtf8(0)));
    }

    #[test]
    fn oversize_input_is_refused() {
        let limits = Limits { max_input: 4, ..Limits::default() };
        assert!(matches!(extract_with(b"12345", Format::Text, &limits), Err(ReadError::TooLarge { size: 5, limit: 4 })));
    }
}
