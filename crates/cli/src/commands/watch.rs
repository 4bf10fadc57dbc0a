//! `erdiag watch`: the flags and the `--config` file merged into one
//! [`WatchConfig`] (a flag wins), the logs set up, the HTTP server started
//! (unless `--no-listen`, or `--once` without `--listen`), then the loop
//! until SIGTERM or Ctrl-C: the poll in flight finishes, the store buffer
//! is flushed, exit 0.

use crate::files::{read_input, Input};
use crate::flags::bounds::MAX_CONCURRENCY;
use crate::flags::watch::{LogFormat, WatchArgs};
use erdiag_pipeline::fleet::{FleetOptions, DEFAULT_CONCURRENCY};
use erdiag_pipeline::graph::Scope;
use erdiag_pipeline::Error;
use erdiag_watch::config::{self, FileConfig, ServerOptions, Targets, WatchConfig, DEFAULT_EVERY, DEFAULT_LISTEN, STORE_BUFFER};
use erdiag_watch::dashboard::DashboardOptions;
use erdiag_watch::notify::{NotifyFormat, NotifyOptions, Notifier};
use erdiag_watch::run::Watch;
use erdiag_watch::{Shared, WatchState};
use std::net::SocketAddr;

pub fn run(mut a: WatchArgs) -> Result<u8, Error> {
    let file = match &a.config {
        Some(p) => {
            let (label, bytes) = read_input(p, Input::Text)?;
            let text = String::from_utf8(bytes).map_err(|_| Error::input(format!("{label}: not UTF-8 text")))?;
            FileConfig::parse(&label, &text)?
        }
        None => FileConfig::default(),
    };
    let label = a.config.as_ref().map(|p| p.display().to_string()).unwrap_or_default();
    merge(&mut a, &file, &label)?;
    let json_logs = a.log_format == Some(LogFormat::Json);
    init_logs(json_logs);
    let listen = listen_address(&a)?;
    if let Some(addr) = listen {
        config::check_listen(addr, a.auth_token.as_deref(), a.insecure_no_auth)?;
    }
    let retention = a.retention.as_deref().map(|r| erdiag_model::time::parse_span(r).map_err(|e| Error::usage(format!("--retention {r}: {e}")))).transpose()?;
    let every = a.every.unwrap_or(DEFAULT_EVERY);
    let targets = targets(&a)?;
    let fleet = FleetOptions {
        concurrency: a.concurrency.unwrap_or(DEFAULT_CONCURRENCY),
        diagnose: a.diagnosis.options()?,
        keep_snapshots: true,
        collect: a.metrics.options(),
        // erdiag's own earlier polls, from the store, confirm metric dips.
        observe: a.store.clone().map(erdiag_watch::run::store_observer),
        // A fleet's metrics in one call per 50 circuits of a subscription and region.
        metrics_batch: !a.no_metrics_batch,
    };
    let summary = summary(&a, &targets, every, listen);
    let config = WatchConfig { targets, every, jitter: !a.no_jitter, once: a.once, store: a.store.clone(), retention, store_buffer: STORE_BUFFER, fleet, summary };
    let notify = NotifyOptions {
        urls: a.notify.clone(),
        format: match a.notify_format {
            Some(crate::flags::watch::NotifyFormat::Teams) => NotifyFormat::Teams,
            Some(crate::flags::watch::NotifyFormat::Slack) => NotifyFormat::Slack,
            _ => NotifyFormat::Generic,
        },
        dead_letter: a.dead_letter.clone(),
        // A restarted watch does not tell again what it told before.
        recorded: match &a.store {
            Some(url) if !a.notify.is_empty() => erdiag_watch::notify::last_recorded(url).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot read the last diagnoses recorded: each circuit not healthy is told at its first poll");
                Default::default()
            }),
            _ => Default::default(),
        },
        ..NotifyOptions::default()
    };
    let server_options = ServerOptions {
        auth_token: a.auth_token.clone(),
        dashboard: DashboardOptions { store: a.store.clone(), every_secs: every.as_secs() },
    };
    let rt = super::runtime(2)?;
    rt.block_on(async move {
        let shared = Shared::new(WatchState::default());
        let notifier = Notifier::new(notify, shared.clone());
        let watch = Watch::new(config, shared.clone(), notifier)?;
        let (stop, stopped) = tokio::sync::watch::channel(false);
        let (server, bound) = match listen {
            Some(addr) => {
                let (thread, bound) = serve(addr, shared.clone(), &server_options, stopped.clone())?;
                (Some(thread), Some(bound))
            }
            None => (None, None),
        };
        tokio::spawn(signals(stop));
        // The address bound, not the one asked (port 0: the one the system chose).
        tracing::info!(every_s = every.as_secs(), listen = ?bound, "watching");
        watch.run(stopped).await?;
        if let Some(s) = server {
            let _ = tokio::task::spawn_blocking(move || s.join()).await;
        }
        tracing::info!("stopped");
        Ok::<(), Error>(())
    })?;
    Ok(0)
}

