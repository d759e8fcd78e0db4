//! Bodies, units, employees and client segments.

use crate::audit::{append, Change, Entry, Trail};
use crate::db::finish;
use crate::db::{get_id, get_opt_id, now_ms};
use crate::{Store, StoreError};
use okno_domain::org::{Body, BodyInput, Employee, EmployeeInput, Unit, UnitInput};
use okno_domain::segment::{Segment, Side, ValidSegment};
use okno_domain::Id;
use sqlx::any::AnyRow;
use sqlx::Row;

fn body_row(r: &AnyRow) -> Result<Body, StoreError> {
    Ok(Body {
        id: get_id(r, "id")?,
        name: r.try_get("name")?,
        short_name: r.try_get("short_name")?,
        description: r.try_get("description")?,
    })
}

fn unit_row(r: &AnyRow) -> Result<Unit, StoreError> {
    Ok(Unit {
        id: get_id(r, "id")?,
        body_id: get_id(r, "body_id")?,
        parent_id: get_opt_id(r, "parent_id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
    })
}

pub(crate) fn employee_row(r: &AnyRow) -> Result<Employee, StoreError> {
    Ok(Employee {
        id: get_id(r, "id")?,
        body_id: get_id(r, "body_id")?,
        unit_id: get_id(r, "unit_id")?,
        full_name: r.try_get("full_name")?,
        position: r.try_get("position")?,
        email: r.try_get("email")?,
    })
}

fn segment_row(r: &AnyRow) -> Result<Segment, StoreError> {
    let side: String = r.try_get("side")?;
    Ok(Segment {
        id: get_id(r, "id")?,
        body_id: get_id(r, "body_id")?,
        name: r.try_get("name")?,
        side: Side::from_code(&side).ok_or(StoreError::Corrupt("side"))?,
        description: r.try_get("description")?,
    })
}

fn one<T>(rows: Vec<T>) -> Result<T, StoreError> {
    rows.into_iter().next().ok_or(StoreError::NotFound)
}

fn affected(n: u64) -> Result<(), StoreError> {
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

impl Store {
    /// Runs one write and its audit entry in one transaction; the entry is appended only
    /// when the statement changed a row. Returns the number of rows changed.
    async fn write_one<'q>(
        &self,
        q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        what: &'static str,
        trail: &Trail,
        entry: Entry<'_>,
    ) -> Result<u64, StoreError> {
        let _w = self.write_guard().await;
        let mut tx = self.pool.begin().await?;
        let result = async {
            let r = q.execute(&mut *tx).await.map_err(|e| StoreError::from_write(e, what))?;
            if r.rows_affected() > 0 {
                append(&mut tx, trail, entry).await?;
            }
            Ok(r.rows_affected())
        }
        .await;
        finish(tx, result).await
    }

    pub async fn list_bodies(&self) -> Result<Vec<Body>, StoreError> {
        let rows = sqlx::query("SELECT id, name, short_name, description FROM bodies ORDER BY name").fetch_all(&self.pool).await?;
        rows.iter().map(body_row).collect()
    }

    pub async fn get_body(&self, id: Id) -> Result<Body, StoreError> {
        let rows = sqlx::query("SELECT id, name, short_name, description FROM bodies WHERE id = $1")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(body_row).collect::<Result<Vec<_>, _>>()?)
    }

    /// `input` must be validated.
    pub async fn create_body(&self, input: &BodyInput, trail: &Trail, change: &Change) -> Result<Id, StoreError> {
        let id = Id::new();
        let now = now_ms();
        let q =
            sqlx::query("INSERT INTO bodies (id, name, short_name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
                .bind(id.to_string())
                .bind(&input.name)
                .bind(&input.short_name)
                .bind(&input.description)
                .bind(now);
        self.write_one(q, "body", trail, Entry { action: "body.create", entity: "body", entity_id: Some(id), body_id: Some(id), change })
            .await?;
        Ok(id)
    }

    pub async fn update_body(&self, id: Id, input: &BodyInput, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("UPDATE bodies SET name = $2, short_name = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(&input.name)
            .bind(&input.short_name)
            .bind(&input.description)
            .bind(now_ms());
        let r = self
            .write_one(q, "body", trail, Entry { action: "body.update", entity: "body", entity_id: Some(id), body_id: Some(id), change })
            .await?;
        affected(r)
    }

    pub async fn list_units(&self, body_id: Id) -> Result<Vec<Unit>, StoreError> {
        let rows = sqlx::query("SELECT id, body_id, parent_id, name, description FROM units WHERE body_id = $1 ORDER BY name")
            .bind(body_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(unit_row).collect()
    }

    pub async fn get_unit(&self, id: Id) -> Result<Unit, StoreError> {
        let rows = sqlx::query("SELECT id, body_id, parent_id, name, description FROM units WHERE id = $1")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(unit_row).collect::<Result<Vec<_>, _>>()?)
    }

    /// `input` must be validated, its parent checked to be in the same body.
    pub async fn create_unit(&self, input: &UnitInput, trail: &Trail, change: &Change) -> Result<Id, StoreError> {
        let id = Id::new();
        let body = input.body_id.ok_or(StoreError::NotFound)?;
        let q = sqlx::query(
            "INSERT INTO units (id, body_id, parent_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id.to_string())
        .bind(body.to_string())
        .bind(input.parent_id.map(|p| p.to_string()))
        .bind(&input.name)
        .bind(&input.description)
        .bind(now_ms());
        self.write_one(q, "unit", trail, Entry { action: "unit.create", entity: "unit", entity_id: Some(id), body_id: Some(body), change })
            .await?;
        Ok(id)
    }

    pub async fn update_unit(&self, id: Id, input: &UnitInput, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("UPDATE units SET parent_id = $2, name = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(input.parent_id.map(|p| p.to_string()))
            .bind(&input.name)
            .bind(&input.description)
            .bind(now_ms());
        let r = self
            .write_one(
                q,
                "unit",
                trail,
                Entry { action: "unit.update", entity: "unit", entity_id: Some(id), body_id: input.body_id, change },
            )
            .await?;
        affected(r)
    }

    /// Refuses while sub-units, employees or offerings still belong to the unit.
    pub async fn delete_unit(&self, id: Id, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("DELETE FROM units WHERE id = $1").bind(id.to_string());
        let r = self
            .write_one(q, "unit", trail, Entry { action: "unit.delete", entity: "unit", entity_id: Some(id), body_id: None, change })
            .await?;
        affected(r)
    }

    pub async fn list_employees(&self, body_id: Id) -> Result<Vec<Employee>, StoreError> {
        let rows =
            sqlx::query("SELECT id, body_id, unit_id, full_name, position, email FROM employees WHERE body_id = $1 ORDER BY full_name")
                .bind(body_id.to_string())
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(employee_row).collect()
    }

    pub async fn get_employee(&self, id: Id) -> Result<Employee, StoreError> {
        let rows = sqlx::query("SELECT id, body_id, unit_id, full_name, position, email FROM employees WHERE id = $1")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(employee_row).collect::<Result<Vec<_>, _>>()?)
    }

    /// `input` must be validated; the unit decides the body.
    pub async fn create_employee(&self, body_id: Id, input: &EmployeeInput, trail: &Trail, change: &Change) -> Result<Id, StoreError> {
        let id = Id::new();
        let unit = input.unit_id.ok_or(StoreError::NotFound)?;
        let q = sqlx::query("INSERT INTO employees (id, body_id, unit_id, full_name, position, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(id.to_string())
            .bind(body_id.to_string())
            .bind(unit.to_string())
            .bind(&input.full_name)
            .bind(&input.position)
            .bind(input.email.clone())
            .bind(now_ms());
        self.write_one(
            q,
            "employee",
            trail,
            Entry { action: "employee.create", entity: "employee", entity_id: Some(id), body_id: Some(body_id), change },
        )
        .await?;
        Ok(id)
    }

    pub async fn update_employee(&self, id: Id, input: &EmployeeInput, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let unit = input.unit_id.ok_or(StoreError::NotFound)?;
        let q = sqlx::query("UPDATE employees SET unit_id = $2, full_name = $3, position = $4, email = $5, updated_at = $6 WHERE id = $1")
            .bind(id.to_string())
            .bind(unit.to_string())
            .bind(&input.full_name)
            .bind(&input.position)
            .bind(input.email.clone())
            .bind(now_ms());
        let r = self
            .write_one(
                q,
                "employee",
                trail,
                Entry { action: "employee.update", entity: "employee", entity_id: Some(id), body_id: None, change },
            )
            .await?;
        affected(r)
    }

    pub async fn delete_employee(&self, id: Id, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("DELETE FROM employees WHERE id = $1").bind(id.to_string());
        let r = self
            .write_one(
                q,
                "employee",
                trail,
                Entry { action: "employee.delete", entity: "employee", entity_id: Some(id), body_id: None, change },
            )
            .await?;
        affected(r)
    }

    pub async fn list_segments(&self, body_id: Id) -> Result<Vec<Segment>, StoreError> {
        let rows = sqlx::query("SELECT id, body_id, name, side, description FROM segments WHERE body_id = $1 ORDER BY CASE side WHEN 'internal' THEN 0 ELSE 1 END, name")
            .bind(body_id.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(segment_row).collect()
    }

    pub async fn get_segment(&self, id: Id) -> Result<Segment, StoreError> {
        let rows = sqlx::query("SELECT id, body_id, name, side, description FROM segments WHERE id = $1")
            .bind(id.to_string())
            .fetch_all(&self.pool)
            .await?;
        one(rows.iter().map(segment_row).collect::<Result<Vec<_>, _>>()?)
    }

    pub async fn create_segment(&self, input: &ValidSegment, trail: &Trail, change: &Change) -> Result<Id, StoreError> {
        let id = Id::new();
        let q = sqlx::query(
            "INSERT INTO segments (id, body_id, name, side, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id.to_string())
        .bind(input.body_id.to_string())
        .bind(&input.name)
        .bind(input.side.code())
        .bind(&input.description)
        .bind(now_ms());
        self.write_one(
            q,
            "segment",
            trail,
            Entry { action: "segment.create", entity: "segment", entity_id: Some(id), body_id: Some(input.body_id), change },
        )
        .await?;
        Ok(id)
    }

    pub async fn update_segment(&self, id: Id, input: &ValidSegment, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("UPDATE segments SET name = $2, side = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(&input.name)
            .bind(input.side.code())
            .bind(&input.description)
            .bind(now_ms());
        let r = self
            .write_one(
                q,
                "segment",
                trail,
                Entry { action: "segment.update", entity: "segment", entity_id: Some(id), body_id: Some(input.body_id), change },
            )
            .await?;
        affected(r)
    }

    /// Removes the segment and its links to offerings.
    pub async fn delete_segment(&self, id: Id, trail: &Trail, change: &Change) -> Result<(), StoreError> {
        let q = sqlx::query("DELETE FROM segments WHERE id = $1").bind(id.to_string());
        let r = self
            .write_one(
                q,
                "segment",
                trail,
                Entry { action: "segment.delete", entity: "segment", entity_id: Some(id), body_id: None, change },
            )
            .await?;
        affected(r)
    }
}
