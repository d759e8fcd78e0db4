//! Offerings with their client segments and outputs.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::{finish, get_id, get_list, get_opt_id, ms_to_rfc3339, now_ms, placeholders, to_json};
use crate::{Store, StoreError};
use okno_domain::offering::{
    BodyRefs, Channel, Kind, NamedRef, Offering, OfferingOutput, OfferingSegment, ProductType, ServiceKind, Status, Term, TermUnit,
    ValidOffering,
};
use okno_domain::segment::Side;
use okno_domain::Id;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row};
use std::collections::HashMap;

/// Filters of the catalogue list; all optional, combined with AND.
#[derive(Clone, Debug, Default)]
pub struct OfferingFilter {
    pub body_id: Option<Id>,
    pub kind: Option<Kind>,
    pub product_type: Option<ProductType>,
    pub service_kind: Option<ServiceKind>,
    pub segment_id: Option<Id>,
    pub unit_id: Option<Id>,
    pub status: Option<Status>,
    /// Drafts and retired offerings are visible in these bodies only; elsewhere only
    /// published ones. `None` shows every status everywhere.
    pub internal_in: Option<Vec<Id>>,
    /// Words to find in the name or description, case-insensitive.
    pub q: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

const OFFERING_COLUMNS: &str = "o.id, o.body_id, o.name, o.description, o.kind, o.product_type, o.service_kind, o.owner_unit_id, \
     u.name AS owner_unit_name, o.responsible_employee_id, e.full_name AS employee_name, o.legal_basis, o.channels, o.fee_kopecks, \
     o.term_value, o.term_unit, o.required_documents, o.status, o.version, o.created_at, o.updated_at";

const OFFERING_FROM: &str =
    "FROM offerings o JOIN units u ON u.id = o.owner_unit_id LEFT JOIN employees e ON e.id = o.responsible_employee_id";

fn search_text(v: &ValidOffering) -> String {
    // SQLite's lower() folds ASCII only, so Cyrillic search uses this pre-folded copy.
    format!("{} {}", v.name, v.description).to_lowercase()
}

fn parse_code<T>(s: Option<String>, f: fn(&str) -> Option<T>, col: &'static str) -> Result<Option<T>, StoreError> {
    s.map(|s| f(&s).ok_or(StoreError::Corrupt(col))).transpose()
}

fn offering_row(r: &AnyRow) -> Result<Offering, StoreError> {
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let channels: Vec<Channel> =
        get_list(r, "channels")?.iter().map(|c| Channel::from_code(c).ok_or(StoreError::Corrupt("channels"))).collect::<Result<_, _>>()?;
    let term_value: Option<i64> = r.try_get("term_value")?;
    let term_unit = parse_code(r.try_get("term_unit")?, TermUnit::from_code, "term_unit")?;
    let employee = match get_opt_id(r, "responsible_employee_id")? {
        Some(id) => Some(NamedRef { id, name: r.try_get::<Option<String>, _>("employee_name")?.unwrap_or_default() }),
        None => None,
    };
    Ok(Offering {
        id: get_id(r, "id")?,
        body_id: get_id(r, "body_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        kind: Kind::from_code(&kind).ok_or(StoreError::Corrupt("kind"))?,
        product_type: parse_code(r.try_get("product_type")?, ProductType::from_code, "product_type")?,
        service_kind: parse_code(r.try_get("service_kind")?, ServiceKind::from_code, "service_kind")?,
        owner_unit: NamedRef { id: get_id(r, "owner_unit_id")?, name: r.try_get("owner_unit_name")? },
        responsible_employee: employee,
        legal_basis: get_list(r, "legal_basis")?,
        channels,
        fee_kopecks: r.try_get("fee_kopecks")?,
        term: match (term_value, term_unit) {
            (Some(v), Some(unit)) => Some(Term { value: v as u32, unit }),
            _ => None,
        },
        required_documents: get_list(r, "required_documents")?,
        status: Status::from_code(&status).ok_or(StoreError::Corrupt("status"))?,
        segments: Vec::new(),
        outputs: Vec::new(),
        provided_by: Vec::new(),
        version: r.try_get("version")?,
        created_at: ms_to_rfc3339(r.try_get("created_at")?),
        updated_at: ms_to_rfc3339(r.try_get("updated_at")?),
    })
}

/// Binds the same values to a query in order; lets one WHERE clause serve count and page.
fn bind_all<'q>(mut q: Query<'q, Any, AnyArguments<'q>>, values: &'q [String]) -> Query<'q, Any, AnyArguments<'q>> {
    for v in values {
        q = q.bind(v.as_str());
    }
    q
}

impl Store {
    pub async fn list_offerings(&self, f: &OfferingFilter, limit: i64, offset: i64) -> Result<Page<Offering>, StoreError> {
        let mut conds: Vec<String> = Vec::new();
        let mut vals: Vec<String> = Vec::new();
        let mut add = |cond: &str, v: String, vals: &mut Vec<String>| {
            vals.push(v);
            conds.push(cond.replace('?', &format!("${}", vals.len())));
        };
        if let Some(b) = f.body_id {
            add("o.body_id = ?", b.to_string(), &mut vals);
        }
        if let Some(k) = f.kind {
            add("o.kind = ?", k.code().into(), &mut vals);
        }
        if let Some(p) = f.product_type {
            add("o.product_type = ?", p.code().into(), &mut vals);
        }
        if let Some(s) = f.service_kind {
            add("o.service_kind = ?", s.code().into(), &mut vals);
        }
        if let Some(u) = f.unit_id {
            add("o.owner_unit_id = ?", u.to_string(), &mut vals);
        }
        if let Some(s) = f.status {
            add("o.status = ?", s.code().into(), &mut vals);
        }
        if let Some(seg) = f.segment_id {
            add(
                "EXISTS (SELECT 1 FROM offering_segments os WHERE os.offering_id = o.id AND os.segment_id = ?)",
                seg.to_string(),
                &mut vals,
            );
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            for word in q.to_lowercase().split_whitespace().take(8) {
                let escaped = word.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
                add("o.search_text LIKE ? ESCAPE '\\'", format!("%{escaped}%"), &mut vals);
            }
        }
        if let Some(bodies) = &f.internal_in {
            vals.push(Status::Published.code().to_string());
            let published = format!("o.status = ${}", vals.len());
            if bodies.is_empty() {
                conds.push(published);
            } else {
                let start = vals.len() + 1;
                vals.extend(bodies.iter().map(|b| b.to_string()));
                conds.push(format!("({published} OR o.body_id IN ({}))", placeholders(start, bodies.len())));
            }
        }
        let where_sql = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };

