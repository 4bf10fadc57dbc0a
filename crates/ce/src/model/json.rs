//! Typed records written as JSON by hand, for `erdiag parse`'s streaming
//! output: byte for byte what `serde_json` writes for the same value (the
//! tests hold the two together), without building the value first.
//!
//! Only the BGP table has this path: it is the output that runs to
//! millions of records (the 1,000,000-route benchmark). A path is written
//! straight from its record ([`BgpRouteRef`]): no `String` per field, no
//! `Vec` for the AS path, and numbers that are already in canonical form
//! (digits, no leading zero) are copied rather than parsed and printed.

use super::convert::{num, BgpRouteFields, BgpRouteRef};
use super::parse_asn;
use crate::Rec;

/// Writes the paths of a BGP table, one record at a time.
#[derive(Debug, Default)]
pub(crate) struct BgpRouteWriter {
    /// The fields of the parser the last record came from.
    fields: Option<BgpRouteFields>,
}

impl BgpRouteWriter {
    /// The [`BgpRoute`](super::BgpRoute) of `rec`, as `serde_json` would
    /// write it.
    #[inline]
    pub(crate) fn write(&mut self, rec: &Rec<'_>, buf: &mut Vec<u8>) {
        let fields = match self.fields {
            Some(f) if f.fits(rec) => f,
            _ => *self.fields.insert(BgpRouteFields::of(rec.schema())),
        };
        write_bgp_route(buf, &fields.read(rec));
    }
}

/// A [`BgpRoute`](super::BgpRoute) as `serde_json` writes it (fields in
/// declaration order, no spaces).
pub(crate) fn write_bgp_route(buf: &mut Vec<u8>, r: &BgpRouteRef<'_>) {
    buf.extend_from_slice(b"{\"prefix\":\"");
    write_str_body(buf, r.network);
    if !r.netmask.is_empty() {
        buf.push(b'/');
        write_str_body(buf, r.netmask);
    }
    buf.extend_from_slice(b"\",\"next_hop\":\"");
    write_str_body(buf, r.next_hop);
    buf.extend_from_slice(if r.valid { b"\",\"valid\":true" } else { b"\",\"valid\":false" });
    buf.extend_from_slice(if r.best { b",\"best\":true" } else { b",\"best\":false" });
    buf.extend_from_slice(if r.internal { b",\"internal\":true" } else { b",\"internal\":false" });
    buf.extend_from_slice(b",\"metric\":");
    write_num(buf, r.metric);
    buf.extend_from_slice(b",\"local_pref\":");
    write_num(buf, r.local_pref);
    buf.extend_from_slice(b",\"weight\":");
    write_num(buf, r.weight);
    buf.extend_from_slice(b",\"as_path\":[");
    write_as_path(buf, r.as_path);
    match r.origin {
        Some(o) => {
            buf.extend_from_slice(b"],\"origin\":\"");
            buf.extend_from_slice(o.as_bytes());
            buf.extend_from_slice(b"\"}");
        }
        None => buf.extend_from_slice(b"],\"origin\":null}"),
    }
}

/// What `serde_json` writes for a byte of a string: 0 the byte itself,
/// `u` `\u00XX`, else a backslash and this letter.
static ESCAPE: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = b'u';
        i += 1;
    }
    t[0x08] = b'b';
    t[0x09] = b't';
    t[0x0a] = b'n';
    t[0x0c] = b'f';
    t[0x0d] = b'r';
    t[b'"' as usize] = b'"';
    t[b'\\' as usize] = b'\\';
    t
};

/// The inside of a JSON string (no quotes), escaped as `serde_json` does.
#[inline]
pub(crate) fn write_str_body(buf: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    // Almost always nothing to escape: a branch-free look first.
    if !bytes.iter().fold(false, |any, &b| any | (b < 0x20) | (b == b'"') | (b == b'\\')) {
        buf.extend_from_slice(bytes);
        return;
    }
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let e = ESCAPE[b as usize];
        if e == 0 {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        if e == b'u' {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            buf.extend_from_slice(b"\\u00");
            buf.push(HEX[usize::from(b >> 4)]);
            buf.push(HEX[usize::from(b & 0xf)]);
        } else {
            buf.push(b'\\');
            buf.push(e);
        }
        start = i + 1;
    }
    buf.extend_from_slice(&bytes[start..]);
}

/// Digits that print as themselves: no sign, no leading zero, at most
/// `max` of them (so that the value fits).
#[inline]
fn canonical_digits(b: &[u8], max: usize) -> bool {
    !b.is_empty() && b.len() <= max && (b[0] != b'0' || b.len() == 1) && b.iter().all(u8::is_ascii_digit)
}

/// An `Option<u64>` read from text with [`num`]: the number, or `null`.
#[inline]
fn write_num(buf: &mut Vec<u8>, s: &str) {
    // 19 digits always fit in a u64.
    if canonical_digits(s.as_bytes(), 19) {
        buf.extend_from_slice(s.as_bytes());
    } else {
        match num(s) {
            Some(n) => write_u64(buf, n),
            None => buf.extend_from_slice(b"null"),
        }
    }
}

