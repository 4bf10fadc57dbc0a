//! Everything a real client needs before its first ARM call, served locally:
//! the cloud metadata document (`az cloud register`, `ARM_CLOUD_METADATA_URL`),
//! the Entra ID (AAD) endpoints MSAL uses for a service principal, the
//! managed-identity endpoints (App Service style and IMDS style), and the
//! bearer-token check of ARM requests.
//!
//! Tokens are JWT-shaped and unsigned (`alg: none`): clients only decode
//! them (the Azure CLI reads `tid`), and the emulator accepts any bearer
//! token. A token's value is never logged or stored; the only thing read
//! back from one are its `tid` claim, to answer the subscription list in the
//! tenant the client signed in to, and its `oid` (or `appid`), the caller of
//! Resource Graph's quota.

use crate::path::ArmPath;
use crate::reply::Reply;
use crate::util::{base64url, base64url_decode, guid, guid_from_name, unix_now};
use axum::http::{HeaderMap, Method};
use serde_json::{json, Value};

/// The tenant of the emulated cloud when the client names none (or `common`).
pub const DEFAULT_TENANT_ID: &str = "0e4d1a90-e2d1-4a90-8e2d-1a90e2d1a900";
/// The resource (audience) of ARM tokens in the public cloud, which clients ask for.
const ARM_AUDIENCE: &str = "https://management.core.windows.net/";
/// Lifetime of issued tokens by default (`Config::token_lifetime`).
pub(crate) const TOKEN_SECONDS: u64 = 3599;

/// What the `Authorization` header of a request holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Bearer {
    Missing,
    /// Present but not `Bearer <token>`.
    Malformed,
    Present,
}

pub(crate) fn bearer(headers: &HeaderMap) -> Bearer {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION) else { return Bearer::Missing };
    let Ok(value) = value.to_str() else { return Bearer::Malformed };
    match value.trim().split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => Bearer::Present,
        _ => Bearer::Malformed,
    }
}

/// The `tid` claim of the request's bearer token, when it is JWT-shaped.
pub(crate) fn token_tenant(headers: &HeaderMap) -> Option<String> {
    token_claim(headers, "tid").filter(|t| is_guid(t))
}

/// A string claim of the request's bearer token, when it is JWT-shaped
/// (`oid`: who the caller is, for Resource Graph's per-caller quota).
pub(crate) fn token_claim(headers: &HeaderMap, name: &str) -> Option<String> {
    let value = headers.get(axum::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (_, token) = value.trim().split_once(' ')?;
    let payload = token.trim().split('.').nth(1)?;
    let claims: Value = serde_json::from_slice(&base64url_decode(payload)?).ok()?;
    claims.get(name).and_then(Value::as_str).map(str::to_string)
}

/// The 401 ARM answers a request without a usable bearer token.
pub(crate) fn unauthorized(kind: Bearer, base: &str) -> Reply {
    let (message, description) = match kind {
        Bearer::Malformed => (
            "Authentication failed. The 'Authorization' header is provided in an invalid format.",
            "The authentication failed because of an invalid 'Authorization' header.",
        ),
        _ => (
            "Authentication failed. The 'Authorization' header is missing.",
            "The authentication failed because of missing 'Authorization' header.",
        ),
    };
    Reply::arm_error(401, "AuthenticationFailed", message).header(
        "www-authenticate",
        format!(
            "Bearer authorization_uri=\"{base}/{DEFAULT_TENANT_ID}\", error=\"invalid_token\", error_description=\"{description}\""
        ),
    )
}

fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// The tenant a path segment names: a GUID as given, anything else (`common`,
/// `organizations`, a domain name) the default tenant.
fn tenant(segment: &str) -> String {
    if is_guid(segment) {
        segment.to_ascii_lowercase()
    } else {
        DEFAULT_TENANT_ID.to_string()
    }
}

/// Whether the request's bearer token is JWT-shaped with an `exp` claim in the past.
pub(crate) fn token_expired(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(axum::http::header::AUTHORIZATION).and_then(|v| v.to_str().ok()) else { return false };
    let Some((_, token)) = value.trim().split_once(' ') else { return false };
    let Some(claims) = token.trim().split('.').nth(1).and_then(base64url_decode).and_then(|b| serde_json::from_slice::<Value>(&b).ok()) else { return false };
    claims.get("exp").and_then(Value::as_u64).is_some_and(|exp| exp <= unix_now())
}

/// The 401 ARM answers a token past its expiry.
pub(crate) fn expired(base: &str) -> Reply {
    Reply::arm_error(401, "ExpiredAuthenticationToken", "The access token expiry UTC time is earlier than current UTC time.").header(
        "www-authenticate",
        format!("Bearer authorization_uri=\"{base}/{DEFAULT_TENANT_ID}\", error=\"invalid_token\", error_description=\"The access token has expired.\""),
    )
}

/// A JWT-shaped, unsigned access token living `lifetime` seconds, and its expiry (Unix seconds).
fn mint(tenant: &str, client_id: &str, audience: &str, oid: &str, lifetime: u64) -> (String, u64) {
    let now = unix_now();
    let exp = now + lifetime;
    let header = json!({ "typ": "JWT", "alg": "none", "kid": "erdiag-emulator" });
    let claims = json!({
        "aud": audience,
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": now,
        "nbf": now,
        "exp": exp,
        "appid": client_id,
        "azp": client_id,
        "appidacr": "1",
        "idtyp": "app",
        "oid": oid,
        "sub": oid,
        "tid": tenant,
        "uti": guid(),
        "ver": "1.0",
    });
    let token = format!("{}.{}.", base64url(header.to_string().as_bytes()), base64url(claims.to_string().as_bytes()));
    (token, exp)
}

/// An AAD (OAuth) error body.
fn aad_error(status: u16, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({
            "error": error,
            "error_description": description,
            "error_codes": [],
            "timestamp": crate::util::rfc3339(std::time::SystemTime::now()),
            "trace_id": guid(),
            "correlation_id": guid(),
        }),
    )
}