/// The file's settings where no flag (or environment variable) gave one.
fn merge(a: &mut WatchArgs, f: &FileConfig, label: &str) -> Result<(), Error> {
    fn list(flag: &mut Vec<String>, file: &Option<Vec<String>>) {
        if flag.is_empty() {
            if let Some(v) = file {
                flag.clone_from(v);
            }
        }
    }
    fn one<T: Clone>(flag: &mut Option<T>, file: &Option<T>) {
        if flag.is_none() {
            flag.clone_from(file);
        }
    }
    let bad = |key: &str, e: String| Error::usage(format!("{label}: {key}: {e}")).with_hint("docs/watch.md lists every key and its values");
    let s = &mut a.select;
    list(&mut s.subscriptions, &f.subscription);
    list(&mut s.management_groups, &f.management_group);
    list(&mut s.resource_groups, &f.resource_group);
    list(&mut s.names, &f.name);
    list(&mut s.locations, &f.location);
    list(&mut s.providers, &f.provider);
    if s.tags.is_empty() {
        for t in f.tag.iter().flatten() {
            s.tags.push(crate::flags::fleet::tag(t).map_err(|e| bad("tag", e))?);
        }
    }
    list(&mut a.ids, &f.id);
    one(&mut a.scenario, &f.scenario);
    if a.snapshots.is_empty() {
        a.snapshots = f.snapshots.clone().unwrap_or_default();
    }
    list(&mut a.notify, &f.notify);
    one(&mut a.connection.arm_endpoint, &f.arm_endpoint);
    one(&mut a.store, &f.store);
    one(&mut a.retention, &f.retention);
    one(&mut a.listen, &f.listen);
    one(&mut a.auth_token, &f.auth_token);
    one(&mut a.dead_letter, &f.dead_letter);
    one(&mut a.concurrency, &f.concurrency);
    if a.every.is_none() {
        a.every = f.every.as_deref().map(config::every).transpose().map_err(|e| bad("every", e))?;
    }
    if a.notify_format.is_none() {
        a.notify_format = f.notify_format.as_deref().map(|v| clap::ValueEnum::from_str(v, true)).transpose().map_err(|e| bad("notify-format", e))?;
    }
    if a.log_format.is_none() {
        a.log_format = f.log_format.map(|l| match l {
            config::LogFormat::Text => LogFormat::Text,
            config::LogFormat::Json => LogFormat::Json,
        });
    }
    a.all_subscriptions |= f.all_subscriptions.unwrap_or(false);
    a.no_jitter |= f.no_jitter.unwrap_or(false);
    a.once |= f.once.unwrap_or(false);
    a.no_listen |= f.no_listen.unwrap_or(false);
    a.insecure_no_auth |= f.insecure_no_auth.unwrap_or(false);
    a.no_metrics_batch |= f.no_metrics_batch.unwrap_or(false);
    if let Some(c) = a.concurrency {
        if c == 0 || c as u64 > crate::flags::bounds::MAX_FLEET_CONCURRENCY {
            return Err(bad("concurrency", format!("{c} is not between 1 and {}", crate::flags::bounds::MAX_FLEET_CONCURRENCY)));
        }
    }
    if a.scenario.is_some() && !a.snapshots.is_empty() {
        return Err(Error::usage("--scenario and --snapshots cannot be combined: watch one or the other"));
    }
    Ok(())
}

