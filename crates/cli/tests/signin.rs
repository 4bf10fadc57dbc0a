//! Every sign-in method of the README, through the real binary, against the
//! emulator's own token endpoints on loopback: a service principal and a
//! workload identity (Entra ID at `AZURE_AUTHORITY_HOST`), a managed
//! identity in App Service style (`IDENTITY_ENDPOINT` + `IDENTITY_HEADER`)
//! and in IMDS style, the Azure CLI's login (a fake `az` on `PATH`), and
//! `--access-token`. Each run must reach a verdict with the token the
//! method gave, ask the token endpoint it should, and show no token or
//! secret anywhere.

mod common;
use common::*;
use erdiag_emulator::{Config, Recorded, Running};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SCENARIO: &str = "healthy-private-microsoft";
const CLIENT_SECRET: &str = "sp-secret-4f1c9a77";
const IDENTITY_HEADER: &str = "identity-header-0b8e2d51";
const FEDERATED: &str = "federated-assertion-c3a9e6f2";
const CLI_TOKEN: &str = "cli-token-91d0b7aa";
const TENANT: &str = "72f988bf-86f1-41af-91ab-2d7cd011db47";
/// The start of every token the emulator mints (`{"typ":"JWT"` in base64url).
const MINTED: &str = "eyJ0eXAi";

struct Lab {
    rt: tokio::runtime::Runtime,
    /// ARM and Entra ID over HTTPS.
    arm: Option<Running>,
    /// Managed-identity endpoints over plain HTTP, as on App Service and VMs.
    msi: Option<Running>,
    dir: PathBuf,
}

impl Lab {
    fn new(name: &str) -> Lab {
        Lab::with(name, |_| {})
    }

