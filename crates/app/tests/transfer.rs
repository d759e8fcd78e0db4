//! Catalogue import and export through the use cases, on SQLite and on PostgreSQL.

use okno_app::transfer::{Column, Format, ImportReport, MAX_BYTES, MAX_ROWS};
use okno_app::{demo, Actor, App, AppError};
use okno_domain::offering::{Channel, Kind, Offering, ServiceKind, Status, TermUnit};
use okno_domain::org::{BodyInput, EmployeeInput, UnitInput};
use okno_domain::segment::SegmentInput;
use okno_domain::Id;
use okno_store::both_backends;
use okno_store::testing::TestDb;
use std::collections::HashMap;

async fn demo_app(db: &TestDb) -> (App, Id, Id) {
    let app = App::new(db.store.clone());
    demo::load(&app).await.unwrap();
    let bodies = app.list_bodies().await.unwrap();
    let id = |name: &str| bodies.iter().find(|b| b.name == name).unwrap().id;
    (app.clone(), id(demo::AUDIT_BODY), id(demo::MFC_BODY))
}

async fn offerings(app: &App, body: Id) -> Vec<Offering> {
    app.store().all_offerings(body).await.unwrap()
}

/// An offering as JSON without what every write changes.
fn content(o: &Offering) -> serde_json::Value {
    let mut v = serde_json::to_value(o).unwrap();
    let m = v.as_object_mut().unwrap();
    m.remove("version");
    m.remove("updated_at");
    v
}

/// An offering as JSON without anything that differs between two bodies: ids and times.
fn portable(o: &Offering) -> serde_json::Value {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                for k in ["id", "body_id", "product_id", "version", "created_at", "updated_at"] {
                    m.remove(k);
                }
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(o).unwrap();
    strip(&mut v);
    v
}

/// The cells of the first sheet of a file, as text.
fn sheet_rows(format: Format, bytes: &[u8]) -> Vec<Vec<String>> {
    match format {
        Format::Csv => {
            let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(&bytes[3..]);
            r.records().map(|rec| rec.unwrap().iter().map(String::from).collect()).collect()
        }
        Format::Xlsx => {
            use calamine::Reader;
            let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
            let range = wb.worksheet_range_at(0).unwrap().unwrap();
            range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
        }
    }
}

fn csv_file(rows: &[Vec<String>], delimiter: u8, bom: bool) -> Vec<u8> {
    let start = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
    let mut w = csv::WriterBuilder::new().delimiter(delimiter).flexible(true).from_writer(start);
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

fn xlsx_file(rows: &[Vec<String>]) -> Vec<u8> {
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, v).unwrap();
            }
        }
    }
    wb.save_to_buffer().unwrap()
}

fn file(format: Format, rows: &[Vec<String>]) -> Vec<u8> {
    match format {
        Format::Csv => csv_file(rows, b',', true),
        Format::Xlsx => xlsx_file(rows),
    }
}

fn col(c: Column) -> usize {
    Column::ALL.iter().position(|x| *x == c).unwrap()
}

