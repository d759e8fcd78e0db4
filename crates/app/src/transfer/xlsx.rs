//! XLSX: written with rust_xlsxwriter, read with calamine. Only the first sheet is read;
//! the export's other sheets are for reference.

use super::columns::Column;
use super::export::Value;
use super::{file_error, Book, Table, TableRow, MAX_ROWS};
use crate::AppError;
use calamine::{DataRef, Reader};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io::{Cursor, Read};

/// What the parts of an XLSX may unpack to, together. A 10 MiB upload could otherwise
/// unpack to gigabytes (a «zip bomb»); 5,000 honest rows need a small part of this.
const MAX_UNPACKED: u64 = 128 * 1024 * 1024;

pub(crate) const CATALOGUE_SHEET: &str = "Каталог";
pub(crate) const SEGMENTS_SHEET: &str = "Клиенты";
pub(crate) const UNITS_SHEET: &str = "Подразделения";

pub(crate) fn write(book: &Book) -> Result<Vec<u8>, AppError> {
    write_book(book).map_err(|e| match e {
        XlsxError::MaxStringLengthExceeded => AppError::Conflict {
            code: "export_failed",
            message: "a cell would be longer than the 32,767 characters a spreadsheet cell holds; export as CSV instead".into(),
        },
        other => AppError::Conflict { code: "export_failed", message: format!("the spreadsheet could not be written: {other}") },
    })
}

fn write_book(book: &Book) -> Result<Vec<u8>, XlsxError> {
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_background_color(Color::RGB(0xE7_E6_E6))
        .set_border_bottom(FormatBorder::Thin);
    let text = Format::new().set_text_wrap().set_align(FormatAlign::Top);
    let int = Format::new().set_align(FormatAlign::Top).set_num_format("0");
    let money = Format::new().set_align(FormatAlign::Top).set_num_format("#,##0.00");

    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name(CATALOGUE_SHEET)?;
    for (r, row) in book.catalogue.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            match value {
                Value::Text(s) if r == 0 => sheet.write_string_with_format(r, c, s, &header)?,
                // Strings stay strings: a name like «=1+1» is never a formula.
                Value::Text(s) => sheet.write_string_with_format(r, c, s, &text)?,
                Value::Int(n) => sheet.write_number_with_format(r, c, *n as f64, &int)?,
                Value::Roubles(k) => sheet.write_number_with_format(r, c, *k as f64 / 100.0, &money)?,
                Value::Empty => sheet,
            };
        }
    }
    for (i, column) in Column::ALL.iter().enumerate() {
        sheet.set_column_width(i as u16, column.width())?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, book.catalogue.len().saturating_sub(1).max(1) as u32, Column::ALL.len() as u16 - 1)?;

    let sheet = wb.add_worksheet();
    sheet.set_name(SEGMENTS_SHEET)?;
    reference_sheet(sheet, ["Категория клиентов", "Сторона", "Описание"], [40.0, 14.0, 60.0], &book.segments, &header, &text)?;
    let sheet = wb.add_worksheet();
    sheet.set_name(UNITS_SHEET)?;
    reference_sheet(sheet, ["Подразделение", "Входит в", "Описание"], [48.0, 48.0, 60.0], &book.units, &header, &text)?;
    wb.save_to_buffer()
}