        let count_sql = format!("SELECT COUNT(*) AS n {OFFERING_FROM} {where_sql}");
        let total: i64 = bind_all(sqlx::query(&count_sql), &vals).fetch_one(&self.pool).await?.try_get("n")?;

        let n = vals.len();
        let page_sql =
            format!("SELECT {OFFERING_COLUMNS} {OFFERING_FROM} {where_sql} ORDER BY o.name, o.id LIMIT ${} OFFSET ${}", n + 1, n + 2);
        let rows = bind_all(sqlx::query(&page_sql), &vals).bind(limit).bind(offset).fetch_all(&self.pool).await?;
        let mut items = rows.iter().map(offering_row).collect::<Result<Vec<_>, _>>()?;
        self.load_links(&mut items).await?;
        Ok(Page { items, total })
    }

    pub async fn get_offering(&self, id: Id) -> Result<Offering, StoreError> {
        let sql = format!("SELECT {OFFERING_COLUMNS} {OFFERING_FROM} WHERE o.id = $1");
        let row = sqlx::query(&sql).bind(id.to_string()).fetch_optional(&self.pool).await?.ok_or(StoreError::NotFound)?;
        let mut items = vec![offering_row(&row)?];
        self.load_links(&mut items).await?;
        Ok(items.pop().expect("one item"))
    }

    /// Every offering of a body, links included: what the client map is built from.
    pub async fn all_offerings(&self, body_id: Id) -> Result<Vec<Offering>, StoreError> {
        let f = OfferingFilter { body_id: Some(body_id), ..Default::default() };
        Ok(self.list_offerings(&f, i64::MAX, 0).await?.items)
    }

