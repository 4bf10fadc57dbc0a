//! The deployment files of `erdiag watch` (deploy/): the systemd unit passes
//! `systemd-analyze verify` with no warning and keeps its hardening, the
//! Kubernetes manifest runs `erdiag watch` as it is documented, and the
//! configuration it carries is one erdiag reads.

use std::path::Path;
use std::process::Command;

fn deploy(file: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../deploy").join(file)).unwrap()
}

#[test]
fn the_systemd_unit_is_hardened() {
    let unit = deploy("systemd/erdiag-watch.service");
    for line in [
        "DynamicUser=yes",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "StateDirectory=erdiag",
        "ReadOnlyPaths=/",
        "CapabilityBoundingSet=",
        "SystemCallFilter=@system-service",
        "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
        "EnvironmentFile=-/etc/erdiag/watch.env",
    ] {
        assert!(unit.lines().any(|l| l == line), "the unit lacks {line}");
    }
    assert!(unit.contains("ExecStart=/usr/bin/erdiag watch "), "the unit runs erdiag watch");
}

#[test]
fn the_systemd_unit_verifies() {
    if Command::new("systemd-analyze").arg("--version").output().is_err() {
        eprintln!("skipped: systemd-analyze is not installed");
        return;
    }
    // verify wants ExecStart's binary to exist: the one just built stands in.
    let dir = std::env::temp_dir().join(format!("erdiag-deploy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let unit = dir.join("erdiag-watch.service");
    std::fs::write(&unit, deploy("systemd/erdiag-watch.service").replace("/usr/bin/erdiag", env!("CARGO_BIN_EXE_erdiag"))).unwrap();
    let out = Command::new("systemd-analyze").arg("verify").arg(&unit).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && err.trim().is_empty(), "systemd-analyze verify: {err}");
    let out = Command::new("systemd-analyze").args(["security", "--offline=true"]).arg(&unit).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    if let Some(level) = text.lines().find_map(|l| l.split("Overall exposure level for erdiag-watch.service: ").nth(1)) {
        let score: f64 = level.split_whitespace().next().unwrap().parse().unwrap();
        assert!(score < 2.0, "exposure {score}: {text}");
    }
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn the_kubernetes_manifest_runs_watch_with_workload_identity() {
    let m = deploy("kubernetes/erdiag-watch.yaml");
    for needle in [
        "kind: ServiceAccount",
        "azure.workload.identity/client-id:",
        "azure.workload.identity/use: \"true\"",
        "kind: Deployment",
        "kind: Service\n",
        "args: [\"watch\", \"--config\", \"/etc/erdiag/watch.toml\"]",
        "path: /healthz",
        "runAsNonRoot: true",
        "readOnlyRootFilesystem: true",
        "allowPrivilegeEscalation: false",
        "name: ERDIAG_STORE",
        "name: ERDIAG_WATCH_TOKEN",
    ] {
        assert!(m.contains(needle), "the manifest lacks {needle:?}");
    }
    // The ConfigMap's watch.toml is a configuration erdiag reads.
    let toml: String = m.split("watch.toml: |\n").nth(1).unwrap().lines().take_while(|l| l.starts_with("    ")).map(|l| format!("{}\n", &l[4..])).collect();
    let c = erdiag_watch::config::FileConfig::parse("watch.toml", &toml).unwrap();
    assert_eq!(c.listen.as_deref(), Some("0.0.0.0:9108"));
}
