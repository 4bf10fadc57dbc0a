//! Notifications on a change of diagnosis: when a circuit's verdict or its
//! root cause's check differs from the poll before, one JSON message goes to
//! each `--notify URL` — erdiag's own (`erdiag-notification/1`), or a
//! Microsoft Teams (Adaptive Card) or Slack (`text` + `blocks`) incoming
//! webhook's. A poll that changes nothing sends nothing.
//!
//! Delivery is off the poll's path: [`Notifier::observe`] only queues (a
//! bounded queue; full, the message goes to the dead letter at once), and one
//! task posts in order, retrying a failure with exponential backoff (a 429's
//! `Retry-After` wins) and, after the last attempt, appending the message and
//! its last error to the dead-letter file (JSON Lines).
//!
//! A webhook URL is a secret (Teams and Slack put the key in it): only its
//! host reaches logs, errors, the dead letter and the dashboard.

use crate::state::{CircuitStatus, Shared};
use erdiag_checks::{Report, Verdict};
use erdiag_model::time::unix_rfc3339;
use erdiag_pipeline::fleet::FleetRow;
use serde_json::{json, Value};
use std::io::Write as _;
use std::collections::HashMap;
use std::path::PathBuf;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

/// The generic payload's `format`.
pub const NOTIFICATION_FORMAT: &str = "erdiag-notification/1";

/// `--notify-format`: the shape of the message posted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NotifyFormat {
    /// `erdiag-notification/1`.
    #[default]
    Generic,
    /// A Microsoft Teams incoming webhook (Workflows): a message with one Adaptive Card.
    Teams,
    /// A Slack incoming webhook: `text` and Block Kit `blocks`.
    Slack,
}

impl std::str::FromStr for NotifyFormat {
    type Err = String;
    fn from_str(s: &str) -> Result<NotifyFormat, String> {
        match s {
            "generic" => Ok(NotifyFormat::Generic),
            "teams" => Ok(NotifyFormat::Teams),
            "slack" => Ok(NotifyFormat::Slack),
            _ => Err(format!("unknown notification format {s:?}: expected generic, teams or slack")),
        }
    }
}

/// How notifications are delivered.
#[derive(Debug, Clone)]
pub struct NotifyOptions {
    /// `--notify`: the webhooks, each receiving every message.
    pub urls: Vec<String>,
    pub format: NotifyFormat,
    /// `--dead-letter`: where undeliverable messages are appended (JSON Lines).
    pub dead_letter: Option<PathBuf>,
    /// The dashboard's address as people reach it, for a link in the message.
    pub dashboard: Option<String>,
    /// Attempts per message and webhook (the first and its retries).
    pub attempts: u32,
    /// The wait before the first retry; doubled before each next one.
    pub backoff: Duration,
    /// Messages waiting at most.
    pub queue: usize,
    /// The time one attempt may take.
    pub timeout: Duration,
    /// The last diagnosis recorded of each circuit (lowercased ARM id →
    /// verdict, root-cause check), from [`last_recorded`]: a restarted
    /// watch compares a circuit's first poll with it rather than telling
    /// again what was already told.
    pub recorded: HashMap<String, (String, Option<String>)>,
}

impl Default for NotifyOptions {
    fn default() -> Self {
        NotifyOptions { urls: Vec::new(), format: NotifyFormat::Generic, dead_letter: None, dashboard: None, attempts: 5, backoff: Duration::from_secs(1), queue: 256, timeout: Duration::from_secs(10), recorded: HashMap::new() }
    }
}

/// Whether `new` is a change worth a message. A change is a different
/// verdict or root-cause check than the poll before. A circuit seen for the
/// first time is one unless healthy (a watch starting over a failing circuit
/// says so). A status kept from an earlier poll (`stale`) is no news.
pub fn is_change(old: Option<&CircuitStatus>, new: &CircuitStatus) -> bool {
    if new.stale {
        return false;
    }
    match old {
        Some(o) => o.key() != new.key(),
        None => new.row.verdict != Verdict::Healthy,
    }
}

/// The last diagnosis the history store holds of each circuit, by
/// lowercased ARM id: (verdict, root-cause check).
pub fn last_recorded(url: &str) -> Result<HashMap<String, (String, Option<String>)>, String> {
    let mut store = erdiag_pipeline::history::open(url).map_err(|e| e.to_string())?;
    let label = store.label();
    let mut out = HashMap::new();
    for c in store.circuits().map_err(|e| format!("history store {label}: {e}"))? {
        if let Some(p) = store.polls(&c.id, c.last_poll, c.last_poll).map_err(|e| format!("history store {label}: {e}"))?.pop() {
            out.insert(c.id.to_ascii_lowercase(), (p.verdict, p.root_cause));
        }
    }
    Ok(out)
}