    /// Fills segments, outputs and provided_by with three queries for the whole page.
    async fn load_links(&self, items: &mut [Offering]) -> Result<(), StoreError> {
        if items.is_empty() {
            return Ok(());
        }
        let ids: Vec<String> = items.iter().map(|o| o.id.to_string()).collect();
        let inl = placeholders(1, ids.len());
        let index: HashMap<Id, usize> = items.iter().enumerate().map(|(i, o)| (o.id, i)).collect();

        let sql = format!(
            "SELECT os.offering_id, s.id, s.name, s.side, os.benefit FROM offering_segments os JOIN segments s ON s.id = os.segment_id \
             WHERE os.offering_id IN ({inl}) ORDER BY os.position"
        );
        for r in bind_all(sqlx::query(&sql), &ids).fetch_all(&self.pool).await? {
            let side: String = r.try_get("side")?;
            let seg = OfferingSegment {
                id: get_id(&r, "id")?,
                name: r.try_get("name")?,
                side: Side::from_code(&side).ok_or(StoreError::Corrupt("side"))?,
                benefit: r.try_get("benefit")?,
            };
            if let Some(&i) = index.get(&get_id(&r, "offering_id")?) {
                items[i].segments.push(seg);
            }
        }

        let sql = format!(
            "SELECT x.service_id, x.product_id, p.name, p.product_type, x.note FROM outputs x JOIN offerings p ON p.id = x.product_id \
             WHERE x.service_id IN ({inl}) ORDER BY x.position"
        );
        for r in bind_all(sqlx::query(&sql), &ids).fetch_all(&self.pool).await? {
            let out = OfferingOutput {
                product_id: get_id(&r, "product_id")?,
                name: r.try_get("name")?,
                product_type: parse_code(r.try_get("product_type")?, ProductType::from_code, "product_type")?,
                note: r.try_get("note")?,
            };
            if let Some(&i) = index.get(&get_id(&r, "service_id")?) {
                items[i].outputs.push(out);
            }
        }

        let sql = format!(
            "SELECT x.product_id, s.id, s.name FROM outputs x JOIN offerings s ON s.id = x.service_id \
             WHERE x.product_id IN ({inl}) ORDER BY s.name"
        );
        for r in bind_all(sqlx::query(&sql), &ids).fetch_all(&self.pool).await? {
            let svc = NamedRef { id: get_id(&r, "id")?, name: r.try_get("name")? };
            if let Some(&i) = index.get(&get_id(&r, "product_id")?) {
                items[i].provided_by.push(svc);
            }
        }
        Ok(())
    }

    /// What the reference check of an offering needs to know about its body.
    pub async fn body_refs(&self, body_id: Id) -> Result<BodyRefs, StoreError> {
        let b = body_id.to_string();
        let mut refs = BodyRefs::default();
        for r in sqlx::query("SELECT id FROM units WHERE body_id = $1").bind(&b).fetch_all(&self.pool).await? {
            refs.units.insert(get_id(&r, "id")?);
        }
        for r in sqlx::query("SELECT id, unit_id FROM employees WHERE body_id = $1").bind(&b).fetch_all(&self.pool).await? {
            refs.employees.insert(get_id(&r, "id")?, get_id(&r, "unit_id")?);
        }
        for r in sqlx::query("SELECT id FROM segments WHERE body_id = $1").bind(&b).fetch_all(&self.pool).await? {
            refs.segments.insert(get_id(&r, "id")?);
        }
        for r in sqlx::query("SELECT id FROM offerings WHERE body_id = $1 AND kind = 'product'").bind(&b).fetch_all(&self.pool).await? {
            refs.products.insert(get_id(&r, "id")?);
        }
        Ok(refs)
    }

    /// Inserts a checked offering with its links in one transaction.
    pub async fn create_offering(&self, v: &ValidOffering, trail: &Trail, change: &Change) -> Result<Id, StoreError> {
        let id = Id::new();
        let now = now_ms();
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            insert_row(&mut tx, id, v, now).await?;
            write_links(&mut tx, id, v).await?;
            append(
                &mut tx,
                trail,
                Entry { action: "offering.create", entity: "offering", entity_id: Some(id), body_id: Some(v.body_id), change },
            )
            .await
        }
        .await;
        finish(tx, result).await.map(|_| id)
    }

    /// Replaces an offering and its links if it still has `expected_version`
    /// (any version when `None`); returns the new version.
    pub async fn update_offering(
        &self,
        id: Id,
        v: &ValidOffering,
        expected_version: Option<i64>,
        trail: &Trail,
        change: &Change,
    ) -> Result<i64, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let row = sqlx::query("SELECT version FROM offerings WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(StoreError::NotFound)?;
            let current: i64 = row.try_get("version")?;
            let expected = expected_version.unwrap_or(current);
            update_row(&mut tx, id, v, expected, now_ms()).await?;
            clear_links(&mut tx, id, v).await?;
            write_links(&mut tx, id, v).await?;
            append(
                &mut tx,
                trail,
                Entry { action: "offering.update", entity: "offering", entity_id: Some(id), body_id: Some(v.body_id), change },
            )
            .await?;
            Ok(expected + 1)
        }
        .await;
        finish(tx, result).await
    }

    pub async fn delete_offering(&self, id: Id, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let body: Option<String> = sqlx::query("SELECT body_id FROM offerings WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("body_id"))
                .transpose()?;
            let body = body.ok_or(StoreError::NotFound)?;
            sqlx::query("DELETE FROM offerings WHERE id = $1")
                .bind(id.to_string())
                .execute(&mut *tx)
                .await
                .map_err(|e| StoreError::from_write(e, "offering"))?;
            let entry = Entry { action: "offering.delete", entity: "offering", entity_id: Some(id), body_id: body.parse().ok(), change };
            append(&mut tx, trail, entry).await
        }
        .await;
        finish(tx, result).await
    }
}