fn fields(e: &AppError) -> Vec<String> {
    match e {
        AppError::Invalid(i) => i.0.iter().map(|f| f.field.clone()).collect(),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

fn messages(e: &AppError) -> String {
    match e {
        AppError::Invalid(i) => i.0.iter().map(|f| format!("{}: {}", f.field, f.message)).collect::<Vec<_>>().join("\n"),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

/// A new body with the units, employees and segments of `from`, under the same names.
async fn twin(app: &App, from: Id) -> Id {
    let s = &Actor::system();
    let body = app.create_body(s, &BodyInput { name: format!("Копия {}", Id::new()), ..Default::default() }).await.unwrap();
    let mut units: HashMap<Id, Id> = HashMap::new();
    let mut pending = app.list_units(from).await.unwrap();
    while !pending.is_empty() {
        let ready = pending.iter().position(|u| u.parent_id.is_none_or(|p| units.contains_key(&p))).expect("a tree");
        let u = pending.remove(ready);
        let input = UnitInput {
            body_id: Some(body),
            parent_id: u.parent_id.map(|p| units[&p]),
            name: u.name.clone(),
            description: u.description.clone(),
        };
        units.insert(u.id, app.create_unit(s, &input).await.unwrap());
    }
    for e in app.list_employees(&Actor::system(), from).await.unwrap() {
        let input = EmployeeInput { unit_id: Some(units[&e.unit_id]), full_name: e.full_name, position: e.position, email: e.email };
        app.create_employee(s, &input).await.unwrap();
    }
    let seeded: Vec<String> = app.list_segments(body).await.unwrap().into_iter().map(|x| x.name).collect();
    for seg in app.list_segments(from).await.unwrap() {
        if !seeded.contains(&seg.name) {
            let input = SegmentInput { body_id: Some(body), name: seg.name, side: seg.side.code().into(), description: seg.description };
            app.create_segment(s, &input).await.unwrap();
        }
    }
    body
}

both_backends!(export_then_import_changes_nothing, |db: TestDb| async move {
    let (app, audit, mfc) = demo_app(&db).await;
    for body in [audit, mfc] {
        for format in [Format::Xlsx, Format::Csv] {
            let before = offerings(&app, body).await;
            let bytes = app.export_catalogue(&Actor::system(), body, format).await.unwrap();
            assert_eq!(sheet_rows(format, &bytes).len(), before.len() + 1, "a header and one row per offering");
            let report = app.import_catalogue(&Actor::system(), body, format, &bytes).await.unwrap();
            assert_eq!(report, ImportReport { created: 0, updated: before.len() }, "{format:?}");
            let after = offerings(&app, body).await;
            assert_eq!(after.iter().map(content).collect::<Vec<_>>(), before.iter().map(content).collect::<Vec<_>>(), "{format:?}");
            assert!(after.iter().zip(&before).all(|(a, b)| a.version == b.version + 1));
        }
    }
});

both_backends!(export_writes_titles_labels_and_reference_sheets, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let csv = app.export_catalogue(&Actor::system(), mfc, Format::Csv).await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "a BOM, so that Excel shows Cyrillic");
    let rows = sheet_rows(Format::Csv, &csv);
    assert_eq!(rows[0], Column::ALL.iter().map(|c| c.title().to_string()).collect::<Vec<_>>());
    let svc = rows.iter().find(|r| r[col(Column::Name)] == "Рассмотрение обращений граждан").unwrap();
    assert_eq!(svc[col(Column::Kind)], "услуга");
    assert_eq!(svc[col(Column::Type)], "государственная или муниципальная услуга");
    assert_eq!(svc[col(Column::Status)], "опубликовано");
    assert_eq!(svc[col(Column::Channels)], "лично, электронный сервис, почта");
    assert_eq!(svc[col(Column::Fee)], "0");
    assert_eq!(svc[col(Column::TermValue)], "30");
    assert_eq!(svc[col(Column::TermUnit)], "календарных дней");
    assert_eq!(svc[col(Column::Segments)], "Граждане: получают ответ по существу в течение 30 дней");
    assert!(svc[col(Column::Outputs)].starts_with("Ответ на обращение гражданина: "));

    let xlsx = app.export_catalogue(&Actor::system(), mfc, Format::Xlsx).await.unwrap();
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(&xlsx)).unwrap();
    assert_eq!(wb.sheet_names(), vec!["Каталог", "Клиенты", "Подразделения"]);
    let segments = wb.worksheet_range("Клиенты").unwrap();
    assert!(segments.rows().any(|r| r[0] == "Родители детей дошкольного возраста" && r[1] == "внешние"));
    let units = wb.worksheet_range("Подразделения").unwrap();
    assert_eq!(units.height(), 1 + app.list_units(mfc).await.unwrap().len());
});

both_backends!(import_into_a_twin_body_creates_everything, |db: TestDb| async move {
    let (app, audit, mfc) = demo_app(&db).await;
    for body in [audit, mfc] {
        for format in [Format::Xlsx, Format::Csv] {
            let bytes = app.export_catalogue(&Actor::system(), body, format).await.unwrap();
            // IDs belong to the first body; a copy for another body goes without them.
            let rows: Vec<Vec<String>> = sheet_rows(format, &bytes).into_iter().map(|r| r[1..].to_vec()).collect();
            let copy = twin(&app, body).await;
            let report = app.import_catalogue(&Actor::system(), copy, format, &file(format, &rows)).await.unwrap();
            let original = offerings(&app, body).await;
            assert_eq!(report, ImportReport { created: original.len(), updated: 0 });
            let copied = offerings(&app, copy).await;
            assert_eq!(copied.iter().map(portable).collect::<Vec<_>>(), original.iter().map(portable).collect::<Vec<_>>());
        }
    }
});

both_backends!(one_bad_row_among_good_ones_changes_nothing, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let before = offerings(&app, mfc).await;
    for format in [Format::Csv, Format::Xlsx] {
        let mut rows = sheet_rows(format, &app.export_catalogue(&Actor::system(), mfc, format).await.unwrap());
        let row_of = |rows: &[Vec<String>], name: &str| rows.iter().position(|r| r[col(Column::Name)] == name).unwrap();
        let unit_row = row_of(&rows, "Ответ на обращение гражданина");
        rows[unit_row][col(Column::OwnerUnit)] = "Отдел кадров".into();
        let kind_row = row_of(&rows, "Контроль исполнения поручений");
        rows[kind_row][col(Column::Kind)] = "вещь".into();
        let seg_row = row_of(&rows, "Рассмотрение обращений граждан");
        rows[seg_row][col(Column::Segments)].push_str("\nПенсионеры: льготный приём");
        // A good new row too: it must not be created either.
        let mut new = vec![String::new(); Column::ALL.len()];
        new[col(Column::Name)] = "Справка о зачислении".into();
        new[col(Column::Kind)] = "продукт".into();
        new[col(Column::Type)] = "документ".into();
        new[col(Column::OwnerUnit)] = "Отдел по вопросам дошкольного образования".into();
        rows.push(new);

        let e = app.import_catalogue(&Actor::system(), mfc, format, &file(format, &rows)).await.unwrap_err();
        // Row numbers as a spreadsheet shows them: the header is row 1.
        let mut expected = vec![
            (unit_row + 1, format!("rows[{}].owner_unit", unit_row + 1)),
            (kind_row + 1, format!("rows[{}].kind", kind_row + 1)),
            (seg_row + 1, format!("rows[{}].segments", seg_row + 1)),
        ];
        expected.sort();
        assert_eq!(fields(&e), expected.into_iter().map(|(_, f)| f).collect::<Vec<_>>(), "{}", messages(&e));
        let text = messages(&e);
        assert!(text.contains("«Отдел кадров»"), "{text}");
        assert!(text.contains("«вещь»"), "{text}");
        assert!(text.contains("«Пенсионеры»"), "{text}");
        let after = offerings(&app, mfc).await;
        assert_eq!(after.len(), before.len(), "nothing was created");
        assert_eq!(after, before, "nothing was changed");
    }
});