/// The webhook as it may be shown: its scheme and host, never its path or
/// query (where Teams and Slack keep the secret).
pub fn redact_url(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            let host = authority.rsplit('@').next().unwrap_or("");
            format!("{scheme}://{host}/…")
        }
        None => "(a webhook URL)".into(),
    }
}

fn root_cause(row: &FleetRow) -> Value {
    match &row.root_cause {
        Some(rc) => json!({ "check": rc.check, "summary": rc.summary, "owner": rc.owner.as_str(), "networkPoints": rc.network_points }),
        None => Value::Null,
    }
}

/// The `erdiag-notification/1` message of a change.
pub fn generic(old: Option<&CircuitStatus>, new: &CircuitStatus, dashboard: Option<&str>) -> Value {
    let r = &new.row;
    json!({
        "format": NOTIFICATION_FORMAT,
        "circuit": { "id": r.id, "name": r.name },
        "from": old.map(|o| json!({ "verdict": o.row.verdict.as_str(), "rootCause": root_cause(&o.row) })),
        "to": { "verdict": r.verdict.as_str(), "rootCause": root_cause(r) },
        "at": unix_rfc3339(new.observed_at),
        "reason": r.reason,
        "ticket": new.report.as_deref().map(erdiag_render::markdown),
        "dashboard": dashboard.map(|d| circuit_link(d, r)),
    })
}

/// The circuit's page under the dashboard's address.
fn circuit_link(dashboard: &str, row: &FleetRow) -> String {
    format!("{}/{}", dashboard.trim_end_matches('/'), erdiag_render::dashboard::circuit_href(row, true))
}

/// One line saying what changed: `er-ams is DOWN (was HEALTHY): bgp-session-down …`.
fn headline(old: Option<&CircuitStatus>, new: &CircuitStatus) -> String {
    let r = &new.row;
    let was = match old {
        Some(o) if o.row.verdict != r.verdict => format!(" (was {})", o.row.verdict.as_str().to_ascii_uppercase()),
        Some(_) => " (root cause changed)".into(),
        None => String::new(),
    };
    format!("ExpressRoute circuit {} is {}{was}", r.name, r.verdict.as_str().to_ascii_uppercase())
}

