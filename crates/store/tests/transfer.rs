//! The batch write behind catalogue import, on both backends.

use okno_domain::offering::{OfferingInput, OutputLink, SegmentLink, ValidOffering};
use okno_domain::org::{BodyInput, UnitInput};
use okno_domain::segment::SegmentInput;
use okno_domain::Id;
use okno_store::testing::TestDb;
use okno_store::{both_backends, ImportItem, ImportMode, Store, StoreError};
use okno_store::{Change, Trail};

struct Fixture {
    body: Id,
    unit: Id,
    citizens: Id,
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
    let seg = SegmentInput { body_id: Some(body), name: "Граждане".into(), side: "external".into(), ..Default::default() };
    let citizens = s.create_segment(&seg.validate().unwrap(), &by(), &Change::default()).await.unwrap();
    Fixture { body, unit, citizens }
}

fn valid(f: &Fixture, name: &str, kind: &str, outputs: Vec<Id>) -> ValidOffering {
    let (product_type, service_kind) =
        if kind == "product" { (Some("document".to_string()), None) } else { (None, Some("regulated".to_string())) };
    OfferingInput {
        body_id: Some(f.body),
        name: name.into(),
        kind: kind.into(),
        product_type,
        service_kind,
        owner_unit_id: Some(f.unit),
        segments: vec![SegmentLink { segment_id: f.citizens, benefit: "выписка".into() }],
        outputs: outputs.into_iter().map(|product_id| OutputLink { product_id, note: String::new() }).collect(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn names(s: &Store, body: Id) -> Vec<String> {
    s.all_offerings(body).await.unwrap().into_iter().map(|o| o.name).collect()
}

both_backends!(a_batch_links_to_products_of_the_same_batch_and_swaps_names, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let a = s.create_offering(&valid(&f, "А", "product", vec![]), &by(), &Change::default()).await.unwrap();
    let b = s.create_offering(&valid(&f, "Б", "product", vec![]), &by(), &Change::default()).await.unwrap();
    let (new_product, new_service) = (Id::new(), Id::new());
    let items = vec![
        // The service comes first and hands over a product created later in the batch.
        ImportItem {
            id: new_service,
            mode: ImportMode::Create,
            offering: valid(&f, "Услуга", "service", vec![new_product, a]),
            before: None,
        },
        ImportItem { id: new_product, mode: ImportMode::Create, offering: valid(&f, "Новый", "product", vec![]), before: None },
        ImportItem { id: a, mode: ImportMode::Update { version: 1 }, offering: valid(&f, "Б", "product", vec![]), before: None },
        ImportItem { id: b, mode: ImportMode::Update { version: 1 }, offering: valid(&f, "А", "product", vec![]), before: None },
    ];
    assert_eq!(s.import_offerings(&items, &by()).await.unwrap(), (2, 2));
    assert_eq!(s.get_offering(a).await.unwrap().name, "Б", "names swapped within one batch");
    assert_eq!(s.get_offering(b).await.unwrap().name, "А");
    let svc = s.get_offering(new_service).await.unwrap();
    assert_eq!(svc.outputs.iter().map(|o| o.product_id).collect::<Vec<_>>(), vec![new_product, a]);
    assert_eq!(s.get_offering(new_product).await.unwrap().provided_by[0].id, new_service);
});

both_backends!(a_stale_version_writes_nothing, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    let a = s.create_offering(&valid(&f, "А", "product", vec![]), &by(), &Change::default()).await.unwrap();
    s.update_offering(a, &valid(&f, "А2", "product", vec![]), None, &by(), &Change::default()).await.unwrap();
    let items = vec![
        ImportItem { id: Id::new(), mode: ImportMode::Create, offering: valid(&f, "Новый", "product", vec![]), before: None },
        ImportItem { id: a, mode: ImportMode::Update { version: 1 }, offering: valid(&f, "А3", "product", vec![]), before: None },
    ];
    assert!(matches!(s.import_offerings(&items, &by()).await, Err(StoreError::Stale)));
    assert_eq!(names(s, f.body).await, vec!["А2"], "the new row was rolled back with the stale one");
});

both_backends!(a_taken_name_writes_nothing, |db: TestDb| async move {
    let s = &db.store;
    let f = fixture(s).await;
    s.create_offering(&valid(&f, "А", "product", vec![]), &by(), &Change::default()).await.unwrap();
    let items = vec![
        ImportItem { id: Id::new(), mode: ImportMode::Create, offering: valid(&f, "Новый", "product", vec![]), before: None },
        ImportItem { id: Id::new(), mode: ImportMode::Create, offering: valid(&f, "А", "product", vec![]), before: None },
    ];
    assert!(matches!(s.import_offerings(&items, &by()).await, Err(StoreError::Duplicate(_))));
    assert_eq!(names(s, f.body).await, vec!["А"]);
});

fn by() -> Trail {
    Trail { actor: "test".into(), request_id: None, ip: None }
}
