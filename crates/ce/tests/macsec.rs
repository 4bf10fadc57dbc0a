//! MACsec on the CE port facing an ExpressRoute Direct link: where it is
//! turned on, the policy's cipher suite and SCI inclusion, for Cisco IOS-XE
//! and Junos (set and curly form). The CKN and CAK are secrets: they are
//! never in the parsed facts, a warning, or a line a diagnostic shows.

use erdiag_ce::config::{parse_config, redact_secrets, CeConfig};
use erdiag_ce::Platform;

const CKN: &str = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
const CAK: &str = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";

fn ios_xe(cipher: &str) -> String {
    format!(
        "hostname ce1-direct
!
key chain MACSEC-KC macsec
 key {CKN}
  cryptographic-algorithm aes-256-cmac
  key-string 0 {CAK}
!
mka policy MKA-ER
 key-server priority 0
 macsec-cipher-suite {cipher}
 sak-rekey interval 3600
 include-icv-indicator
 send-secure-announcements
 frobnicate-sak now
!
interface HundredGigE0/1/0
 description ExpressRoute Direct link1
 macsec network-link
 mka policy MKA-ER
 mka pre-shared-key key-chain MACSEC-KC
!
interface HundredGigE0/1/0.200
 encapsulation dot1Q 200
 ip address 172.16.0.1 255.255.255.252
!
interface HundredGigE0/1/1
 mka policy MKA-ER
!
"
    )
}

fn junos_set(include_sci: bool) -> String {
    let sci = if include_sci { "set security macsec connectivity-association CA-ER include-sci\n" } else { "" };
    format!(
        "set system host-name ce1-direct
set interfaces et-0/0/0 unit 200 vlan-id 200
set interfaces et-0/0/0 unit 200 family inet address 172.16.0.1/30
set security macsec connectivity-association CA-ER cipher-suite gcm-aes-xpn-256
set security macsec connectivity-association CA-ER security-mode static-cak
set security macsec connectivity-association CA-ER pre-shared-key ckn {CKN}
set security macsec connectivity-association CA-ER pre-shared-key cak \"$9$Xa7dbsJGi.mT\"
{sci}set security macsec connectivity-association CA-ER wobble yes
set security macsec interfaces et-0/0/0 connectivity-association CA-ER
"
    )
}

const JUNOS_CURLY: &str = "system {
    host-name ce1-direct;
}
interfaces {
    et-0/0/0 {
        unit 200 {
            vlan-id 200;
            family inet {
                address 172.16.0.1/30;
            }
        }
    }
}
security {
    macsec {
        connectivity-association CA-ER {
            cipher-suite gcm-aes-256;
            security-mode static-cak;
            include-sci;
            pre-shared-key {
                ckn 0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9;
                cak \"$9$Xa7dbsJGi.mT\"; ## SECRET-DATA
            }
        }
        interfaces {
            et-0/0/0 {
                connectivity-association CA-ER;
            }
        }
    }
}
";

fn parse(text: &str, p: Platform) -> CeConfig {
    parse_config(text, Some(p)).unwrap_or_else(|e| panic!("{e}"))
}

/// No key in the facts, the warnings, or any line as a diagnostic shows it.
fn assert_no_key(text: &str, c: &CeConfig) {
    let facts = serde_json::to_string(c).unwrap();
    for key in [CKN, CAK, "$9$Xa7dbsJGi.mT"] {
        assert!(!facts.contains(key), "a MACsec key reached the parsed facts");
        assert!(c.warnings.iter().all(|w| !w.message.contains(key)), "a MACsec key reached a warning");
        assert!(text.lines().all(|l| !redact_secrets(l).contains(key)), "a MACsec key survives redaction");
    }
}

#[test]
fn ios_xe_macsec_names_the_policy_its_cipher_and_no_sci_statement() {
    let text = ios_xe("gcm-aes-xpn-256");
    let c = parse(&text, Platform::CiscoIos);
    assert_eq!(c.macsec.len(), 1, "MKA lines without `macsec` do not turn MACsec on: {:#?}", c.macsec);
    let sub = c.interface("HundredGigE0/1/0.200").unwrap();
    let m = c.macsec_on(sub).expect("MACsec on the subinterface's port");
    assert_eq!(m.interface.value, "HundredGigE0/1/0");
    assert_eq!(m.policy.as_ref().map(|p| p.value.as_str()), Some("MKA-ER"));
    assert_eq!(m.cipher.as_ref().map(|p| p.value.as_str()), Some("gcm-aes-xpn-256"));
    assert!(m.include_sci.is_none(), "IOS-XE states no SCI inclusion");
    assert!(m.key.is_some());
    assert!(c.warnings.iter().any(|w| w.message.contains("frobnicate-sak")), "an unknown policy line is counted: {:#?}", c.warnings);
    assert_no_key(&text, &c);
}

#[test]
fn junos_set_and_curly_forms_read_the_association_the_same_way() {
    for (text, cipher, sci) in [(junos_set(true), "gcm-aes-xpn-256", Some(true)), (junos_set(false), "gcm-aes-xpn-256", None), (JUNOS_CURLY.to_string(), "gcm-aes-256", Some(true))] {
        let c = parse(&text, Platform::JuniperJunos);
        let unit = c.interfaces.iter().find(|i| i.name.value == "et-0/0/0.200").expect("unit 200");
        let m = c.macsec_on(unit).expect("MACsec on et-0/0/0");
        assert_eq!(m.policy.as_ref().map(|p| p.value.as_str()), Some("CA-ER"));
        assert_eq!(m.cipher.as_ref().map(|p| p.value.as_str()), Some(cipher));
        assert_eq!(m.include_sci.as_ref().map(|s| s.value), sci);
        assert!(m.key.is_some());
        assert_no_key(&text, &c);
    }
    let c = parse(&junos_set(true), Platform::JuniperJunos);
    assert!(c.warnings.iter().any(|w| w.message.contains("wobble")), "{:#?}", c.warnings);
}

const EOS: &str = "hostname ce1-direct
!
mac security
   profile MACSEC-ER
      cipher aes256-gcm-xpn
      key 0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9 7 ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100
      sci
      mka key-server priority 10
      wiggle on
!
interface Ethernet1/1
   description ExpressRoute Direct link1
   mac security profile MACSEC-ER
!
interface Ethernet1/1.200
   encapsulation dot1q vlan 200
   ip address 172.16.0.1/30
!
";

#[test]
fn eos_profile_gives_cipher_and_sci() {
    let c = parse(EOS, Platform::AristaEos);
    let sub = c.interface("Ethernet1/1.200").unwrap();
    let m = c.macsec_on(sub).expect("MACsec on Ethernet1/1");
    assert_eq!(m.policy.as_ref().map(|p| p.value.as_str()), Some("MACSEC-ER"));
    assert_eq!(m.cipher.as_ref().map(|p| p.value.as_str()), Some("aes256-gcm-xpn"));
    assert_eq!(m.include_sci.as_ref().map(|s| s.value), Some(true));
    assert!(m.key.is_some());
    assert!(c.warnings.iter().any(|w| w.message.contains("wiggle")), "{:#?}", c.warnings);
    assert_no_key(EOS, &c);
}

#[test]
fn a_config_without_macsec_has_none() {
    let c = parse("hostname ce1\ninterface Gi0/0/0.200\n encapsulation dot1Q 200\n ip address 172.16.0.1 255.255.255.252\n", Platform::CiscoIos);
    assert!(c.macsec.is_empty());
}
