//! CSV in the shapes office software writes it: UTF-8 with or without a BOM (Excel needs
//! the BOM to show Cyrillic), Windows-1251 from older Russian Excel, UTF-16 from «Unicode
//! text»; separated by commas, or by semicolons as Russian Excel saves it, or by tabs.

use super::export::Value;
use super::{file_error, Table, TableRow, MAX_ROWS};
use crate::AppError;

/// Writes rows as RFC 4180 CSV (CRLF between records, quotes where needed) with a BOM.
pub(crate) fn write(rows: &[Vec<Value>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    for row in rows {
        w.write_record(row.iter().map(|v| guard(&v.text()))).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// Text that a spreadsheet would take for a formula («=…», «+…», «-…», «@…») gets a
/// leading apostrophe, so that opening the file runs nothing; `unguard` removes it.
/// A value that already starts with an apostrophe before such a character gets another,
/// so that every value reads back as written.
fn guard(s: &str) -> String {
    let risky = |c: char| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r');
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), _) if risky(c) => format!("'{s}"),
        (Some('\''), Some(c)) if risky(c) || c == '\'' => format!("'{s}"),
        _ => s.to_string(),
    }
}

fn unguard(s: &str) -> &str {
    match s.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r', '\'']) => rest,
        _ => s,
    }
}

/// The text of a file: by its BOM if it has one, else UTF-8, else Windows-1251.
fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        // Not UTF-8: a CSV from Russian Excel without «CSV UTF-8» is in Windows-1251.
        Err(_) => encoding_rs::WINDOWS_1251.decode_without_bom_handling(bytes).0.into_owned(),
    }
}

/// Numbers records as a spreadsheet shows them: one row per record, blank lines
/// included (the reader skips them), line breaks inside quoted cells not.
#[derive(Default)]
struct Lines {
    /// Bytes of the text looked at so far, and the line breaks among them.
    scanned: usize,
    breaks: usize,
    /// Line breaks inside the cells of the records so far.
    inner: usize,
}

impl Lines {
    fn row_of(&mut self, text: &str, record: &csv::StringRecord) -> usize {
        // The reader places a record where the previous one ended, before blank lines.
        let from = record.position().map(|p| p.byte() as usize).unwrap_or(self.scanned).max(self.scanned);
        let start = from + text.as_bytes()[from..].iter().take_while(|b| **b == b'\n').count();
        self.breaks += text.as_bytes()[self.scanned..start].iter().filter(|b| **b == b'\n').count();
        self.scanned = start;
        let row = 1 + self.breaks - self.inner;
        self.inner += record.iter().map(|f| f.matches('\n').count()).sum::<usize>();
        row
    }
}

/// The separator of a file: the most frequent of «,», «;» and tab in its first line,
/// outside quotes (the title «Плата, ₽» has a comma in a semicolon-separated file).
pub(crate) fn detect_delimiter(text: &str) -> u8 {
    let (mut quoted, mut counts) = (false, [0usize; 3]);
    for c in text.trim_start_matches(['\r', '\n']).chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' if !quoted => break,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).expect("three candidates");
    if counts[best] == 0 {
        b','
    } else {
        seps[best]
    }
}

