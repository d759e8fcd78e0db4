//! Bodies, units, employees and client segments.

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

fn employee_row(r: &AnyRow) -> Result<Employee, StoreError> {
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
    pub async fn create_body(&self, input: &BodyInput) -> Result<Id, StoreError> {
        let id = Id::new();
        let now = now_ms();
        let _w = self.write_guard().await;
        sqlx::query("INSERT INTO bodies (id, name, short_name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
            .bind(id.to_string())
            .bind(&input.name)
            .bind(&input.short_name)
            .bind(&input.description)
            .bind(now)
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "body"))?;
        Ok(id)
    }

    pub async fn update_body(&self, id: Id, input: &BodyInput) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("UPDATE bodies SET name = $2, short_name = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(&input.name)
            .bind(&input.short_name)
            .bind(&input.description)
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "body"))?;
        affected(r.rows_affected())
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
    pub async fn create_unit(&self, input: &UnitInput) -> Result<Id, StoreError> {
        let id = Id::new();
        let body = input.body_id.ok_or(StoreError::NotFound)?;
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO units (id, body_id, parent_id, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id.to_string())
        .bind(body.to_string())
        .bind(input.parent_id.map(|p| p.to_string()))
        .bind(&input.name)
        .bind(&input.description)
        .bind(now_ms())
        .execute(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "unit"))?;
        Ok(id)
    }

    pub async fn update_unit(&self, id: Id, input: &UnitInput) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("UPDATE units SET parent_id = $2, name = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(input.parent_id.map(|p| p.to_string()))
            .bind(&input.name)
            .bind(&input.description)
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "unit"))?;
        affected(r.rows_affected())
    }

    /// Refuses while sub-units, employees or offerings still belong to the unit.
    pub async fn delete_unit(&self, id: Id) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM units WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "unit"))?;
        affected(r.rows_affected())
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
    pub async fn create_employee(&self, body_id: Id, input: &EmployeeInput) -> Result<Id, StoreError> {
        let id = Id::new();
        let unit = input.unit_id.ok_or(StoreError::NotFound)?;
        let _w = self.write_guard().await;
        sqlx::query("INSERT INTO employees (id, body_id, unit_id, full_name, position, email, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
            .bind(id.to_string())
            .bind(body_id.to_string())
            .bind(unit.to_string())
            .bind(&input.full_name)
            .bind(&input.position)
            .bind(input.email.clone())
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "employee"))?;
        Ok(id)
    }

    pub async fn update_employee(&self, id: Id, input: &EmployeeInput) -> Result<(), StoreError> {
        let unit = input.unit_id.ok_or(StoreError::NotFound)?;
        let _w = self.write_guard().await;
        let r = sqlx::query("UPDATE employees SET unit_id = $2, full_name = $3, position = $4, email = $5, updated_at = $6 WHERE id = $1")
            .bind(id.to_string())
            .bind(unit.to_string())
            .bind(&input.full_name)
            .bind(&input.position)
            .bind(input.email.clone())
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "employee"))?;
        affected(r.rows_affected())
    }

    pub async fn delete_employee(&self, id: Id) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM employees WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "employee"))?;
        affected(r.rows_affected())
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

    pub async fn create_segment(&self, input: &ValidSegment) -> Result<Id, StoreError> {
        let id = Id::new();
        let _w = self.write_guard().await;
        sqlx::query(
            "INSERT INTO segments (id, body_id, name, side, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(id.to_string())
        .bind(input.body_id.to_string())
        .bind(&input.name)
        .bind(input.side.code())
        .bind(&input.description)
        .bind(now_ms())
        .execute(&self.pool)
        .await
        .map_err(|e| StoreError::from_write(e, "segment"))?;
        Ok(id)
    }

    pub async fn update_segment(&self, id: Id, input: &ValidSegment) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("UPDATE segments SET name = $2, side = $3, description = $4, updated_at = $5 WHERE id = $1")
            .bind(id.to_string())
            .bind(&input.name)
            .bind(input.side.code())
            .bind(&input.description)
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "segment"))?;
        affected(r.rows_affected())
    }

    /// Removes the segment and its links to offerings.
    pub async fn delete_segment(&self, id: Id) -> Result<(), StoreError> {
        let _w = self.write_guard().await;
        let r = sqlx::query("DELETE FROM segments WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.pool)
            .await
            .map_err(|e| StoreError::from_write(e, "segment"))?;
        affected(r.rows_affected())
    }
}
