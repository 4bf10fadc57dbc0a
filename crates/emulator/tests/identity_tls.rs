//! HTTPS with the certificate made at start as the only trust root, and the
//! sign-in endpoints a real client calls before ARM (cloud metadata, Entra ID
//! OpenID configuration and token endpoint, managed identity).

mod common;

use common::*;
use erdiag_emulator::DEFAULT_TENANT_ID;
use serde_json::Value;

fn claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("JWT-shaped");
    // base64url without padding → standard decoding by hand (no base64 crate here).
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in payload.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url"),
        } as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    serde_json::from_slice(&out).expect("claims are JSON")
}

#[tokio::test]
async fn https_works_with_the_generated_certificate_as_the_only_root() {
    let (emu, c, snap) = healthy(|config| config.tls = true).await;
    assert!(emu.base_url.starts_with("https://127.0.0.1:"), "{}", emu.base_url);
    let pem = emu.cert_pem.clone().expect("a PEM in TLS mode");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));

    let https = tls_client(&pem);
    let r = get(&https, &arm(&emu, &c)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(json(r).await, *resource(&snap, &c));
    // The certificate names localhost too.
    let r = get(&https, &format!("https://localhost:{}{c}?{API}", emu.addr.port())).await;
    assert_eq!(r.status(), 200);

    // A long-running operation over HTTPS: URLs in headers are https too.
    let r = post(&https, &arm(&emu, &format!("{c}/peerings/AzurePrivatePeering/arpTables/secondary"))).await;
    assert!(header(&r, "location").starts_with("https://127.0.0.1:"));
    assert_eq!(get(&https, &header(&r, "location")).await.status(), 200);

    // Without that root the handshake is refused: the certificate is really checked.
    common::crypto();
    let strict = reqwest::Client::builder().no_proxy().timeout(std::time::Duration::from_secs(5)).build().unwrap();
    assert!(strict.get(arm(&emu, &c)).send().await.is_err());
    // Plain HTTP to the TLS port is not answered as HTTP.
    assert!(client().get(format!("http://{}{c}?{API}", emu.addr)).send().await.map(|r| r.status() != 200).unwrap_or(true));
    emu.shutdown().await;
}

#[tokio::test]
async fn a_service_principal_signs_in_as_msal_does() {
    let (emu, _, _) = healthy(|config| config.tls = true).await;
    let https = tls_client(emu.cert_pem.as_deref().unwrap());
    let tenant = "11111111-2222-3333-4444-555555555555";

    // The cloud: ARM and sign-in both here.
    let cloud = json(https.get(emu.url("/metadata/endpoints?api-version=2015-01-01")).send().await.unwrap()).await;
    assert_eq!(cloud["authentication"]["loginEndpoint"], emu.base_url);
    assert_eq!(cloud["resourceManager"], format!("{}/", emu.base_url));
    // `az cloud register` asks for 2022-09-01 and reads one object; ARM_CLOUD_METADATA_URL reads 2019-05-01's list.
    let cloud = json(https.get(emu.url("/metadata/endpoints?api-version=2022-09-01")).send().await.unwrap()).await;
    assert_eq!(cloud["authentication"]["audiences"][0], "https://management.core.windows.net/");
    let clouds = json(https.get(emu.url("/metadata/endpoints?api-version=2019-05-01")).send().await.unwrap()).await;
    assert_eq!(clouds[0]["resourceManager"], format!("{}/", emu.base_url));

    let config = json(https.get(emu.url(&format!("/{tenant}/v2.0/.well-known/openid-configuration"))).send().await.unwrap()).await;
    let token_endpoint = config["token_endpoint"].as_str().unwrap().to_string();
    assert_eq!(token_endpoint, emu.url(&format!("/{tenant}/oauth2/v2.0/token")));
    assert!(config["authorization_endpoint"].as_str().unwrap().starts_with(&emu.base_url));

    let r = https
        .post(&token_endpoint)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("client_id=app-1&client_secret=s3cret&grant_type=client_credentials&scope=https%3A%2F%2Fmanagement.core.windows.net%2F%2F.default")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let token = json(r).await;
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["expires_in"].as_u64().unwrap() > 60);
    let access = token["access_token"].as_str().unwrap();
    let c = claims(access);
    assert_eq!(c["tid"], tenant);
    assert_eq!(c["appid"], "app-1");
    assert!(c["oid"].is_string());
    assert!(c["exp"].as_u64().unwrap() > c["iat"].as_u64().unwrap());
    assert_eq!(c["aud"], "https://management.core.windows.net/");

    // With that token, the subscription list is in the tenant signed in to.
    let subs = json(https.get(emu.url("/subscriptions?api-version=2022-12-01")).bearer_auth(access).send().await.unwrap()).await;
    assert_eq!(subs["value"][0]["tenantId"], tenant);

    let r = https.post(&token_endpoint).body("grant_type=password&client_id=x").send().await.unwrap();
    assert_eq!(r.status(), 400);
    assert_eq!(json(r).await["error"], "unsupported_grant_type");
    let discovery = json(https.get(emu.url(&format!("/{tenant}/discovery/instance?api-version=1.1"))).send().await.unwrap()).await;
    assert!(discovery["tenant_discovery_endpoint"].as_str().unwrap().starts_with(&emu.base_url));

    // None of these needed a token; all were recorded.
    assert!(emu.requests().iter().filter(|r| !r.path.starts_with("/subscriptions")).all(|r| r.status.is_some()));
    emu.shutdown().await;
}

#[tokio::test]
async fn managed_identity_endpoints_issue_tokens() {
    let (emu, _, _) = healthy(|_| {}).await;
    let http = client();
    let url = emu.url("/msi/token?resource=https://management.azure.com/&api-version=2019-08-01");
    let r = http.get(&url).header("x-identity-header", "any").send().await.unwrap();
    assert_eq!(r.status(), 200);
    let token = json(r).await;
    assert_eq!(token["resource"], "https://management.azure.com/");
    assert_eq!(token["token_type"], "Bearer");
    assert!(token["expires_on"].as_str().unwrap().parse::<u64>().is_ok());
    assert_eq!(claims(token["access_token"].as_str().unwrap())["tid"], DEFAULT_TENANT_ID);
    assert_eq!(http.get(&url).send().await.unwrap().status(), 400, "X-IDENTITY-HEADER is required");

    let imds = emu.url("/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https://management.azure.com/");
    let r = http.get(&imds).header("metadata", "true").send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(json(r).await["access_token"].is_string());
    emu.shutdown().await;
}
