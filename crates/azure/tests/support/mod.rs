//! What the emulated-fleet tests (fleet_emulator.rs, pending_batch.rs) share:
//! the fleet's templates and a client on the emulator.
use erdiag_azure::{ArmClient, ClientOptions, Cloud, Credential};
use erdiag_emulator::fleet::Template;
use erdiag_emulator::Running;
use std::sync::Arc;
use std::time::Duration;

pub fn templates() -> Vec<Template> {
    ["healthy-private-microsoft", "healthy-private", "healthy-direct"]
        .iter()
        .map(|name| {
            let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios").join(name).join("snapshot.json");
            Template { name: name.to_string(), faulty: false, snapshot: serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap() }
        })
        .collect()
}

pub fn client(em: &Running, concurrency: usize) -> Arc<ArmClient> {
    let options = ClientOptions {
        cloud: Cloud::Custom { endpoint: url::Url::parse(&format!("{}/", em.base_url)).unwrap(), scope: "https://management.azure.com/.default".into() },
        default_poll_interval: Duration::from_millis(20),
        backoff_base: Duration::from_millis(50),
        deadline: Duration::from_secs(120),
        concurrency,
        ..Default::default()
    };
    Arc::new(ArmClient::new(Credential::from_token("erdiag-fleet-test".into()), options).unwrap())
}
