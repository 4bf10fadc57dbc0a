//! The Resource Health availability history of the circuit and its gateways
//! (`{R}/providers/Microsoft.ResourceHealth/availabilityStatuses`): what
//! Azure said about the resource over the metrics window, newest first as the
//! API returns it. It tells Microsoft's planned maintenance apart from a
//! fault: a dip in `BgpAvailability` during a `Planned` status is expected.
//!
//! Each status holds from its `occuredTime` (ARM's spelling) until the next
//! newer status's, the newest until the end of the window.

use crate::time::{parse_rfc3339, Unix};
use serde::{Deserialize, Deserializer};

/// One entry of the availability history.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthStatus {
    pub id: Option<String>,
    #[serde(default)]
    pub properties: HealthProperties,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct HealthProperties {
    /// `Available`, `Unavailable`, `Degraded` or `Unknown`.
    pub availability_state: Option<String>,
    /// `Planned`, `Unplanned` or `UserInitiated`.
    pub context: Option<String>,
    pub category: Option<String>,
    pub reason_type: Option<String>,
    pub summary: Option<String>,
    /// When this status began; ARM's own spelling.
    #[serde(default, deserialize_with = "instant")]
    pub occured_time: Option<Unix>,
    pub reason_chronicity: Option<String>,
    #[serde(rename = "resolutionETA")]
    pub resolution_eta: Option<String>,
}

fn instant<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Unix>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(t) => parse_rfc3339(&t).map(Some).map_err(serde::de::Error::custom),
    }
}

impl HealthStatus {
    pub fn state(&self) -> &str {
        self.properties.availability_state.as_deref().unwrap_or("Unknown")
    }
    pub fn is_available(&self) -> bool {
        self.state().eq_ignore_ascii_case("Available")
    }
    /// Microsoft's planned maintenance: `context` (or `category`,
    /// `reasonType`) `Planned`, or a summary that says planned maintenance.
    pub fn is_maintenance(&self) -> bool {
        let p = &self.properties;
        let planned = |v: &Option<String>| v.as_deref().is_some_and(|s| s.trim().eq_ignore_ascii_case("Planned"));
        planned(&p.context)
            || planned(&p.category)
            || planned(&p.reason_type)
            || p.summary.as_deref().is_some_and(|s| s.to_ascii_lowercase().contains("planned maintenance"))
    }
    /// `Unavailable (Planned) since 2026-01-15T08:10:00Z: summary`, for evidence.
    pub fn describe(&self) -> String {
        let p = &self.properties;
        let mut s = self.state().to_string();
        if let Some(c) = p.context.as_deref().or(p.reason_type.as_deref()).filter(|c| !c.is_empty()) {
            s.push_str(&format!(" ({c})"));
        }
        if let Some(t) = p.occured_time {
            s.push_str(&format!(" since {}", crate::time::unix_rfc3339(t)));
        }
        if let Some(m) = p.summary.as_deref().filter(|m| !m.is_empty()) {
            s.push_str(&format!(": {m}"));
        }
        s
    }
}

/// A status and the time it held.
#[derive(Debug, Clone, Copy)]
pub struct HealthSpan<'a> {
    pub from: Unix,
    pub to: Unix,
    pub status: &'a HealthStatus,
}

/// The spans of a history up to `end`, oldest first. Statuses without a time
/// cannot be placed and are left out.
pub fn spans(history: &[HealthStatus], end: Unix) -> Vec<HealthSpan<'_>> {
    let mut timed: Vec<(Unix, &HealthStatus)> = history.iter().filter_map(|s| Some((s.properties.occured_time?, s))).collect();
    timed.sort_by_key(|(t, _)| *t);
    let mut out = Vec::with_capacity(timed.len());
    for (i, (from, status)) in timed.iter().enumerate() {
        let to = timed.get(i + 1).map_or(end.max(*from), |(t, _)| *t);
        out.push(HealthSpan { from: *from, to, status });
    }
    out
}

/// The first maintenance span that overlaps `[from, to]`.
pub fn maintenance_during(history: &[HealthStatus], from: Unix, to: Unix, end: Unix) -> Option<HealthSpan<'_>> {
    spans(history, end).into_iter().find(|s| s.status.is_maintenance() && s.from <= to && s.to >= from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(state: &str, context: &str, at: &str) -> HealthStatus {
        serde_json::from_str(&format!(r#"{{"properties":{{"availabilityState":"{state}","context":"{context}","occuredTime":"{at}"}}}}"#)).unwrap()
    }

    #[test]
    fn newest_first_history_becomes_spans_and_maintenance_is_recognised() {
        // As the API returns it: newest first.
        let h = vec![
            status("Available", "", "2026-01-15T08:20:00Z"),
            status("Unavailable", "Planned", "2026-01-15T08:10:00Z"),
            status("Available", "", "2026-01-15T07:00:00Z"),
        ];
        let s = spans(&h, 1_768_467_600);
        assert_eq!(s.len(), 3);
        assert_eq!((s[1].from, s[1].to), (1_768_464_600, 1_768_465_200));
        assert!(s[1].status.is_maintenance() && !s[0].status.is_maintenance());
        assert!(maintenance_during(&h, 1_768_464_900, 1_768_465_000, 1_768_467_600).is_some());
        assert!(maintenance_during(&h, 1_768_466_000, 1_768_466_100, 1_768_467_600).is_none());
    }

    #[test]
    fn a_summary_can_say_planned_maintenance() {
        let s: HealthStatus = serde_json::from_str(r#"{"properties":{"availabilityState":"Degraded","context":"Unplanned","summary":"We're sorry, this gateway is under planned maintenance."}}"#).unwrap();
        assert!(s.is_maintenance());
        let s = status("Unavailable", "Unplanned", "2026-01-15T08:10:00Z");
        assert!(!s.is_maintenance());
    }
}