pub(crate) fn read(bytes: &[u8]) -> Result<Table, AppError> {
    // One kind of line break, so that counting lines below is simple; a break inside a
    // cell becomes «\n», which is what the domain keeps anyway.
    let text = decode(bytes).replace("\r\n", "\n").replace('\r', "\n");
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(detect_delimiter(&text)).from_reader(text.as_bytes());
    let mut table = Table::default();
    let mut have_header = false;
    let mut lines = Lines::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(file_error("unreadable", format!("the CSV file cannot be read: {e}"))),
        }
        let number = lines.row_of(&text, &record);
        let cells: Vec<(usize, String)> =
            record.iter().enumerate().filter(|(_, v)| !v.trim().is_empty()).map(|(i, v)| (i, unguard(v).to_string())).collect();
        if cells.is_empty() {
            continue;
        }
        if !have_header {
            table.header = cells;
            have_header = true;
            continue;
        }
        if table.rows.len() == MAX_ROWS {
            return Err(file_error("too_many_rows", format!("the file has more than {MAX_ROWS} rows; split it into smaller files")));
        }
        table.rows.push(TableRow { number, cells, errors: Vec::new() });
    }
    if !have_header {
        return Err(file_error("no_header", "the file is empty: the first row must name the columns"));
    }
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(row: &TableRow) -> Vec<(usize, &str)> {
        row.cells.iter().map(|(i, s)| (*i, s.as_str())).collect()
    }

    #[test]
    fn delimiter_is_detected_from_the_header_line() {
        assert_eq!(detect_delimiter("ID,Название,\"Плата, ₽\"\r\n1;2;3;4;5"), b',');
        assert_eq!(detect_delimiter("ID;Название;Плата, ₽;Срок\n"), b';');
        assert_eq!(detect_delimiter("name\tkind\ttype,x\n"), b'\t');
        assert_eq!(detect_delimiter("name\n"), b',');
        assert_eq!(detect_delimiter("\"a;b;c\",d\n"), b',');
        assert_eq!(detect_delimiter("\r\n\na;b\n"), b';', "blank lines first");
    }

    #[test]
    fn reads_semicolons_with_a_bom_and_skips_empty_rows() {
        let file = "\u{feff}Название;Вид\r\n;\r\nВыписка;продукт\r\n\"Две\r\nстроки\";услуга\r\n\r\nОтвет;продукт\r\n";
        let t = read(file.as_bytes()).unwrap();
        assert_eq!(t.header, vec![(0, "Название".to_string()), (1, "Вид".to_string())]);
        let numbers: Vec<_> = t.rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, vec![3, 4, 6], "rows as a spreadsheet numbers them");
        assert_eq!(texts(&t.rows[1]), vec![(0, "Две\nстроки"), (1, "услуга")]);
        let t = read("\n\nname\n\"a\n\nb\"\n\n\nc\n".as_bytes()).unwrap();
        assert_eq!(t.rows.iter().map(|r| r.number).collect::<Vec<_>>(), vec![4, 7], "blank lines before the header count too");
    }

    #[test]
    fn reads_windows_1251_and_utf16() {
        let (cp1251, _, _) = encoding_rs::WINDOWS_1251.encode("Название;Вид\nВыписка;продукт\n");
        let t = read(&cp1251).unwrap();
        assert_eq!(texts(&t.rows[0]), vec![(0, "Выписка"), (1, "продукт")]);
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "name\tkind\nВыписка\tпродукт\n".encode_utf16() {
            utf16.extend(u.to_le_bytes());
        }
        let t = read(&utf16).unwrap();
        assert_eq!(texts(&t.rows[0]), vec![(0, "Выписка"), (1, "продукт")]);
    }

    #[test]
    fn written_files_have_a_bom_crlf_and_quotes_and_read_back() {
        let rows = vec![
            vec![Value::Text("Название".into()), Value::Text("Плата, ₽".into()), Value::Text("Клиенты".into())],
            vec![Value::Text("=1+1".into()), Value::Roubles(35_050), Value::Text("Граждане: «выписка»\nБизнес".into())],
            vec![Value::Text("'-5".into()), Value::Empty, Value::Text("'обычный' текст".into())],
        ];
        let bytes = write(&rows);
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.starts_with("Название,\"Плата, ₽\",Клиенты\r\n"), "{text}");
        assert!(text.contains("'=1+1,\"350,50\","), "formulas are defused: {text}");
        let t = read(&bytes).unwrap();
        assert_eq!(texts(&t.rows[0]), vec![(0, "=1+1"), (1, "350,50"), (2, "Граждане: «выписка»\nБизнес")]);
        assert_eq!(texts(&t.rows[1]), vec![(0, "'-5"), (2, "'обычный' текст")]);
    }

    #[test]
    fn guard_and_unguard_are_inverse() {
        for s in ["", "a", "=x", "-", "'", "''", "'=x", "''=x", "'a", "@sum", "+7 900", "\tx"] {
            assert_eq!(unguard(&guard(s)), s, "{s:?}");
        }
    }

    #[test]
    fn an_empty_file_has_no_header() {
        assert!(read(b"").is_err());
        assert!(read("\u{feff}\r\n;;\r\n".as_bytes()).is_err());
    }
}