/// The facts a chat message lists: (label, value).
fn facts(new: &CircuitStatus) -> Vec<(&'static str, String)> {
    let r = &new.row;
    let mut f = Vec::new();
    match (&r.root_cause, &r.reason) {
        (Some(rc), _) => {
            f.push(("Root cause", format!("{} {}", rc.check, rc.summary)));
            f.push(("Owner of the fix", rc.owner.to_string()));
            f.push(("Network points", rc.network_points.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")));
        }
        (None, Some(why)) => f.push(("Not read", why.clone())),
        (None, None) => f.push(("Root cause", "none".into())),
    }
    if let Some(k) = new.report.as_deref().and_then(|r: &Report| r.circuit.service_key.clone()) {
        f.push(("Service key", k));
    }
    f.push(("Observed at", unix_rfc3339(new.observed_at)));
    f
}

/// A Teams incoming-webhook message: one Adaptive Card with the headline,
/// the facts and a link to the circuit's page when the dashboard is known.
pub fn teams(old: Option<&CircuitStatus>, new: &CircuitStatus, dashboard: Option<&str>) -> Value {
    let color = match new.row.verdict {
        Verdict::Healthy => "Good",
        Verdict::Degraded => "Warning",
        Verdict::Down => "Attention",
        Verdict::Unknown => "Default",
    };
    let facts: Vec<Value> = facts(new).into_iter().map(|(k, v)| json!({ "title": k, "value": v })).collect();
    let mut card = json!({
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.2",
        "body": [
            { "type": "TextBlock", "text": headline(old, new), "weight": "Bolder", "size": "Medium", "color": color, "wrap": true },
            { "type": "FactSet", "facts": facts },
        ],
    });
    if let Some(d) = dashboard {
        card["actions"] = json!([{ "type": "Action.OpenUrl", "title": "Open in the erdiag dashboard", "url": circuit_link(d, &new.row) }]);
    }
    json!({
        "type": "message",
        "attachments": [{ "contentType": "application/vnd.microsoft.card.adaptive", "contentUrl": null, "content": card }],
    })
}

/// Text for Slack's mrkdwn: `&`, `<`, `>` are its only markup to escape.
fn slack_text(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// A Slack incoming-webhook message: `text` (the notification's fallback)
/// and `blocks` (a header, the facts, a link to the circuit's page).
pub fn slack(old: Option<&CircuitStatus>, new: &CircuitStatus, dashboard: Option<&str>) -> Value {
    let head = headline(old, new);
    let fields: Vec<Value> = facts(new).into_iter().map(|(k, v)| json!({ "type": "mrkdwn", "text": format!("*{k}*\n{}", slack_text(&v)) })).collect();
    // Slack's header holds 150 characters.
    let mut blocks = vec![json!({ "type": "header", "text": { "type": "plain_text", "text": slack_text(&erdiag_render::fit(&head, 150)) } })];
    // Slack takes at most ten fields in a section.
    for chunk in fields.chunks(10) {
        blocks.push(json!({ "type": "section", "fields": chunk }));
    }
    if let Some(d) = dashboard {
        blocks.push(json!({ "type": "section", "text": { "type": "mrkdwn", "text": format!("<{}|Open in the erdiag dashboard>", slack_text(&circuit_link(d, &new.row))) } }));
    }
    json!({ "text": slack_text(&head), "blocks": blocks })
}

/// The message of a change in the chosen format.
pub fn payload(format: NotifyFormat, old: Option<&CircuitStatus>, new: &CircuitStatus, dashboard: Option<&str>) -> Value {
    match format {
        NotifyFormat::Generic => generic(old, new, dashboard),
        NotifyFormat::Teams => teams(old, new, dashboard),
        NotifyFormat::Slack => slack(old, new, dashboard),
    }
}

/// Sends what changed. Without `--notify` it does nothing.
pub struct Notifier {
    format: NotifyFormat,
    dashboard: Option<String>,
    queue: Option<mpsc::Sender<Value>>,
    worker: Option<JoinHandle<()>>,
    shared: Option<Shared>,
    dead_letter: Option<PathBuf>,
    runtime: Option<tokio::runtime::Handle>,
    recorded: HashMap<String, (String, Option<String>)>,
}

impl Default for Notifier {
    fn default() -> Self {
        Notifier::disabled()
    }
}

impl Notifier {
    /// A notifier that sends nothing.
    pub fn disabled() -> Notifier {
        Notifier { format: NotifyFormat::Generic, dashboard: None, queue: None, worker: None, shared: None, dead_letter: None, runtime: None, recorded: HashMap::new() }
    }

    /// Starts the delivery task on the current tokio runtime (none without
    /// webhooks). Counts go to `shared`'s `notifications`.
    pub fn new(opts: NotifyOptions, shared: Shared) -> Notifier {
        if opts.urls.is_empty() {
            return Notifier::disabled();
        }
        match Notifier::start(opts, shared) {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "notifications are off");
                Notifier::disabled()
            }
        }
    }

    fn start(opts: NotifyOptions, shared: Shared) -> Result<Notifier, String> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| "notifications need the tokio runtime".to_string())?;
        erdiag_azure::install_crypto_provider();
        let client = reqwest::Client::builder()
            .user_agent(concat!("erdiag/", env!("CARGO_PKG_VERSION")))
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| format!("cannot make the notifications' HTTP client: {e}"))?;
        let (tx, rx) = mpsc::channel(opts.queue.max(1));
        let delivery = Delivery { client, opts: opts.clone(), shared: shared.clone() };
        let worker = runtime.spawn(delivery.run(rx));
        Ok(Notifier { format: opts.format, dashboard: opts.dashboard, queue: Some(tx), worker: Some(worker), shared: Some(shared), dead_letter: opts.dead_letter, runtime: Some(runtime), recorded: opts.recorded })
    }

    /// Sees a circuit's status after a poll: queues a message when it is a
    /// change ([`is_change`]). Never waits, and never takes the state's lock
    /// (the loop may hold it).
    pub fn observe(&self, old: Option<&CircuitStatus>, new: &CircuitStatus) {
        let Some(tx) = &self.queue else { return };
        let seen_before = self.recorded.get(&new.row.id.to_ascii_lowercase()).filter(|_| old.is_none());
        let change = match seen_before {
            // Recorded before a restart: a change only if it differs from then.
            Some((v, rc)) => !new.stale && (v.as_str(), rc.as_deref()) != (new.row.verdict.as_str(), new.row.root_cause.as_ref().map(|c| c.check.as_str())),
            None => is_change(old, new),
        };
        if !change {
            return;
        }
        let body = payload(self.format, old, new, self.dashboard.as_deref());
        if let Err(e) = tx.try_send(body) {
            let body = match e {
                mpsc::error::TrySendError::Full(b) | mpsc::error::TrySendError::Closed(b) => b,
            };
            tracing::warn!(circuit = %new.row.name, "notification queue full: the message goes to the dead letter");
            dead_letter(self.dead_letter.as_deref(), "(every webhook)", &body, "the queue of notifications was full");
            // The loop may hold the state's lock while it calls this: counted later.
            if let (Some(s), Some(rt)) = (self.shared.clone(), &self.runtime) {
                rt.spawn(async move { s.write().notifications.dead_letter += 1 });
            }
        }
    }

    /// Delivers what is queued, waiting at most `grace` (a graceful
    /// shutdown); what is left then is lost, and said so.
    pub async fn finish(mut self, grace: Duration) {
        self.queue = None;
        if let Some(w) = self.worker.take() {
            let abort = w.abort_handle();
            if tokio::time::timeout(grace, w).await.is_err() {
                abort.abort();
                tracing::warn!("notifications still queued at shutdown were not delivered");
            }
        }
    }
}