/// Where to serve: none with --no-listen, or with --once unless --listen is given.
fn listen_address(a: &WatchArgs) -> Result<Option<SocketAddr>, Error> {
    if a.no_listen || (a.once && a.listen.is_none()) {
        return Ok(None);
    }
    let text = a.listen.as_deref().unwrap_or(DEFAULT_LISTEN);
    text.parse::<SocketAddr>().map(Some).map_err(|_| Error::usage(format!("--listen {text}: not an address and port (127.0.0.1:9108, [::1]:9108, 0.0.0.0:9108)")))
}

fn targets(a: &WatchArgs) -> Result<Targets, Error> {
    if let Some(name) = &a.scenario {
        return Ok(Targets::Scenarios(vec![erdiag_pipeline::scenarios::get(name)?]));
    }
    if !a.snapshots.is_empty() {
        let paths = a.snapshots.clone();
        return Ok(Targets::Snapshots(Box::new(move || super::fleet::read_snapshots(&paths))));
    }
    let mut filter = a.select.filter();
    filter.ids = a.ids.iter().map(|i| i.trim_end_matches('/').to_string()).collect();
    let mut scope = a.select.scope();
    if matches!(scope, Scope::Tenant) && !a.ids.is_empty() && !a.all_subscriptions {
        // The ids name their subscriptions: search only those.
        let mut subs: Vec<String> = Vec::new();
        for id in &a.ids {
            let parsed = erdiag_model::ResourceId::parse(id).map_err(|e| Error::usage(format!("--id {id}: not an ARM id: {e}")))?;
            if !subs.iter().any(|s| s.eq_ignore_ascii_case(parsed.subscription())) {
                subs.push(parsed.subscription().to_string());
            }
        }
        scope = Scope::Subscriptions(subs);
    }
    let client = erdiag_pipeline::client(&a.connection.options(MAX_CONCURRENCY as usize)?, &a.connection.credential())?;
    Ok(Targets::Azure { client, scope, filter })
}

/// The settings shown on the dashboard: no token, no store password.
fn summary(a: &WatchArgs, targets: &Targets, every: std::time::Duration, listen: Option<SocketAddr>) -> Vec<(String, String)> {
    let mut s = vec![(
        "targets".to_string(),
        match targets {
            Targets::Azure { scope, .. } => format!("Azure: {scope:?}"),
            Targets::Snapshots(_) => format!("snapshots: {}", a.snapshots.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")),
            Targets::Scenarios(list) => format!("scenarios: {}", list.iter().map(|s| s.name).collect::<Vec<_>>().join(", ")),
        },
    )];
    s.push(("every".into(), format!("{}s{}", every.as_secs(), if a.no_jitter { "" } else { " ±10%" })));
    s.push(("listen".into(), listen.map_or("none".into(), |l| l.to_string())));
    s.push(("auth".into(), if a.auth_token.is_some() { "token".into() } else { "none".into() }));
    s.push(("notify".into(), format!("{} webhook(s)", a.notify.len())));
    s
}

/// Binds and serves until the loop stops; the address bound. The listener
/// has a thread and a runtime of its own: a scrape of `/metrics` or a page
/// of the dashboard is answered while a poll keeps the loop's workers busy
/// (parsing and diagnosing a fleet), not after it.
fn serve(addr: SocketAddr, shared: Shared, opts: &ServerOptions, mut stopped: tokio::sync::watch::Receiver<bool>) -> Result<(std::thread::JoinHandle<()>, SocketAddr), Error> {
    let cannot = |e: std::io::Error| Error::system(format!("--listen {addr}: cannot listen: {e}")).caused_by(e);
    let listener = std::net::TcpListener::bind(addr).map_err(cannot)?;
    listener.set_nonblocking(true).map_err(cannot)?;
    let bound = listener.local_addr().unwrap_or(addr);
    let app = erdiag_watch::server::router(shared, opts);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| Error::system(format!("cannot start the HTTP server's runtime: {e}")).caused_by(e))?;
    let thread = std::thread::Builder::new()
        .name("erdiag-http".into())
        .spawn(move || {
            rt.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => return tracing::error!(error = %e, "the HTTP server cannot use its socket"),
                };
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                if let Err(e) = axum::serve(listener, app).with_graceful_shutdown(shutdown).await {
                    tracing::error!(error = %e, "the HTTP server stopped");
                }
            })
        })
        .map_err(|e| Error::system(format!("cannot start the HTTP server's thread: {e}")).caused_by(e))?;
    Ok((thread, bound))
}

