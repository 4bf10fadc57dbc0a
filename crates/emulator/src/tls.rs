//! The HTTPS certificate, made fresh at every start: a small private CA and a
//! server certificate it signs for `127.0.0.1`, `::1` and `localhost`.
//!
//! Why two certificates rather than one self-signed leaf: a client trusts the
//! CA's PEM (`Running::cert_pem`) as its only root, and both kinds of
//! verifier accept the chain — webpki (rustls, reqwest) refuses a CA
//! certificate used as a server certificate, and OpenSSL's strict mode
//! (Python 3.13's default, so the Azure CLI and the Python SDK) wants an
//! authority key identifier on the server certificate and a critical
//! basicConstraints on the CA.

use crate::error::Error;
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// A ready TLS acceptor and the PEM of the root that clients must trust.
pub(crate) struct TlsSetup {
    pub acceptor: TlsAcceptor,
    pub root_pem: String,
}

pub(crate) fn setup() -> Result<TlsSetup, Error> {
    let err = |what: &str, e: &dyn std::fmt::Display| Error::Tls(format!("{what}: {e}"));

    let ca_key = KeyPair::generate().map_err(|e| err("CA key", &e))?;
    let mut ca = CertificateParams::default();
    ca.distinguished_name = name("erdiag emulator local CA");
    ca.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign, KeyUsagePurpose::DigitalSignature];
    let ca_cert = ca.self_signed(&ca_key).map_err(|e| err("CA certificate", &e))?;
    let issuer = Issuer::new(ca, ca_key);

    let key = KeyPair::generate().map_err(|e| err("server key", &e))?;
    let mut leaf = CertificateParams::new(vec!["127.0.0.1".to_string(), "::1".to_string(), "localhost".to_string()])
        .map_err(|e| err("server certificate names", &e))?;
    leaf.distinguished_name = name("localhost");
    leaf.is_ca = IsCa::ExplicitNoCa;
    leaf.use_authority_key_identifier_extension = true;
    // ECDSA keys sign; keyEncipherment is for RSA key exchange.
    leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
    leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let leaf_cert = leaf.signed_by(&key, &issuer).map_err(|e| err("server certificate", &e))?;

    let chain: Vec<CertificateDer<'static>> = vec![leaf_cert.der().clone(), ca_cert.der().clone()];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| err("TLS versions", &e))?
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .map_err(|e| err("TLS certificate", &e))?;
    // The server speaks HTTP/1.1 only: say so, so that h2-capable clients fall back.
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(TlsSetup { acceptor: TlsAcceptor::from(Arc::new(config)), root_pem: ca_cert.pem() })
}

fn name(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn.push(DnType::OrganizationName, "erdiag");
    dn
}