fn no_store(reply: Reply) -> Reply {
    reply.header("cache-control", "no-store, no-cache").header("pragma", "no-cache")
}

fn param<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The audience of a v2 `scope` (`https://management.core.windows.net//.default`).
fn audience_of_scope(scope: &str) -> String {
    scope
        .split_whitespace()
        .find(|s| !matches!(*s, "openid" | "profile" | "offline_access"))
        .map(|s| {
            let s = s.strip_suffix(".default").unwrap_or(s);
            s.strip_suffix("//").map(|t| format!("{t}/")).unwrap_or_else(|| s.to_string())
        })
        .unwrap_or_else(|| ARM_AUDIENCE.to_string())
}

/// The answer for a cloud-metadata, sign-in or managed-identity URL; `None`
/// when the path is none of those.
pub(crate) fn route(
    method: &Method,
    path: &ArmPath,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &[u8],
    base: &str,
    lifetime: u64,
) -> Option<Reply> {
    let l: Vec<&str> = path.lower.iter().map(String::as_str).collect();
    let get = *method == Method::GET || *method == Method::HEAD;
    let post = *method == Method::POST;
    let wrong_method = |allowed: &str| {
        Some(
            aad_error(405, "invalid_request", &format!("The request method must be {allowed}."))
                .header("allow", allowed),
        )
    };
    match l.as_slice() {
        ["metadata", "endpoints"] => {
            if !get {
                return wrong_method("GET");
            }
            let cloud = cloud_metadata(base);
            // ARM answers 2019-05-01 with the list of all clouds (what
            // ARM_CLOUD_METADATA_URL expects), other versions (2015-01-01,
            // 2022-09-01 that `az cloud register` asks for) with one cloud.
            let listed = param(query, "api-version").is_some_and(|v| ("2019-05-01".."2020-06-01").contains(&v));
            Some(Reply::json(200, &if listed { json!([cloud]) } else { cloud }))
        }
        [t, "v2.0", ".well-known", "openid-configuration"] | [t, ".well-known", "openid-configuration"] => {
            if !get {
                return wrong_method("GET");
            }
            let v2 = l.len() == 4;
            Some(Reply::json(200, &openid_configuration(base, &path.segs[0], &tenant(t), v2)))
        }
        [_, "discovery", "instance"] => {
            if !get {
                return wrong_method("GET");
            }
            let host = base.split("://").nth(1).unwrap_or(base);
            let segment = &path.segs[0];
            Some(Reply::json(
                200,
                &json!({
                    "tenant_discovery_endpoint": format!("{base}/{segment}/v2.0/.well-known/openid-configuration"),
                    "api-version": "1.1",
                    "metadata": [{ "preferred_network": host, "preferred_cache": host, "aliases": [host] }],
                }),
            ))
        }
        [_, "discovery", "keys"] | [_, "discovery", "v2.0", "keys"] => {
            if !get {
                return wrong_method("GET");
            }
            Some(Reply::json(200, &json!({ "keys": [] })))
        }
        [t, "oauth2", "v2.0", "token"] | [t, "oauth2", "token"] => {
            if !post {
                return wrong_method("POST");
            }
            Some(token_endpoint(&tenant(t), body, l.len() == 4, lifetime))
        }
        ["msi", "token"] => {
            if !get {
                return wrong_method("GET");
            }
            if headers.get("x-identity-header").is_none() {
                return Some(aad_error(400, "invalid_request", "The X-IDENTITY-HEADER header is required."));
            }
            let Some(resource) = param(query, "resource").filter(|r| !r.is_empty()) else {
                return Some(aad_error(400, "invalid_request", "The 'resource' query parameter is required."));
            };
            let client_id = param(query, "client_id").unwrap_or("erdiag-emulator-managed-identity").to_string();
            let (token, exp) = mint(DEFAULT_TENANT_ID, &client_id, resource, &guid_from_name(&format!("msi:{client_id}")), lifetime);
            Some(no_store(Reply::json(
                200,
                &json!({
                    "access_token": token,
                    "expires_on": exp.to_string(),
                    "resource": resource,
                    "token_type": "Bearer",
                    "client_id": client_id,
                }),
            )))
        }
        ["metadata", "identity", "oauth2", "token"] => {
            if !get {
                return wrong_method("GET");
            }
            if !headers.get("metadata").and_then(|v| v.to_str().ok()).is_some_and(|v| v.eq_ignore_ascii_case("true")) {
                return Some(aad_error(400, "invalid_request", "Required metadata header not specified"));
            }
            let resource = param(query, "resource").filter(|r| !r.is_empty()).unwrap_or(ARM_AUDIENCE).to_string();
            let client_id = param(query, "client_id").unwrap_or("erdiag-emulator-managed-identity").to_string();
            let (token, exp) = mint(DEFAULT_TENANT_ID, &client_id, &resource, &guid_from_name(&format!("msi:{client_id}")), lifetime);
            let now = unix_now();
            Some(no_store(Reply::json(
                200,
                &json!({
                    "access_token": token,
                    "client_id": client_id,
                    "expires_in": lifetime.to_string(),
                    "expires_on": exp.to_string(),
                    "ext_expires_in": lifetime.to_string(),
                    "not_before": now.to_string(),
                    "resource": resource,
                    "token_type": "Bearer",
                }),
            )))
        }
        _ => None,
    }
}