fn write_u64(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Where [`super::convert::as_path`] splits an ASCII path: whitespace
/// (`char::is_whitespace` of an ASCII character), the braces and commas of
/// an AS set.
static AS_PATH_SEPARATOR: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[0x0b] = true;
    t[0x0c] = true;
    t[b'\r' as usize] = true;
    t[b'{' as usize] = true;
    t[b'}' as usize] = true;
    t[b',' as usize] = true;
    t
};

/// The elements of the `Vec<u32>` that [`super::convert::as_path`] makes
/// of `s`, comma-separated.
#[inline]
fn write_as_path(buf: &mut Vec<u8>, s: &str) {
    if plain_as_path(s.as_bytes()) {
        // The path as printed, commas for the spaces.
        let at = buf.len();
        buf.extend_from_slice(s.as_bytes());
        for b in &mut buf[at..] {
            if *b == b' ' {
                *b = b',';
            }
        }
        return;
    }
    let mut first = true;
    let mut asn = |buf: &mut Vec<u8>, tok: &str| {
        // Up to 9 digits always fit in a u32.
        if canonical_digits(tok.as_bytes(), 9) {
            if !first {
                buf.push(b',');
            }
            first = false;
            buf.extend_from_slice(tok.as_bytes());
        } else if let Some(n) = parse_asn(tok) {
            if !first {
                buf.push(b',');
            }
            first = false;
            write_u64(buf, u64::from(n));
        }
    };
    if s.is_ascii() {
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            while i < b.len() && AS_PATH_SEPARATOR[usize::from(b[i])] {
                i += 1;
            }
            let start = i;
            while i < b.len() && !AS_PATH_SEPARATOR[usize::from(b[i])] {
                i += 1;
            }
            if i > start {
                asn(buf, &s[start..i]);
            }
        }
    } else {
        for tok in s.split(|c: char| c.is_whitespace() || c == '{' || c == '}' || c == ',') {
            asn(buf, tok);
        }
    }
}

/// Whether `s` is asplain numbers that print as themselves (at most 9
/// digits, no leading zero), separated by single spaces: the path of almost
/// every route.
#[inline]
fn plain_as_path(s: &[u8]) -> bool {
    // Digits in the current number, and whether it started with a zero.
    let (mut digits, mut zero) = (0usize, false);
    for &b in s {
        if b.is_ascii_digit() {
            if digits == 0 {
                zero = b == b'0';
            } else if zero || digits == 9 {
                return false;
            }
            digits += 1;
        } else if b == b' ' && digits > 0 {
            digits = 0;
        } else {
            return false;
        }
    }
    digits > 0 || s.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::convert::as_path;

    fn route<'a>(network: &'a str, netmask: &'a str, next_hop: &'a str, metric: &'a str, as_path: &'a str, origin: Option<&'static str>) -> BgpRouteRef<'a> {
        BgpRouteRef { network, netmask, next_hop, valid: true, best: false, internal: true, metric, local_pref: "100", weight: "", as_path, origin }
    }

    fn same(r: &BgpRouteRef<'_>) {
        let mut buf = Vec::new();
        write_bgp_route(&mut buf, r);
        let want = serde_json::to_string(&r.to_route()).unwrap();
        assert_eq!(String::from_utf8(buf).unwrap(), want, "{r:?}");
    }

    #[test]
    fn a_route_as_serde_json_writes_it() {
        same(&route("10.0.0.0/8", "", "192.0.2.1", "0", "65001 174 {64512,64513}", Some("igp")));
        same(&route("10.0.0.0", "8", "", "", "", None));
        same(&route("a\"b\\c\td\x08\x0c\x01\x1f\x7fé€", "x\ny\r", "\u{2003}", "007", "+5 0 00 01 4294967295 4294967296 65000.1000 65536.1 1.+2 \u{a0}3 é", Some("incomplete")));
        for m in ["", " ", "0", "00", "+1", "-1", "1 ", " 1", "18446744073709551615", "18446744073709551616", "9999999999999999999", "1e3", "\u{2003}7"] {
            same(&route("1.0.0.0/8", "", "1.1.1.1", m, m, Some("egp")));
        }
    }

    #[test]
    fn every_byte_escapes_as_serde_json_escapes_it() {
        let s: String = (0u8..0x80).map(char::from).chain("é€\u{2028}".chars()).collect();
        let mut buf = vec![b'"'];
        write_str_body(&mut buf, &s);
        buf.push(b'"');
        assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&s).unwrap());
    }

    proptest::proptest! {
        #[test]
        fn numbers_and_as_paths_as_serde_json_writes_them(s in "[0-9 +.{},\\t\\x0b\\x0c\\r\\n\u{a0}\u{2003}é-]{0,40}") {
            let mut buf = Vec::new();
            write_num(&mut buf, &s);
            proptest::prop_assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&num(&s)).unwrap());
            let mut buf = vec![b'['];
            write_as_path(&mut buf, &s);
            buf.push(b']');
            proptest::prop_assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&as_path(&s)).unwrap());
        }

        #[test]
        fn strings_as_serde_json_writes_them(s in "\\PC{0,20}|[\\x00-\\x7f]{0,20}") {
            let mut buf = vec![b'"'];
            write_str_body(&mut buf, &s);
            buf.push(b'"');
            proptest::prop_assert_eq!(String::from_utf8(buf).unwrap(), serde_json::to_string(&s).unwrap());
        }
    }
}