    /// A lab whose ARM emulator's configuration `arm` changes (faults).
    fn with(name: &str, arm: impl FnOnce(&mut Config)) -> Lab {
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let snapshot: serde_json::Value = serde_json::from_slice(&std::fs::read(scenarios_dir().join(SCENARIO).join("snapshot.json")).unwrap()).unwrap();
        let (arm, msi) = rt.block_on(async {
            let mut tls = Config::new(vec![snapshot]);
            tls.tls = true;
            arm(&mut tls);
            let any = "127.0.0.1:0".parse().unwrap();
            (erdiag_emulator::start(tls, any).await.unwrap(), erdiag_emulator::start(Config::default(), any).await.unwrap())
        });
        let dir = std::env::temp_dir().join(format!("erdiag-signin-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), arm.cert_pem.as_deref().unwrap()).unwrap();
        Lab { rt, arm: Some(arm), msi: Some(msi), dir }
    }

    fn arm(&self) -> &Running {
        self.arm.as_ref().unwrap()
    }

    fn msi(&self) -> &Running {
        self.msi.as_ref().unwrap()
    }

    /// `erdiag diagnose` against the emulator with only `env` (and a PATH
    /// without `az` unless `path` says otherwise) in its environment.
    fn diagnose(&self, extra: &[&str], env: &[(&str, &str)], path: Option<&Path>) -> Output {
        let (sub, rg, name) = circuit(SCENARIO);
        let ca = self.dir.join("ca.pem").display().to_string();
        let mut args = vec!["diagnose", "-o", "json", "--arm-endpoint", &self.arm().base_url, "--ca-cert", &ca, "--subscription", &sub, "-g", &rg, "-n", &name, "--retries", "0"];
        args.extend_from_slice(extra);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_erdiag"));
        cmd.args(&args).env_clear().env("HOME", &self.dir).env("PATH", path.map(|p| format!("{}:/usr/bin:/bin", p.display())).unwrap_or("/usr/bin:/bin".into()));
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.stdin(Stdio::null()).output().unwrap()
    }

    /// The requests whose path ends with `suffix`, on both emulators.
    fn asked(&self, suffix: &str) -> Vec<Recorded> {
        let mut all = self.arm().requests();
        all.extend(self.msi().requests());
        all.into_iter().filter(|r| r.path.to_ascii_lowercase().ends_with(suffix)).collect()
    }
}

impl Drop for Lab {
    fn drop(&mut self) {
        let (arm, msi) = (self.arm.take(), self.msi.take());
        self.rt.block_on(async {
            for em in [arm, msi].into_iter().flatten() {
                em.shutdown().await;
            }
        });
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The run reached the scenario's verdict, every ARM request carried a
/// token, and nothing secret was printed.
fn assert_signed_in(lab: &Lab, o: &Output, secrets: &[&str]) {
    let (out, err) = (stdout(o), stderr(o));
    assert_eq!(o.status.code(), Some(0), "stderr: {err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {err}"));
    assert_eq!(report["verdict"], "healthy", "{err}");
    let arm: Vec<Recorded> = lab.arm().requests().into_iter().filter(|r| r.path.to_ascii_lowercase().starts_with("/subscriptions")).collect();
    assert!(!arm.is_empty() && arm.iter().all(|r| r.authorized), "ARM requests without a token: {arm:?}");
    for s in secrets.iter().chain([&MINTED]) {
        assert!(!out.contains(s) && !err.contains(s), "`{s}` leaked: {out}\n{err}");
    }
}

#[test]
fn service_principal_signs_in_at_the_authority_host() {
    let lab = Lab::new("sp");
    let o = lab.diagnose(
        &[],
        &[("AZURE_CLIENT_ID", "sp-app"), ("AZURE_CLIENT_SECRET", CLIENT_SECRET), ("AZURE_TENANT_ID", TENANT), ("AZURE_AUTHORITY_HOST", &lab.arm().base_url)],
        None,
    );
    assert_signed_in(&lab, &o, &[CLIENT_SECRET]);
    assert_eq!(lab.asked(&format!("/{TENANT}/oauth2/v2.0/token")).len(), 1, "one token request, then the cached token");
}

#[test]
fn workload_identity_exchanges_the_federated_token() {
    let lab = Lab::new("wi");
    let file = lab.dir.join("federated-token");
    std::fs::write(&file, FEDERATED).unwrap();
    let o = lab.diagnose(
        &[],
        &[
            ("AZURE_CLIENT_ID", "wi-app"),
            ("AZURE_TENANT_ID", TENANT),
            ("AZURE_FEDERATED_TOKEN_FILE", &file.display().to_string()),
            ("AZURE_AUTHORITY_HOST", &lab.arm().base_url),
        ],
        None,
    );
    assert_signed_in(&lab, &o, &[FEDERATED]);
    assert_eq!(lab.asked(&format!("/{TENANT}/oauth2/v2.0/token")).len(), 1);
}

#[test]
fn managed_identity_app_service_style() {
    let lab = Lab::new("mi-app");
    let endpoint = lab.msi().url("/msi/token");
    let o = lab.diagnose(&[], &[("IDENTITY_ENDPOINT", &endpoint), ("IDENTITY_HEADER", IDENTITY_HEADER)], None);
    assert_signed_in(&lab, &o, &[IDENTITY_HEADER]);
    let asked = lab.asked("/msi/token");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert_eq!(asked[0].status, Some(200));
    assert!(asked[0].query.contains("resource=https%3A%2F%2Fmanagement.azure.com"), "{}", asked[0].query);
}

#[test]
fn a_token_arm_refuses_mid_run_is_renewed_and_the_call_made_again() {
    // ARM answers one call 401 ExpiredAuthenticationToken, as it does when a
    // token held by a long-running watch expires or is revoked.
    let lab = Lab::with("mi-expired", |c| c.faults.push(erdiag_emulator::Fault::new("arpTables", erdiag_emulator::FaultKind::ExpiredToken).times(1)));
    let endpoint = lab.msi().url("/msi/token");
    let o = lab.diagnose(&[], &[("IDENTITY_ENDPOINT", &endpoint), ("IDENTITY_HEADER", IDENTITY_HEADER)], None);
    assert_signed_in(&lab, &o, &[IDENTITY_HEADER]);
    assert_eq!(lab.asked("/msi/token").len(), 2, "the cached token is dropped and a new one asked for");
    let refused: Vec<Recorded> = lab.arm().requests().into_iter().filter(|r| r.status == Some(401)).collect();
    assert_eq!(refused.len(), 1, "{refused:?}");
}

#[test]
fn managed_identity_imds_style_when_opted_in() {
    let lab = Lab::new("mi-imds");
    let o = lab.diagnose(&[], &[("AZURE_POD_IDENTITY_AUTHORITY_HOST", &lab.msi().base_url), ("AZURE_CLIENT_ID", "user-assigned-id")], None);
    assert_signed_in(&lab, &o, &[]);
    let asked = lab.asked("/metadata/identity/oauth2/token");
    assert_eq!(asked.len(), 1, "{asked:?}");
    assert!(asked[0].query.contains("client_id=user-assigned-id"), "{}", asked[0].query);
}

#[test]
fn managed_identity_is_not_tried_without_its_environment() {
    // No sign-in variables and no `az`: the developer-tools login is tried
    // and fails; IMDS is never asked.
    let lab = Lab::new("mi-none");
    let started = std::time::Instant::now();
    let o = lab.diagnose(&[], &[("AZURE_CLIENT_ID", "user-assigned-id")], None);
    assert_ne!(o.status.code(), Some(0));
    assert!(stderr(&o).contains("Azure CLI"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("managed identity"), "{}", stderr(&o));
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
}

#[test]
fn azure_cli_login_is_used_through_az_on_path() {
    let lab = Lab::new("cli");
    let bin = lab.dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let az = bin.join("az");
    let expires = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() + 3600;
    std::fs::write(
        &az,
        format!(
            "#!/bin/sh\n# Answers `az account get-access-token -o json --scope …` as a signed-in Azure CLI does.\necho \"$@\" >> \"{}\"\necho '{{\"accessToken\": \"{CLI_TOKEN}\", \"expiresOn\": \"2099-01-01 00:00:00.000000\", \"expires_on\": {expires}, \"subscription\": \"s\", \"tenant\": \"{TENANT}\", \"tokenType\": \"Bearer\"}}'\n",
            lab.dir.join("az.log").display()
        ),
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let o = lab.diagnose(&[], &[], Some(&bin));
    assert_signed_in(&lab, &o, &[CLI_TOKEN]);
    let log = std::fs::read_to_string(lab.dir.join("az.log")).unwrap();
    assert!(log.contains("account get-access-token") && log.contains("--scope"), "{log}");
}

#[test]
fn access_token_flag_wins_over_the_environment() {
    let lab = Lab::new("token");
    let token = "given-token-5e7a0c3d";
    let o = lab.diagnose(&["--access-token", token], &[("IDENTITY_ENDPOINT", &lab.msi().url("/msi/token")), ("IDENTITY_HEADER", IDENTITY_HEADER)], None);
    assert_signed_in(&lab, &o, &[token, IDENTITY_HEADER]);
    assert!(lab.asked("/msi/token").is_empty());
}
