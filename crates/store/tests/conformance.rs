//! The store conformance suite: every test runs on SQLite and on PostgreSQL.

use okno_domain::offering::{Kind, OfferingInput, OutputLink, SegmentLink, TermInput};
use okno_domain::org::{BodyInput, EmployeeInput, UnitInput};
use okno_domain::segment::SegmentInput;
use okno_domain::Id;
use okno_store::testing::TestDb;
use okno_store::{both_backends, OfferingFilter, Store, StoreError};
use okno_store::{Change, Trail};

struct Fixture {
    body: Id,
    unit: Id,
    citizens: Id,
    staff: Id,
}

async fn fixture(s: &Store) -> Fixture {
    let body = s
        .create_body(&BodyInput { name: "МФЦ".into(), ..Default::default() }.validate().unwrap(), &by(), &Change::default())
        .await
        .unwrap();
    let unit = s
        .create_unit(
            &UnitInput { body_id: Some(body), name: "Отдел приёма".into(), ..Default::default() }.validate().unwrap(),
            &by(),
            &Change::default(),
        )
        .await
        .unwrap();
    let seg = |name: &str, side: &str| {
        SegmentInput { body_id: Some(body), name: name.into(), side: side.into(), ..Default::default() }.validate().unwrap()
    };
    let citizens = s.create_segment(&seg("Граждане", "external"), &by(), &Change::default()).await.unwrap();
    let staff = s.create_segment(&seg("Служащие", "internal"), &by(), &Change::default()).await.unwrap();
    Fixture { body, unit, citizens, staff }
}

fn offering(f: &Fixture, name: &str, kind: &str) -> OfferingInput {
    let (product_type, service_kind) =
        if kind == "product" { (Some("document".to_string()), None) } else { (None, Some("regulated".to_string())) };
    OfferingInput {
        body_id: Some(f.body),
        name: name.into(),
        description: "Описание ВЫПИСКИ".into(),
        kind: kind.into(),
        product_type,
        service_kind,
        owner_unit_id: Some(f.unit),
        legal_basis: vec!["210-ФЗ, ст. 7".into()],
        channels: vec!["in_person".into(), "e_service".into()],
        fee_kopecks: Some(35_000),
        term: Some(TermInput { value: 5, unit: "working_days".into() }),
        required_documents: vec!["Паспорт".into()],
        segments: vec![SegmentLink { segment_id: f.citizens, benefit: "выписка".into() }],
        ..Default::default()
    }
}

both_backends!(offerings_round_trip_with_links, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let product =
        s.create_offering(&offering(&f, "Выписка из реестра", "product").validate().unwrap(), &by(), &Change::default()).await.unwrap();
    let mut svc = offering(&f, "Предоставление выписки", "service");
    svc.outputs = vec![OutputLink { product_id: product, note: "по запросу".into() }];
    svc.segments.push(SegmentLink { segment_id: f.staff, benefit: "данные для проверки".into() });
    let svc_id = s.create_offering(&svc.validate().unwrap(), &by(), &Change::default()).await.unwrap();

    let got = s.get_offering(svc_id).await.unwrap();
    assert_eq!(got.kind, Kind::Service);
    assert_eq!(got.owner_unit.name, "Отдел приёма");
    assert_eq!(got.channels.len(), 2);
    assert_eq!(got.fee_kopecks, Some(35_000));
    assert_eq!(got.term.unwrap().value, 5);
    assert_eq!(got.legal_basis, vec!["210-ФЗ, ст. 7"]);
    assert_eq!(got.segments.iter().map(|x| x.name.as_str()).collect::<Vec<_>>(), vec!["Граждане", "Служащие"]);
    assert_eq!(got.outputs[0].product_id, product);
    assert_eq!(got.outputs[0].note, "по запросу");
    assert_eq!(got.version, 1);
    assert!(got.created_at.ends_with('Z'));

    let p = s.get_offering(product).await.unwrap();
    assert_eq!(p.provided_by[0].id, svc_id);
});