/// `POST /{tenant}/oauth2/v2.0/token` (v2) and `/{tenant}/oauth2/token` (v1):
/// the client-credentials grant, with any secret or assertion.
fn token_endpoint(tenant: &str, body: &[u8], v2: bool, lifetime: u64) -> Reply {
    let form: Vec<(String, String)> = url::form_urlencoded::parse(body).into_owned().collect();
    let Some(grant) = param(&form, "grant_type") else {
        return aad_error(
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'grant_type'.",
        );
    };
    if grant != "client_credentials" {
        return aad_error(
            400,
            "unsupported_grant_type",
            &format!("AADSTS70003: The app requested an unsupported grant type '{grant}'. The erdiag emulator supports client_credentials."),
        );
    }
    let Some(client_id) = param(&form, "client_id").filter(|c| !c.is_empty()) else {
        return aad_error(
            400,
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'client_id'.",
        );
    };
    let audience = if v2 {
        audience_of_scope(param(&form, "scope").unwrap_or(""))
    } else {
        param(&form, "resource").filter(|r| !r.is_empty()).unwrap_or(ARM_AUDIENCE).to_string()
    };
    let (token, exp) = mint(tenant, client_id, &audience, &guid_from_name(&format!("sp:{client_id}")), lifetime);
    let body = if v2 {
        json!({ "token_type": "Bearer", "expires_in": lifetime, "ext_expires_in": lifetime, "access_token": token })
    } else {
        let now = unix_now();
        json!({
            "token_type": "Bearer",
            "expires_in": lifetime.to_string(),
            "ext_expires_in": lifetime.to_string(),
            "expires_on": exp.to_string(),
            "not_before": now.to_string(),
            "resource": audience,
            "access_token": token,
        })
    };
    no_store(Reply::json(200, &body))
}

fn openid_configuration(base: &str, segment: &str, tenant: &str, v2: bool) -> Value {
    let (oauth, issuer) = if v2 {
        (format!("{base}/{segment}/oauth2/v2.0"), format!("{base}/{tenant}/v2.0"))
    } else {
        (format!("{base}/{segment}/oauth2"), format!("https://sts.windows.net/{tenant}/"))
    };
    json!({
        "token_endpoint": format!("{oauth}/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/{segment}/discovery/{}keys", if v2 { "v2.0/" } else { "" }),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer,
        "request_uri_parameter_supported": false,
        "authorization_endpoint": format!("{oauth}/authorize"),
        "device_authorization_endpoint": format!("{oauth}/devicecode"),
        "end_session_endpoint": format!("{oauth}/logout"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "nbf", "tid", "oid", "appid"],
        "tenant_region_scope": null,
        "cloud_instance_name": "erdiag.emulator",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
    })
}

