//! Import and export of a body's catalogue as spreadsheets (XLSX and CSV): the lists of
//! offerings that public bodies keep in Excel today.
//!
//! Owns: the file layout (one row per offering, the columns of [`Column`]), the Russian
//! labels people write in cells, reading and writing both formats, and the import rules:
//! how rows are matched to existing offerings, how names become references, and that a
//! file is checked whole before one row is written (the store writes it in one
//! transaction). Optional columns may be left out of a file: an update keeps what the
//! offering has in them.
//!
//! Must never: write SQL (the batch is `Store::import_offerings`) or speak HTTP; the web
//! layer passes bytes in and out.
//!
//! Error fields: a problem in a cell is reported as `rows[N].<column code>`, where `N` is
//! the row number a spreadsheet shows (the header is row 1); a problem with the header as
//! `columns`; a problem with the file as a whole (size, encoding, damage) as `file`.

mod cells;
mod columns;
mod csv;
mod export;
mod import;
mod labels;
mod xlsx;

pub use columns::Column;

use crate::policy::{Action, Scope};
use crate::{Actor, App, AppError};
use okno_domain::Id;

/// At most this many offerings in one file.
pub const MAX_ROWS: usize = 5_000;
/// At most this many bytes in one uploaded file (the web layer caps the body too).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Xlsx,
    Csv,
}

impl Format {
    /// `xlsx`, `.CSV`, `каталог.xlsx`: the format named by an extension or a file name.
    pub fn from_extension_or_name(s: &str) -> Option<Format> {
        let s = s.trim();
        let ext = s.rsplit('.').next().unwrap_or(s);
        match ext.to_ascii_lowercase().as_str() {
            "xlsx" => Some(Format::Xlsx),
            "csv" => Some(Format::Csv),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv => "csv",
        }
    }

    /// The media type of an exported file.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// What an import did. Every row either created an offering or updated one.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
}

impl App {
    /// The whole catalogue of a body as a file, drafts and retired offerings included:
    /// staff data, so it needs the right to edit the catalogue.
    pub async fn export_catalogue(&self, actor: &Actor, body: Id, format: Format) -> Result<Vec<u8>, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        self.body(body).await?;
        actor.require_in(Action::EditOfferings, body)?;
        let book = export::build(&self.store, body).await?;
        match format {
            Format::Xlsx => xlsx::write(&book),
            Format::Csv => Ok(csv::write(&book.catalogue)),
        }
    }

    /// Creates and updates the body's offerings from a file. Every row is checked first;
    /// if any is wrong, nothing is written and every problem is reported.
    pub async fn import_catalogue(&self, actor: &Actor, body: Id, format: Format, bytes: &[u8]) -> Result<ImportReport, AppError> {
        actor.require(Action::EditOfferings, Scope::SomeBody)?;
        self.body(body).await?;
        actor.require_in(Action::EditOfferings, body)?;
        if bytes.len() > MAX_BYTES {
            return Err(okno_domain::Invalid::one(
                "file",
                "too_large",
                format!("the file is larger than {} MiB; split it into smaller files", MAX_BYTES / (1024 * 1024)),
            )
            .into());
        }
        let table = match format {
            Format::Xlsx => xlsx::read(bytes)?,
            Format::Csv => csv::read(bytes)?,
        };
        let items = import::plan(&self.store, body, &table).await?;
        let (created, updated) = self.store.import_offerings(&items, &actor.trail()).await?;
        tracing::info!(%body, created, updated, "catalogue imported");
        Ok(ImportReport { created, updated })
    }
}

/// A sheet as read from a file, before its header is understood. Cells are sparse:
/// `(column index, text)` for every cell that is not blank.
#[derive(Debug, Default)]
pub(crate) struct Table {
    pub header: Vec<(usize, String)>,
    pub rows: Vec<TableRow>,
}

#[derive(Debug, Default)]
pub(crate) struct TableRow {
    /// The row number a spreadsheet shows for it (the header is usually row 1).
    pub number: usize,
    pub cells: Vec<(usize, String)>,
    /// Cells that hold a spreadsheet error (`#N/A`, `#REF!`) instead of a value.
    pub errors: Vec<(usize, String)>,
}

/// The sheets an export writes: the catalogue, and for XLSX two reference sheets.
pub(crate) struct Book {
    pub catalogue: Vec<Vec<export::Value>>,
    /// (name, side label, description) of every client segment of the body.
    pub segments: Vec<[String; 3]>,
    /// (name, parent unit name, description) of every unit of the body.
    pub units: Vec<[String; 3]>,
}

/// An error for the file as a whole.
pub(crate) fn file_error(code: &'static str, message: impl Into<String>) -> AppError {
    okno_domain::Invalid::one("file", code, message).into()
}

/// A1-style letters of a 0-based column index, as a spreadsheet shows them.
pub(crate) fn column_letters(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII letters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_extension_or_name() {
        assert_eq!(Format::from_extension_or_name("xlsx"), Some(Format::Xlsx));
        assert_eq!(Format::from_extension_or_name(".CSV"), Some(Format::Csv));
        assert_eq!(Format::from_extension_or_name("Каталог КСП.XLSX"), Some(Format::Xlsx));
        assert_eq!(Format::from_extension_or_name("dir/catalogue.csv"), Some(Format::Csv));
        assert_eq!(Format::from_extension_or_name("old.xls"), None);
        assert_eq!(Format::from_extension_or_name(""), None);
    }

    #[test]
    fn column_letters_as_spreadsheets_show_them() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }
}
