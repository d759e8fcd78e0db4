//! Checking a document for plain Russian. Anyone may: it reads nothing and stores nothing.
//! The check itself is `okno-clarity`; this is where its errors become `AppError`s and its
//! work moves off the async threads.

use crate::{App, AppError};
use okno_clarity::{check, extract, ClarityReport, Config, DocumentKind, Format};
use okno_domain::Invalid;

pub use okno_clarity::{ClarityReport as Report, Format as DocumentFormat};

/// The largest document accepted through the web: a long regulation as DOCX fits.
pub const MAX_DOCUMENT_BYTES: usize = 4 * 1024 * 1024;

/// A document to check.
pub struct DocumentInput {
    pub bytes: Vec<u8>,
    pub format: Format,
    /// A letter to a citizen: also checked for addressing the reader.
    pub letter: bool,
}

/// The report, and the text it points into: for a DOCX or ODT, the text extracted.
pub struct Checked {
    pub text: String,
    pub report: ClarityReport,
}

impl App {
    pub async fn check_document(&self, input: DocumentInput) -> Result<Checked, AppError> {
        if input.bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(Invalid::one(
                "file",
                "too_large",
                format!("the document is larger than {} MiB", MAX_DOCUMENT_BYTES / (1024 * 1024)),
            )
            .into());
        }
        // Morphology and rules take real CPU on a long document: not on the async threads.
        let out = tokio::task::spawn_blocking(move || {
            let doc = extract(&input.bytes, input.format)?;
            let mut cfg = Config::default();
            if input.letter {
                cfg.kind = DocumentKind::Letter;
            }
            let report = check(&doc, &cfg);
            Ok::<_, okno_clarity::ReadError>(Checked { text: doc.into_text(), report })
        })
        .await
        .map_err(|_| Invalid::one("file", "unreadable", "the document could not be checked"))?;
        out.map_err(|e| Invalid::one("file", "unreadable", e.to_string()).into())
    }
}

/// A text staff are about to send a client, as the move carries it: the move's code and
/// the text, or `None` for moves that tell the client nothing in words.
pub fn client_text(mv: &okno_domain::request::Move) -> Option<(&'static str, &str)> {
    use okno_domain::request::Move;
    let text = match mv {
        Move::AskClient { message } | Move::NotifyClient { message } => message,
        Move::Extend { reason, .. } | Move::Close { reason, .. } => reason,
        _ => return None,
    };
    Some((mv.code(), text.as_str())).filter(|(_, t)| !t.trim().is_empty())
}

impl App {
    /// Checks a reply to a client as a letter: it should speak to the reader.
    pub async fn check_response(&self, text: &str) -> Result<ClarityReport, AppError> {
        let input = DocumentInput { bytes: text.as_bytes().to_vec(), format: Format::Text, letter: true };
        Ok(self.check_document(input).await?.report)
    }

    /// Mean clarity of the texts a body sent its clients in [from, to), per offering and
    /// per unit, plainest last: where plain language needs work first.
    pub async fn response_clarity(
        &self,
        actor: &crate::Actor,
        body: okno_domain::Id,
        from: i64,
        to: i64,
    ) -> Result<(Vec<okno_store::ClarityGroup>, Vec<okno_store::ClarityGroup>), AppError> {
        actor.require_in(crate::policy::Action::ReadInternal, body)?;
        if from >= to {
            return Err(Invalid::one("from", "invalid_period", "the period must start before it ends").into());
        }
        Ok((self.store.clarity_by(body, false, from, to).await?, self.store.clarity_by(body, true, from, to).await?))
    }
}