/// The cloud description: ARM and sign-in both at `base`. Carries the keys
/// of the 2015-01-01 shape and of the 2019-05-01/2022-09-01 shape.
fn cloud_metadata(base: &str) -> Value {
    json!({
        "name": "ErdiagEmulator",
        "portal": base,
        "portalEndpoint": format!("{base}/"),
        "galleryEndpoint": format!("{base}/"),
        "graphEndpoint": "https://graph.windows.net/",
        "authentication": {
            "loginEndpoint": base,
            "audiences": [ARM_AUDIENCE, "https://management.azure.com/"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "resourceManager": format!("{base}/"),
        "media": "https://rest.media.azure.net",
        "graphAudience": "https://graph.windows.net/",
        "graph": "https://graph.windows.net/",
        "sqlManagement": "https://management.core.windows.net:8443/",
        "batch": "https://batch.core.windows.net/",
        "gallery": format!("{base}/"),
        "microsoftGraphResourceId": "https://graph.microsoft.com/",
        "appInsightsResourceId": "https://api.applicationinsights.io",
        "appInsightsTelemetryChannelResourceId": "https://dc.applicationinsights.azure.com/v2/track",
        "attestationResourceId": "https://attest.azure.net",
        "synapseAnalyticsResourceId": "https://dev.azuresynapse.net",
        "logAnalyticsResourceId": "https://api.loganalytics.io",
        "ossrDbmsResourceId": "https://ossrdbms-aad.database.windows.net",
        "activeDirectoryDataLake": "https://datalake.azure.net/",
        "vmImageAliasDoc": format!("{base}/vmImageAliasDoc.json"),
        "suffixes": {
            "acrLoginServer": ".azurecr.io",
            "azureDataLakeAnalyticsCatalogAndJob": "azuredatalakeanalytics.net",
            "azureDataLakeStoreFileSystem": "azuredatalakestore.net",
            "azureFrontDoorEndpointSuffix": "azurefd.net",
            "keyVaultDns": ".vault.azure.net",
            "mhsmDns": ".managedhsm.azure.net",
            "mysqlServerEndpoint": ".mysql.database.azure.com",
            "postgresqlServerEndpoint": ".postgres.database.azure.com",
            "sqlServerHostname": ".database.windows.net",
            "storage": "core.windows.net",
            "storageSyncEndpointSuffix": "afs.azure.net",
            "synapseAnalytics": ".dev.azuresynapse.net",
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minted_tokens_carry_the_claims_clients_read() {
        let (token, exp) = mint("t", "app", ARM_AUDIENCE, "o", TOKEN_SECONDS);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 3);
        let claims: Value = serde_json::from_slice(&base64url_decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims["tid"], "t");
        assert_eq!(claims["oid"], "o");
        assert_eq!(claims["exp"], exp);
    }

    #[test]
    fn bearer_and_tenant_are_read_from_headers() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer(&h), Bearer::Missing);
        h.insert("authorization", "Basic abc".parse().unwrap());
        assert_eq!(bearer(&h), Bearer::Malformed);
        h.insert("authorization", "bearer x".parse().unwrap());
        assert_eq!(bearer(&h), Bearer::Present);
        assert_eq!(token_tenant(&h), None);
        let (token, _) = mint(DEFAULT_TENANT_ID, "a", ARM_AUDIENCE, "o", TOKEN_SECONDS);
        h.insert("authorization", format!("Bearer {token}").parse().unwrap());
        assert_eq!(token_tenant(&h).as_deref(), Some(DEFAULT_TENANT_ID));
    }

    #[test]
    fn scopes_become_audiences() {
        assert_eq!(audience_of_scope("https://management.core.windows.net//.default"), ARM_AUDIENCE);
        assert_eq!(audience_of_scope("openid https://management.azure.com/.default"), "https://management.azure.com/");
        assert_eq!(audience_of_scope(""), ARM_AUDIENCE);
        assert_eq!(tenant("common"), DEFAULT_TENANT_ID);
        assert_eq!(tenant("ABCDEF01-2345-6789-abcd-ef0123456789"), "abcdef01-2345-6789-abcd-ef0123456789");
    }

    #[test]
    fn a_token_past_its_exp_is_expired() {
        let header = |token: &str| {
            let mut h = HeaderMap::new();
            h.insert(axum::http::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
            h
        };
        assert!(token_expired(&header(&mint("t", "app", ARM_AUDIENCE, "o", 0).0)));
        assert!(!token_expired(&header(&mint("t", "app", ARM_AUDIENCE, "o", 60).0)));
        assert!(!token_expired(&header("opaque-token")), "a token that is not a JWT has no exp to check");
    }
}