both_backends!(semicolon_csv_with_bom_from_russian_excel, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let before = offerings(&app, mfc).await;
    // As Russian Excel saves «CSV (разделители — точки с запятой)»: no quotes around «Плата, ₽».
    let text = "\u{feff}Название;Вид;Тип;Подразделение;Ответственный;Плата, ₽;Срок;Единица срока;Каналы;Клиенты;Результаты;Статус;Правовые основания\r\n\
        Выдача архивной справки;услуга;Государственная или муниципальная услуга;Отдел приёма и выдачи документов;Петрова Ольга Николаевна;1 200,50;10;рабочих дней;лично, электронно;Граждане: справка из архива;Архивная справка: всегда;опубликовано;\"Закон № 1, ст. 2\nРегламент № 3\"\r\n\
        ;;;;;;;;;;;;\r\n\
        Архивная справка;продукт;документ;Отдел приёма и выдачи документов;;;;;;Граждане;;черновик;\r\n\
        ответ на обращение  гражданина;продукт;документ;Отдел приёма и выдачи документов;;;;;;Граждане: ответ по существу;;опубликовано;\r\n";
    let report = app.import_catalogue(&Actor::system(), mfc, Format::Csv, text.as_bytes()).await.unwrap();
    assert_eq!(report, ImportReport { created: 2, updated: 1 });
    let after = offerings(&app, mfc).await;
    assert_eq!(after.len(), before.len() + 2);
    let svc = after.iter().find(|o| o.name == "Выдача архивной справки").unwrap();
    assert_eq!(svc.service_kind, Some(ServiceKind::Regulated));
    assert_eq!(svc.status, Status::Published);
    assert_eq!(svc.fee_kopecks, Some(120_050));
    assert_eq!(svc.term.map(|t| (t.value, t.unit)), Some((10, TermUnit::WorkingDays)));
    assert_eq!(svc.channels, vec![Channel::InPerson, Channel::EService]);
    assert_eq!(svc.responsible_employee.as_ref().unwrap().name, "Петрова Ольга Николаевна");
    assert_eq!(svc.legal_basis, vec!["Закон № 1, ст. 2", "Регламент № 3"]);
    assert_eq!(svc.segments[0].benefit, "справка из архива");
    assert_eq!(svc.outputs[0].name, "Архивная справка", "a product created by the same file");
    assert_eq!(svc.outputs[0].note, "всегда");
    // Matched by name, in another case and spacing: renamed, and what the file leaves out is kept.
    let old = before.iter().find(|o| o.name == "Ответ на обращение гражданина").unwrap();
    let updated = after.iter().find(|o| o.id == old.id).unwrap();
    assert_eq!(updated.name, "ответ на обращение гражданина");
    assert_eq!(updated.description, old.description, "no «Описание» column: kept");
    assert_eq!(updated.segments[0].benefit, "ответ по существу");
    assert_eq!(updated.provided_by, old.provided_by, "services still hand it over");
});

