//! Values as routers print them, read the same way wherever they are
//! compared: interface names abbreviated or not, the parent of a
//! subinterface, IOS's classful prefixes, addresses with stray blanks.

use std::net::IpAddr;

/// Whether two interface names as routers print them are the same
/// interface: case aside, and with the type abbreviated or not
/// (`Gi0/0/0.200` and `GigabitEthernet0/0/0.200`, `Et1` and `Ethernet1`).
pub fn same_interface(a: &str, b: &str) -> bool {
    let split = |s: &str| {
        let s = s.trim();
        let i = s.find(|c: char| c.is_ascii_digit()).unwrap_or(s.len());
        (s[..i].to_ascii_lowercase(), s[i..].to_ascii_lowercase())
    };
    let ((ta, na), (tb, nb)) = (split(a), split(b));
    if na != nb {
        return false;
    }
    if ta == tb {
        return true;
    }
    // Only a type's abbreviation, never a bare number on one side.
    !ta.is_empty() && !tb.is_empty() && (ta.starts_with(&tb) || tb.starts_with(&ta))
}

/// The parent of a subinterface (`GigabitEthernet0/0/0` for
/// `GigabitEthernet0/0/0.200`, `ge-0/0/0` for `ge-0/0/0.200`).
pub fn parent_interface(name: &str) -> Option<&str> {
    name.rsplit_once('.').map(|(p, _)| p).filter(|p| !p.is_empty())
}

/// A prefix as a CE prints it. IOS leaves out the mask of a classful
/// network in its BGP table (`10.0.0.0` is 10.0.0.0/8, `192.168.50.0` a
/// /24, `0.0.0.0` the default route).
pub fn prefix(s: &str) -> Option<ipnet::IpNet> {
    let t = s.trim();
    if let Ok(n) = t.parse::<ipnet::IpNet>() {
        return Some(n.trunc());
    }
    let ip: IpAddr = t.parse().ok()?;
    let len = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            match o[0] {
                _ if u32::from(v4) == 0 => 0,
                0..=127 if o[1] == 0 && o[2] == 0 && o[3] == 0 => 8,
                128..=191 if o[2] == 0 && o[3] == 0 => 16,
                192..=223 if o[3] == 0 => 24,
                _ => 32,
            }
        }
        IpAddr::V6(_) => 128,
    };
    ipnet::IpNet::new(ip, len).ok()
}

/// The address of an interface row (`172.16.0.1/30` or `172.16.0.1`).
pub fn interface_address(r: &crate::model::Interface) -> Option<IpAddr> {
    let a = r.ip_address.as_deref()?;
    a.split('/').next()?.trim().parse().ok()
}

/// Whether an address as a router printed it (`172.16.0.2`, with stray
/// blanks) is `addr`.
pub fn is_addr(text: &str, addr: IpAddr) -> bool {
    text.trim().parse::<IpAddr>().ok() == Some(addr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_names_compare_abbreviated() {
        assert!(same_interface("Gi0/0/0.200", "GigabitEthernet0/0/0.200"));
        assert!(same_interface("ethernet1.200", "Et1.200"));
        assert!(same_interface("ge-0/0/0.200", "ge-0/0/0.200"));
        assert!(!same_interface("GigabitEthernet0/0/0.200", "GigabitEthernet0/0/0.201"));
        assert!(!same_interface("GigabitEthernet0/0/1", "TenGigabitEthernet0/0/1"));
        assert!(!same_interface("0/0/1", "GigabitEthernet0/0/1"));
        assert_eq!(parent_interface("GigabitEthernet0/0/0.200"), Some("GigabitEthernet0/0/0"));
        assert_eq!(parent_interface("eth0"), None);
    }

    #[test]
    fn classful_prefixes_as_ios_prints_them() {
        let p = |s: &str| prefix(s).map(|n| n.to_string());
        assert_eq!(p("0.0.0.0").as_deref(), Some("0.0.0.0/0"));
        assert_eq!(p("10.0.0.0").as_deref(), Some("10.0.0.0/8"));
        assert_eq!(p("172.16.0.0").as_deref(), Some("172.16.0.0/16"));
        assert_eq!(p("192.168.50.0").as_deref(), Some("192.168.50.0/24"));
        assert_eq!(p("10.1.0.0/16").as_deref(), Some("10.1.0.0/16"));
        assert_eq!(p("10.2.20.1").as_deref(), Some("10.2.20.1/32"));
        assert_eq!(p("nonsense"), None);
    }
}