both_backends!(filters_and_cyrillic_search, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    s.create_offering(&offering(&f, "Выписка из реестра", "product").validate().unwrap(), &by(), &Change::default()).await.unwrap();
    let mut draft = offering(&f, "Юридическая экспертиза", "service");
    draft.segments = vec![SegmentLink { segment_id: f.staff, benefit: String::new() }];
    draft.description = "Проверка проектов актов".into();
    s.create_offering(&draft.validate().unwrap(), &by(), &Change::default()).await.unwrap();

    let all = s.list_offerings(&OfferingFilter { body_id: Some(f.body), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(all.total, 2);
    let by_kind = s.list_offerings(&OfferingFilter { kind: Some(Kind::Product), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(by_kind.items.len(), 1);
    let by_seg = s.list_offerings(&OfferingFilter { segment_id: Some(f.staff), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(by_seg.items[0].name, "Юридическая экспертиза");
    let q = s.list_offerings(&OfferingFilter { q: Some("ПРОЕКТОВ".into()), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(q.total, 1, "search folds Cyrillic case on both backends");
    let q = s.list_offerings(&OfferingFilter { q: Some("100%".into()), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(q.total, 0, "LIKE wildcards in the query are literal");
    let visible = s.list_offerings(&OfferingFilter { internal_in: Some(vec![]), ..Default::default() }, 10, 0).await.unwrap();
    assert_eq!(visible.total, 0, "both are drafts");
    let page = s.list_offerings(&OfferingFilter::default(), 1, 1).await.unwrap();
    assert_eq!((page.total, page.items.len()), (2, 1));
    assert_eq!(page.items[0].name, "Юридическая экспертиза", "pages are ordered by name");
});

both_backends!(stale_versions_lose, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let v = offering(&f, "Выписка", "service").validate().unwrap();
    let id = s.create_offering(&v, &by(), &Change::default()).await.unwrap();
    let mut changed = v.clone();
    changed.name = "Выписка из ЕГРН".into();
    assert_eq!(s.update_offering(id, &changed, Some(1), &by(), &Change::default()).await.unwrap(), 2);
    assert!(matches!(s.update_offering(id, &v, Some(1), &by(), &Change::default()).await, Err(StoreError::Stale)));
    assert_eq!(s.get_offering(id).await.unwrap().name, "Выписка из ЕГРН", "the stale write changed nothing");
    assert!(matches!(s.update_offering(Id::new(), &v, None, &by(), &Change::default()).await, Err(StoreError::NotFound)));
});

both_backends!(concurrent_updates_one_wins, |db: TestDb| async move {
    let s = db.store.clone();
    let f = fixture(&s).await;
    let v = offering(&f, "Выписка", "service").validate().unwrap();
    let id = s.create_offering(&v, &by(), &Change::default()).await.unwrap();
    let mut tasks = Vec::new();
    for i in 0..8 {
        let (s, mut v) = (s.clone(), v.clone());
        v.name = format!("Выписка {i}");
        tasks.push(tokio::spawn(async move { s.update_offering(id, &v, Some(1), &by(), &Change::default()).await }));
    }
    let mut ok = 0;
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(StoreError::Stale) => {}
            Err(e) => panic!("unexpected {e}"),
        }
    }
    assert_eq!(ok, 1, "exactly one writer of version 1 wins");
    assert_eq!(s.get_offering(id).await.unwrap().version, 2);
});

both_backends!(uniqueness_and_references, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let v = offering(&f, "Выписка", "service").validate().unwrap();
    s.create_offering(&v, &by(), &Change::default()).await.unwrap();
    assert!(matches!(s.create_offering(&v, &by(), &Change::default()).await, Err(StoreError::Duplicate("offering"))));
    assert!(
        matches!(s.delete_unit(f.unit, &by(), &Change::default()).await, Err(StoreError::InUse(_))),
        "a unit that owns offerings stays"
    );
    let emp = s
        .create_employee(
            f.body,
            &EmployeeInput { unit_id: Some(f.unit), full_name: "Иванова А. П.".into(), ..Default::default() }.validate().unwrap(),
            &by(),
            &Change::default(),
        )
        .await
        .unwrap();
    let mut with_emp = v.clone();
    with_emp.name = "Другая".into();
    with_emp.responsible_employee_id = Some(emp);
    let other = s.create_offering(&with_emp, &by(), &Change::default()).await.unwrap();
    s.delete_employee(emp, &by(), &Change::default()).await.unwrap();
    assert!(s.get_offering(other).await.unwrap().responsible_employee.is_none());
    s.delete_segment(f.citizens, &by(), &Change::default()).await.unwrap();
    assert!(s.get_offering(other).await.unwrap().segments.is_empty(), "segment links go with the segment");
    let refs = s.body_refs(f.body).await.unwrap();
    assert_eq!((refs.units.len(), refs.segments.len(), refs.products.len()), (1, 1, 0));
});

both_backends!(units_and_bodies, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let child = s
        .create_unit(
            &UnitInput { body_id: Some(f.body), parent_id: Some(f.unit), name: "Сектор".into(), ..Default::default() }.validate().unwrap(),
            &by(),
            &Change::default(),
        )
        .await
        .unwrap();
    assert_eq!(s.get_unit(child).await.unwrap().parent_id, Some(f.unit));
    assert!(matches!(s.delete_unit(f.unit, &by(), &Change::default()).await, Err(StoreError::InUse(_))), "a unit with sub-units stays");
    s.delete_unit(child, &by(), &Change::default()).await.unwrap();
    assert_eq!(s.list_units(f.body).await.unwrap().len(), 1);
    assert_eq!(s.list_bodies().await.unwrap()[0].name, "МФЦ");
    assert!(matches!(s.get_body(Id::new()).await, Err(StoreError::NotFound)));
    s.ping().await.unwrap();
});

fn by() -> Trail {
    Trail { actor: "test".into(), request_id: None, ip: None }
}
