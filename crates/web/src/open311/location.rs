//! Where an Open311 request is about. A request has no location columns, so the location
//! (and a media URL) is kept as labelled lines at the end of the request's subject:
//!
//! ```text
//! Яма на тротуаре у остановки
//!
//! Адрес: ул. Ленина, 1
//! Координаты: 55.755800, 37.617300
//! ```
//!
//! Staff read it as it is; `split` takes the lines back off for the Open311 answer.

const ADDRESS: &str = "Адрес: ";
const ADDRESS_ID: &str = "Код адреса: ";
const COORDINATES: &str = "Координаты: ";
const MEDIA: &str = "Материалы: ";

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Location {
    pub address: Option<String>,
    pub address_id: Option<String>,
    pub lat_long: Option<(f64, f64)>,
    pub media_url: Option<String>,
}

impl Location {
    pub fn is_empty(&self) -> bool {
        self.address.is_none() && self.address_id.is_none() && self.lat_long.is_none()
    }
}

/// One line: the labels end at the line, so a value never carries a line break.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The subject to store: the client's text, a blank line, then the location lines.
pub fn compose(text: &str, loc: &Location) -> String {
    let mut lines = Vec::new();
    if let Some(a) = &loc.address {
        lines.push(format!("{ADDRESS}{}", one_line(a)));
    }
    if let Some(a) = &loc.address_id {
        lines.push(format!("{ADDRESS_ID}{}", one_line(a)));
    }
    if let Some((lat, long)) = loc.lat_long {
        lines.push(format!("{COORDINATES}{lat:.6}, {long:.6}"));
    }
    if let Some(m) = &loc.media_url {
        lines.push(format!("{MEDIA}{}", one_line(m)));
    }
    if lines.is_empty() {
        return text.trim().to_string();
    }
    format!("{}\n\n{}", text.trim(), lines.join("\n"))
}

/// The client's text and the location, from a stored subject.
pub fn split(subject: &str) -> (String, Location) {
    let mut loc = Location::default();
    let mut lines: Vec<&str> = subject.lines().collect();
    while let Some(last) = lines.last().copied() {
        if let Some(v) = last.strip_prefix(ADDRESS) {
            loc.address.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = last.strip_prefix(ADDRESS_ID) {
            loc.address_id.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = last.strip_prefix(MEDIA) {
            loc.media_url.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = last.strip_prefix(COORDINATES) {
            match v.split_once(',').and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?))) {
                Some(ll) => {
                    loc.lat_long.get_or_insert(ll);
                }
                None => break,
            }
        } else {
            break;
        }
        lines.pop();
    }
    (lines.join("\n").trim_end().to_string(), loc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_location_goes_into_the_subject_and_comes_back() {
        let loc = Location {
            address: Some("ул. Ленина,\n1".into()),
            address_id: None,
            lat_long: Some((55.7558, 37.6173)),
            media_url: Some("https://example.org/a.jpg".into()),
        };
        let s = compose("Яма на тротуаре\nу остановки", &loc);
        assert_eq!(
            s,
            "Яма на тротуаре\nу остановки\n\nАдрес: ул. Ленина, 1\nКоординаты: 55.755800, 37.617300\nМатериалы: https://example.org/a.jpg"
        );
        let (text, back) = split(&s);
        assert_eq!(text, "Яма на тротуаре\nу остановки");
        assert_eq!(back.address.as_deref(), Some("ул. Ленина, 1"));
        assert_eq!(back.lat_long, Some((55.7558, 37.6173)));
        assert_eq!(back.media_url.as_deref(), Some("https://example.org/a.jpg"));
        assert_eq!(split("Просто текст"), ("Просто текст".to_string(), Location::default()));
    }
}