/// SIGTERM or SIGINT: stop waiting, finish the poll in flight.
async fn signals(stop: tokio::sync::watch::Sender<bool>) {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else { return };
        tokio::select! {
            _ = term.recv() => tracing::info!("SIGTERM: finishing the poll in flight"),
            _ = int.recv() => tracing::info!("SIGINT: finishing the poll in flight"),
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
    let _ = stop.send(true);
}

/// Logs on standard error: text, or one JSON object per line. ERDIAG_LOG
/// sets the level (info by default: a line per poll); see [`log_filter`].
fn init_logs(json: bool) {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let (filter, bad) = log_filter(std::env::var("ERDIAG_LOG").ok().as_deref());
    let layer = tracing_subscriber::fmt::layer().with_writer(std::io::stderr).with_ansi(false);
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json { registry.with(layer.json()).try_init() } else { registry.with(layer).try_init() };
    if let Some(bad) = bad {
        tracing::warn!("ERDIAG_LOG={bad:?} is neither a level (error, warn, info, debug, trace) nor a list of target=level: logging at info");
    }
}

/// The log filter ERDIAG_LOG asks for. A level applies to erdiag's own
/// logs, while the libraries under it (HTTP, TLS, PostgreSQL) stay at warn:
/// at `debug` they would write megabytes a minute over a fleet. A list of
/// `target=level` (`erdiag=debug,hyper=debug`, a bare level for the rest)
/// is taken as given. Unset: info. Anything else: info, and the text back
/// to be reported.
fn log_filter(value: Option<&str>) -> (tracing_subscriber::filter::Targets, Option<String>) {
    use tracing_subscriber::filter::{LevelFilter, Targets};
    let ours = |level: LevelFilter| Targets::new().with_target("erdiag", level).with_default(level.min(LevelFilter::WARN));
    let Some(value) = value.map(str::trim).filter(|v| !v.is_empty()) else { return (ours(LevelFilter::INFO), None) };
    if let Ok(level) = value.parse::<LevelFilter>() {
        return (ours(level), None);
    }
    match value.parse::<Targets>() {
        Ok(targets) if value.contains('=') => (targets, None),
        _ => (ours(LevelFilter::INFO), Some(value.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::log_filter;
    use tracing::Level;

    #[test]
    fn a_level_is_erdiags_and_the_libraries_stay_at_warn() {
        let (f, bad) = log_filter(Some("debug"));
        assert!(bad.is_none());
        assert!(f.would_enable("erdiag_watch::run", &Level::DEBUG));
        assert!(f.would_enable("erdiag", &Level::DEBUG));
        assert!(!f.would_enable("erdiag_azure::client", &Level::TRACE));
        assert!(!f.would_enable("hyper_util::client", &Level::DEBUG));
        assert!(!f.would_enable("rustls::client", &Level::INFO));
        assert!(f.would_enable("h2::proto", &Level::WARN));
        // Below warn, the libraries follow the level asked.
        let (f, _) = log_filter(Some("error"));
        assert!(!f.would_enable("hyper", &Level::WARN));
        assert!(!f.would_enable("erdiag_watch", &Level::WARN));
        assert!(f.would_enable("erdiag_watch", &Level::ERROR));
    }

    #[test]
    fn unset_is_info_a_list_is_taken_as_given_and_nonsense_is_reported() {
        let (f, bad) = log_filter(None);
        assert!(bad.is_none() && f.would_enable("erdiag_watch", &Level::INFO) && !f.would_enable("erdiag_watch", &Level::DEBUG));
        let (f, bad) = log_filter(Some("erdiag_watch=trace,hyper=debug,warn"));
        assert!(bad.is_none());
        assert!(f.would_enable("erdiag_watch::run", &Level::TRACE));
        assert!(f.would_enable("hyper::proto", &Level::DEBUG));
        assert!(!f.would_enable("erdiag_azure", &Level::INFO));
        for nonsense in ["verbose", "debug,"] {
            let (f, bad) = log_filter(Some(nonsense));
            assert_eq!(bad.as_deref(), Some(nonsense));
            assert!(f.would_enable("erdiag_watch", &Level::INFO) && !f.would_enable("erdiag_watch", &Level::DEBUG));
        }
    }
}