both_backends!(xlsx_with_english_codes_in_any_order, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    let header = ["Outputs", " STATUS ", "type", "Name", "owner_unit", "KIND", "segments", "channels", "fee", "term_unit", "term_value"];
    for (c, h) in header.iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let product = [
        "",
        "published",
        "document",
        "Справка об очереди в детский сад",
        "Отдел по вопросам дошкольного образования",
        "product",
        "Родители детей дошкольного возраста: знают номер в очереди",
        "",
        "",
        "",
        "",
    ];
    let service = [
        "Справка об очереди в детский сад: всегда",
        "draft",
        "regulated",
        "Выдача справки об очереди",
        "Отдел по вопросам дошкольного образования",
        "service",
        "Родители детей дошкольного возраста",
        "in_person; e_service",
        "",
        "working_days",
        "",
    ];
    for (r, row) in [product, service].iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
            }
        }
    }
    // Numbers as a person types them into Excel: real numbers, not text.
    ws.write_number(2, 8, 0).unwrap();
    ws.write_number(2, 10, 3).unwrap();
    let bytes = wb.save_to_buffer().unwrap();

    let report = app.import_catalogue(&Actor::system(), mfc, Format::Xlsx, &bytes).await.unwrap();
    assert_eq!(report, ImportReport { created: 2, updated: 0 });
    let all = offerings(&app, mfc).await;
    let p = all.iter().find(|o| o.name == "Справка об очереди в детский сад").unwrap();
    assert_eq!((p.kind, p.status), (Kind::Product, Status::Published));
    assert_eq!(p.segments[0].benefit, "знают номер в очереди");
    let s = all.iter().find(|o| o.name == "Выдача справки об очереди").unwrap();
    assert_eq!((s.kind, s.status, s.fee_kopecks), (Kind::Service, Status::Draft, Some(0)));
    assert_eq!(s.term.map(|t| (t.value, t.unit)), Some((3, TermUnit::WorkingDays)));
    assert_eq!(s.channels, vec![Channel::InPerson, Channel::EService]);
    assert_eq!(s.outputs[0].product_id, p.id);
});

