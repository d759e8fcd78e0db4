//! Client segments: who the clients of a body are, internal or external.

use crate::ids::Id;
use crate::text;
use crate::validation::Invalid;
use serde::{Deserialize, Serialize};

crate::string_enum! {
    /// Internal clients are the body's own staff, units and other bodies' staff;
    /// external ones are citizens, businesses and everyone else outside.
    pub enum Side { Internal = "internal", External = "external" }
}

#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Segment {
    pub id: Id,
    pub body_id: Id,
    pub name: String,
    pub side: Side,
    pub description: String,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SegmentInput {
    pub body_id: Option<Id>,
    pub name: String,
    /// `internal` or `external`.
    pub side: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct ValidSegment {
    pub body_id: Id,
    pub name: String,
    pub side: Side,
    pub description: String,
}

impl SegmentInput {
    pub fn validate(&self) -> Result<ValidSegment, Invalid> {
        let mut e = Invalid::default();
        if self.body_id.is_none() {
            e.push("body_id", "required", "choose the body");
        }
        let name = e.take(text::name("name", &self.name, 200));
        let side = e.take(Side::parse("side", &self.side));
        let description = e.take(text::long_text("description", &self.description, 2000));
        e.into_result()?;
        Ok(ValidSegment { body_id: self.body_id.unwrap(), name: name.unwrap(), side: side.unwrap(), description: description.unwrap() })
    }
}

/// The seed's clients (section 3.2): the segments a new body starts with.
pub fn seed_segments() -> Vec<(Side, &'static str, &'static str)> {
    use Side::*;
    vec![
        (Internal, "Служащие органа", "Сотрудники, которые пользуются результатами нашей работы"),
        (Internal, "Подразделения органа", "Структурные подразделения как заказчики и получатели"),
        (Internal, "Служащие других органов", "Коллеги из других органов власти и учреждений"),
        (External, "Граждане", "Жители, которые обращаются за услугами и информацией"),
        (External, "Бизнес", "Предприниматели и организации"),
        (External, "ИТ-компании", "Разработчики и интеграторы"),
        (External, "Эксперты рынка", "Отраслевые эксперты и аналитики"),
        (External, "ИТ-специалисты", "Опытные специалисты, которые могут помочь или прийти на работу"),
        (External, "Студенты", "Студенты профильных направлений"),
        (External, "Организаторы мероприятий", "Организаторы хакатонов и конференций"),
        (External, "Потенциальные подрядчики", "Организации, которые могут выполнить наши заказы"),
        (External, "Вузы", "Университеты и их преподаватели"),
    ]
}