struct Delivery {
    client: reqwest::Client,
    opts: NotifyOptions,
    shared: Shared,
}

impl Delivery {
    async fn run(self, mut rx: mpsc::Receiver<Value>) {
        while let Some(body) = rx.recv().await {
            for url in &self.opts.urls {
                self.deliver(url, &body).await;
            }
        }
    }

    /// Posts one message to one webhook, retrying; the dead letter after the last attempt.
    async fn deliver(&self, url: &str, body: &Value) {
        let host = redact_url(url);
        let mut wait = self.opts.backoff;
        let attempts = self.opts.attempts.max(1);
        let mut last_error = String::new();
        for attempt in 1..=attempts {
            let (error, retry_after) = match self.client.post(url).json(body).send().await {
                Ok(resp) if resp.status().is_success() => {
                    self.shared.write().notifications.sent += 1;
                    tracing::info!(webhook = %host, attempt, "notification sent");
                    return;
                }
                Ok(resp) => {
                    let status = resp.status();
                    let after = if status == reqwest::StatusCode::TOO_MANY_REQUESTS { erdiag_azure::retry_after(resp.headers()) } else { None };
                    (format!("HTTP {status}"), after)
                }
                // The error without its URL: the URL holds the secret.
                Err(e) => (e.without_url().to_string(), None),
            };
            last_error = error;
            if attempt == attempts {
                break;
            }
            let pause = retry_after.unwrap_or(wait);
            tracing::warn!(webhook = %host, attempt, error = %last_error, retry_in_ms = pause.as_millis() as u64, "notification failed, retrying");
            self.shared.write().notifications.retried += 1;
            tokio::time::sleep(pause).await;
            wait = wait.saturating_mul(2);
        }
        tracing::error!(webhook = %host, attempts, error = %last_error, "notification not delivered: written to the dead letter");
        dead_letter(self.opts.dead_letter.as_deref(), &host, body, &last_error);
        self.shared.write().notifications.dead_letter += 1;
    }
}

/// Appends an undelivered message to the dead-letter file: one JSON line
/// `{"at", "webhook" (its host only), "error", "payload"}`.
fn dead_letter(file: Option<&std::path::Path>, webhook: &str, body: &Value, error: &str) {
    let Some(file) = file else { return };
    let line = json!({ "at": erdiag_model::time::now_rfc3339(), "webhook": webhook, "error": error, "payload": body });
    let written = std::fs::OpenOptions::new().create(true).append(true).open(file).and_then(|mut f| writeln!(f, "{line}"));
    if let Err(e) = written {
        tracing::error!(file = %file.display(), error = %e, "cannot write to the dead-letter file");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_host_of_a_webhook_is_shown() {
        assert_eq!(redact_url("https://hooks.slack.com/services/T000/B000/XXXXsecret"), "https://hooks.slack.com/…");
        assert_eq!(redact_url("https://x.azure.com:443/workflows/1/triggers/manual/paths/invoke?sig=SECRET"), "https://x.azure.com:443/…");
        assert_eq!(redact_url("https://user:pw@h.example/p"), "https://h.example/…");
        assert!(!redact_url("not a url with secret").contains("secret"));
    }

    #[test]
    fn formats_parse_by_name() {
        assert_eq!("teams".parse::<NotifyFormat>(), Ok(NotifyFormat::Teams));
        assert!("email".parse::<NotifyFormat>().unwrap_err().contains("generic, teams or slack"));
    }
}