both_backends!(header_problems_are_named, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let file = "Название,Цена,Подразделение\nВыписка,5,Юридический отдел\n";
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Csv, file.as_bytes()).await.unwrap_err();
    assert_eq!(fields(&e), vec!["columns", "columns"]);
    let text = messages(&e);
    assert!(text.contains("«Цена»"), "{text}");
    assert!(text.contains("«Вид», «Тип»"), "{text}");
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Csv, b"name,kind,type,owner_unit\n").await.unwrap_err();
    assert_eq!(fields(&e), vec!["file"], "a header without rows");
});

both_backends!(ids_of_other_bodies_and_twice_named_rows_are_refused, |db: TestDb| async move {
    let (app, audit, mfc) = demo_app(&db).await;
    let foreign = offerings(&app, audit).await[0].id;
    let own = offerings(&app, mfc).await.into_iter().find(|o| o.kind == Kind::Product).unwrap();
    let unit = "Юридический отдел";
    let file = format!(
        "ID,Название,Вид,Тип,Подразделение\n\
         {foreign},Чужая,продукт,документ,{unit}\n\
         не-id,Кривая,продукт,документ,{unit}\n\
         {own_id},Своя,продукт,документ,{unit}\n\
         {own_id},Своя вторая,продукт,документ,{unit}\n\
         ,Новая,продукт,документ,{unit}\n\
         ,Новая,продукт,документ,{unit}\n\
         ,Услуга,услуга,данные,{unit}\n",
        own_id = own.id
    );
    let before = offerings(&app, mfc).await;
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Csv, file.as_bytes()).await.unwrap_err();
    assert_eq!(fields(&e), vec!["rows[2].id", "rows[3].id", "rows[5].id", "rows[7].name", "rows[8].type"], "{}", messages(&e));
    assert!(messages(&e).contains("«данные» is a type of product"), "{}", messages(&e));
    assert_eq!(offerings(&app, mfc).await, before);
});

both_backends!(anonymous_may_neither_export_nor_import, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let e = app.export_catalogue(&Actor::anonymous(), mfc, Format::Csv).await.unwrap_err();
    assert!(matches!(e, AppError::Unauthenticated));
    let bytes = app.export_catalogue(&Actor::system(), mfc, Format::Csv).await.unwrap();
    let e = app.import_catalogue(&Actor::anonymous(), mfc, Format::Csv, &bytes).await.unwrap_err();
    assert!(matches!(e, AppError::Unauthenticated));
    let e = app.export_catalogue(&Actor::system(), Id::new(), Format::Csv).await.unwrap_err();
    assert!(matches!(e, AppError::NotFound("body")));
});

both_backends!(limits_have_clear_errors, |db: TestDb| async move {
    let (app, _, mfc) = demo_app(&db).await;
    let mut many = String::from("name,kind,type,owner_unit\n");
    for i in 0..=MAX_ROWS {
        many.push_str(&format!("Справка {i},продукт,документ,Юридический отдел\n"));
    }
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Csv, many.as_bytes()).await.unwrap_err();
    assert!(messages(&e).contains("more than 5000 rows"), "{}", messages(&e));
    let big = vec![b'a'; MAX_BYTES + 1];
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Csv, &big).await.unwrap_err();
    assert_eq!(fields(&e), vec!["file"]);
    let e = app.import_catalogue(&Actor::system(), mfc, Format::Xlsx, b"not a workbook").await.unwrap_err();
    assert_eq!(fields(&e), vec!["file"]);
});