fn reference_sheet(
    sheet: &mut Worksheet,
    titles: [&str; 3],
    widths: [f64; 3],
    rows: &[[String; 3]],
    header: &Format,
    text: &Format,
) -> Result<(), XlsxError> {
    for (c, (title, width)) in titles.iter().zip(widths).enumerate() {
        sheet.write_string_with_format(0, c as u16, *title, header)?;
        sheet.set_column_width(c as u16, width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            if !value.is_empty() {
                sheet.write_string_with_format(r as u32 + 1, c as u16, value, text)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Refuses what is not an XLSX, or unpacks to more than `MAX_UNPACKED`. Counts the bytes
/// actually unpacked: the sizes an archive declares can lie.
fn check_archive(bytes: &[u8]) -> Result<(), AppError> {
    const OLE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";
    if bytes.starts_with(OLE) {
        return Err(file_error(
            "not_xlsx",
            "this is an old-style .xls workbook or one protected by a password; save it as .xlsx without a password",
        ));
    }
    let not_xlsx = |e: zip::result::ZipError| file_error("not_xlsx", format!("this is not an XLSX workbook ({e})"));
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index(i).map_err(not_xlsx)?;
        let n = std::io::copy(&mut part.take(MAX_UNPACKED - total + 1), &mut std::io::sink())
            .map_err(|e| file_error("not_xlsx", format!("the workbook is damaged ({e})")))?;
        total += n;
        if total > MAX_UNPACKED {
            return Err(file_error("too_large", "the workbook unpacks to too much data; split it into smaller files"));
        }
    }
    Ok(())
}

/// The text of a cell as a person typed it; `Err` for a formula error such as `#N/A`.
fn cell_text(value: &DataRef<'_>) -> Result<String, String> {
    Ok(match value {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => s.to_string(),
        DataRef::Int(n) => n.to_string(),
        DataRef::Float(f) => super::cells::number_text(*f),
        DataRef::Bool(b) => b.to_string(),
        DataRef::DateTime(d) => d.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => return Err(e.to_string()),
    })
}

/// Takes the first row with a value as the header, the rest as data rows.
fn push_row(row: TableRow, table: &mut Table, have_header: &mut bool) -> Result<(), AppError> {
    if !*have_header {
        // A formula error in the header reads as its text and is reported as an unknown column.
        table.header = row.cells.into_iter().chain(row.errors).collect();
        table.header.sort_by_key(|(c, _)| *c);
        *have_header = true;
    } else if table.rows.len() == MAX_ROWS {
        return Err(file_error("too_many_rows", format!("the sheet has more than {MAX_ROWS} rows; split it into smaller files")));
    } else {
        table.rows.push(row);
    }
    Ok(())
}

pub(crate) fn read(bytes: &[u8]) -> Result<Table, AppError> {
    check_archive(bytes)?;
    let unreadable = |e: calamine::XlsxError| file_error("not_xlsx", format!("the workbook cannot be read ({e})"));
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(unreadable)?;
    let first = wb.sheet_names().into_iter().next().ok_or_else(|| file_error("no_header", "the workbook has no sheets"))?;
    // The streaming reader keeps one cell at a time; a whole-sheet range would allocate
    // every cell of the bounding box, which a stray cell in XFD1048576 makes huge.
    let mut cells = wb.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut table = Table::default();
    let mut have_header = false;
    let mut row: Option<TableRow> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize + 1, c as usize);
        let value = cell_text(cell.get_value());
        if matches!(&value, Ok(s) if s.trim().is_empty()) {
            continue;
        }
        if row.as_ref().is_some_and(|x| x.number != r) {
            push_row(row.take().expect("checked"), &mut table, &mut have_header)?;
        }
        let current = row.get_or_insert_with(|| TableRow { number: r, ..Default::default() });
        match value {
            Ok(s) => current.cells.push((c, s)),
            Err(e) => current.errors.push((c, e)),
        }
    }
    if let Some(last) = row.take() {
        push_row(last, &mut table, &mut have_header)?;
    }
    if !have_header {
        return Err(file_error("no_header", "the first sheet is empty: its first row must name the columns"));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sheet(rows: &[&[&str]]) -> Vec<u8> {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32, c as u16, *v).unwrap();
                }
            }
        }
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn reads_the_first_sheet_with_spreadsheet_row_numbers() {
        let bytes = sheet(&[&["", ""], &["name", "kind"], &["Выписка", "product"], &["", ""], &["Ответ", ""]]);
        let t = read(&bytes).unwrap();
        assert_eq!(t.header, vec![(0, "name".to_string()), (1, "kind".to_string())]);
        assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), vec![3, 5]);
        assert_eq!(t.rows[1].cells, vec![(0, "Ответ".to_string())]);
    }

    #[test]
    fn numbers_read_as_typed() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "Срок").unwrap();
        ws.write_string(0, 1, "Плата, ₽").unwrap();
        ws.write_number(1, 0, 5).unwrap();
        ws.write_number(1, 1, 350.5).unwrap();
        let t = read(&wb.save_to_buffer().unwrap()).unwrap();
        assert_eq!(t.rows[0].cells, vec![(0, "5".to_string()), (1, "350.5".to_string())]);
    }

    #[test]
    fn refuses_what_is_not_an_xlsx() {
        let e = read(b"name,kind\n").unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref i) if i.0[0].field == "file" && i.0[0].code == "not_xlsx"), "{e:?}");
        let e = read(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap_err();
        assert!(matches!(e, AppError::Invalid(ref i) if i.0[0].message.contains(".xls")), "{e:?}");
    }

    #[test]
    fn the_export_has_three_sheets_and_a_frozen_bold_header() {
        let book = Book {
            catalogue: vec![
                Column::ALL.iter().map(|c| Value::Text(c.title().into())).collect(),
                vec![Value::Empty, Value::Text("=1+1".into()), Value::Int(5), Value::Roubles(35_050)],
            ],
            segments: vec![["Граждане".into(), "внешние".into(), String::new()]],
            units: vec![["Отдел".into(), String::new(), String::new()]],
        };
        let bytes = write(&book).unwrap();
        let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(&bytes)).unwrap();
        assert_eq!(wb.sheet_names(), vec![CATALOGUE_SHEET, SEGMENTS_SHEET, UNITS_SHEET]);
        let t = read(&bytes).unwrap();
        assert_eq!(t.header.len(), Column::ALL.len());
        assert_eq!(t.rows[0].cells, vec![(1, "=1+1".to_string()), (2, "5".to_string()), (3, "350.5".to_string())]);
        let units = wb.worksheet_range(UNITS_SHEET).unwrap();
        assert_eq!(units.get_value((1, 0)).map(|d| d.to_string()), Some("Отдел".into()));
        // Frozen panes and bold live in the XML: check that they are there at all.
        let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml").unwrap().read_to_string(&mut xml).unwrap();
        assert!(xml.contains(r#"state="frozen""#), "{xml}");
        let mut styles = String::new();
        zip.by_name("xl/styles.xml").unwrap().read_to_string(&mut styles).unwrap();
        assert!(styles.contains("<b/>"), "{styles}");
    }
}