/// Binds the offering's own fields as `$3`…`$17`, the same in the INSERT and the UPDATE.
fn bind_fields<'q>(q: Query<'q, Any, AnyArguments<'q>>, v: &'q ValidOffering) -> Query<'q, Any, AnyArguments<'q>> {
    q.bind(&v.name)
        .bind(&v.description)
        .bind(search_text(v))
        .bind(v.kind.code())
        .bind(v.product_type.map(|p| p.code()))
        .bind(v.service_kind.map(|s| s.code()))
        .bind(v.owner_unit_id.to_string())
        .bind(v.responsible_employee_id.map(|e| e.to_string()))
        .bind(to_json(&v.legal_basis))
        .bind(to_json(&v.channels.iter().map(|c| c.code()).collect::<Vec<_>>()))
        .bind(v.fee_kopecks)
        .bind(v.term.map(|t| t.value as i64))
        .bind(v.term.map(|t| t.unit.code()))
        .bind(to_json(&v.required_documents))
        .bind(v.status.code())
}

/// Inserts the offering row itself (version 1); the links are `write_links`'s job.
pub(crate) async fn insert_row(tx: &mut sqlx::Transaction<'_, Any>, id: Id, v: &ValidOffering, now: i64) -> Result<(), StoreError> {
    let q = sqlx::query(
        "INSERT INTO offerings (id, body_id, name, description, search_text, kind, product_type, service_kind, owner_unit_id, \
         responsible_employee_id, legal_basis, channels, fee_kopecks, term_value, term_unit, required_documents, status, version, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, 1, $18, $18)",
    )
    .bind(id.to_string())
    .bind(v.body_id.to_string());
    bind_fields(q, v).bind(now).execute(&mut **tx).await.map_err(|e| StoreError::from_write(e, "offering"))?;
    Ok(())
}

/// Replaces the offering row if it still has `expected` as its version, else `Stale`.
pub(crate) async fn update_row(
    tx: &mut sqlx::Transaction<'_, Any>,
    id: Id,
    v: &ValidOffering,
    expected: i64,
    now: i64,
) -> Result<(), StoreError> {
    // The version check is in the UPDATE itself, so two nodes cannot both win.
    let q = sqlx::query(
        "UPDATE offerings SET name = $3, description = $4, search_text = $5, kind = $6, product_type = $7, service_kind = $8, \
         owner_unit_id = $9, responsible_employee_id = $10, legal_basis = $11, channels = $12, fee_kopecks = $13, term_value = $14, \
         term_unit = $15, required_documents = $16, status = $17, version = version + 1, updated_at = $18 \
         WHERE id = $1 AND version = $2",
    )
    .bind(id.to_string())
    .bind(expected);
    let r = bind_fields(q, v).bind(now).execute(&mut **tx).await.map_err(|e| StoreError::from_write(e, "offering"))?;
    if r.rows_affected() == 0 {
        return Err(StoreError::Stale);
    }
    Ok(())
}

/// Removes the links of an offering about to be rewritten by `write_links`.
pub(crate) async fn clear_links(tx: &mut sqlx::Transaction<'_, Any>, id: Id, v: &ValidOffering) -> Result<(), StoreError> {
    if v.kind == Kind::Service {
        // No longer a product: services can no longer hand it over.
        sqlx::query("DELETE FROM outputs WHERE product_id = $1").bind(id.to_string()).execute(&mut **tx).await?;
    }
    sqlx::query("DELETE FROM offering_segments WHERE offering_id = $1").bind(id.to_string()).execute(&mut **tx).await?;
    sqlx::query("DELETE FROM outputs WHERE service_id = $1").bind(id.to_string()).execute(&mut **tx).await?;
    Ok(())
}

pub(crate) async fn write_links(tx: &mut sqlx::Transaction<'_, Any>, id: Id, v: &ValidOffering) -> Result<(), StoreError> {
    for (i, s) in v.segments.iter().enumerate() {
        sqlx::query("INSERT INTO offering_segments (offering_id, segment_id, benefit, position) VALUES ($1, $2, $3, $4)")
            .bind(id.to_string())
            .bind(s.segment_id.to_string())
            .bind(&s.benefit)
            .bind(i as i64)
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "segment link"))?;
    }
    for (i, o) in v.outputs.iter().enumerate() {
        sqlx::query("INSERT INTO outputs (service_id, product_id, note, position) VALUES ($1, $2, $3, $4)")
            .bind(id.to_string())
            .bind(o.product_id.to_string())
            .bind(&o.note)
            .bind(i as i64)
            .execute(&mut **tx)
            .await
            .map_err(|e| StoreError::from_write(e, "output"))?;
    }
    Ok(())
}
