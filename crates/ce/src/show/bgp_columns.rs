//! A BGP table read by the columns of its header (`Network  Next Hop
//! Metric LocPrf Weight Path`), for the tables that have no ntc-templates
//! corpus to be held to: IOS-XR `show bgp` and FRR `show ip bgp`.
//!
//! The status codes are the characters before the network column; the next
//! hop starts at `Next Hop`; metric, local preference and weight are
//! right-aligned under their headers; the AS path runs from `Path` to the
//! origin code at the end. A network too long for its column is alone on
//! its line and the path follows on the next; further paths of a network
//! leave the network column empty.

use crate::text::Cur;

/// Column positions from the header.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Columns {
    network: usize,
    next_hop: usize,
    metric_end: usize,
    locprf_end: usize,
    weight_end: usize,
}

/// One path of the table.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Row<'a> {
    /// The status code columns as printed (`*>`, `*>i`, `s i`, `*=`).
    pub codes: &'a str,
    /// Empty when the line continues the network above.
    pub network: &'a str,
    pub next_hop: &'a str,
    pub metric: &'a str,
    pub local_pref: &'a str,
    pub weight: &'a str,
    pub as_path: &'a str,
    pub origin: &'a str,
}

/// What a line of the table is.
pub(crate) enum Line<'a> {
    Header(Columns),
    /// A network alone on its line (codes, network).
    NetworkOnly(&'a str, &'a str),
    Row(Row<'a>),
    Other,
}

impl Columns {
    /// `Network  Next Hop  Metric LocPrf Weight Path` (also `Next-hop`,
    /// `LocPref`).
    pub fn header(line: &str) -> Option<Columns> {
        let network = line.find("Network")?;
        if !line[..network].trim().is_empty() {
            return None;
        }
        let next_hop = line.find("Next Hop").or_else(|| line.find("Next-hop")).or_else(|| line.find("Next-Hop"))?;
        let end = |w: &str| line.find(w).map(|i| i + w.len());
        let metric_end = end("Metric")?;
        let locprf_end = end("LocPrf").or_else(|| end("LocPref"))?;
        let weight_end = end("Weight")?;
        line.find("Path")?;
        (network < next_hop && next_hop < metric_end && metric_end < locprf_end && locprf_end < weight_end).then_some(Columns { network, next_hop, metric_end, locprf_end, weight_end })
    }

    pub fn classify<'a>(&self, line: &'a str) -> Line<'a> {
        if let Some(c) = Columns::header(line) {
            return Line::Header(c);
        }
        if !line.is_ascii() || line.trim().is_empty() {
            return Line::Other;
        }
        let len = line.len();
        let codes_end = self.network.min(len);
        let codes = line[..codes_end].trim_end();
        if !codes.chars().all(is_code) {
            return Line::Other;
        }
        let rest = &line[codes_end..];
        let net_tok = rest.split_whitespace().next().unwrap_or("");
        let starts_at_network = !rest.is_empty() && !rest.starts_with(' ');
        // A network alone on its line.
        if starts_at_network && rest.trim_end() == net_tok && looks_like_prefix(net_tok) {
            return Line::NetworkOnly(codes, net_tok);
        }
        if len <= self.next_hop {
            return Line::Other;
        }
        let network = if starts_at_network && looks_like_prefix(net_tok) && codes_end + net_tok.len() <= self.next_hop { net_tok } else { "" };
        if network.is_empty() && !line[codes_end..self.next_hop].trim().is_empty() {
            return Line::Other;
        }
        // The path from the next hop on: origin last.
        let right = line[self.next_hop..].trim_end();
        let Some(_origin) = right.chars().last().filter(|c| matches!(c, 'i' | 'e' | '?')) else { return Line::Other };
        let next_hop = right.split_whitespace().next().unwrap_or("");
        if next_hop.is_empty() || !line.as_bytes()[self.next_hop].is_ascii_graphic() {
            return Line::Other;
        }
        // Metric, local preference and weight: numbers right-aligned under
        // their headers (each to the nearest); the AS path after them.
        let nh_end = self.next_hop + next_hop.len();
        let (mut metric, mut local_pref, mut weight) = ("", "", "");
        let mut path_start = nh_end;
        let mut pos = nh_end;
        let body = &line[..line.len() - (line.len() - line.trim_end().len()) - 1];
        while pos < body.len() {
            let r = &body[pos..];
            let t = r.trim_start();
            if t.is_empty() {
                break;
            }
            let start = body.len() - t.len();
            let tok = t.split_whitespace().next().unwrap_or("");
            let end = start + tok.len();
            if !tok.bytes().all(|b| b.is_ascii_digit()) || end > self.weight_end + 2 {
                break;
            }
            let cols = [self.metric_end, self.locprf_end, self.weight_end];
            let k = (0..3).min_by_key(|&k| cols[k].abs_diff(end)).unwrap_or(2);
            match k {
                0 => metric = tok,
                1 => local_pref = tok,
                _ => weight = tok,
            }
            pos = end;
            path_start = end;
        }
        let tail = line[path_start..].trim_end();
        if tail.is_empty() {
            // The next hop itself ended in what looked like an origin code.
            return Line::Other;
        }
        let as_path = tail[..tail.len() - 1].trim();
        Line::Row(Row { codes, network, next_hop, metric, local_pref, weight, as_path, origin: &tail[tail.len() - 1..] })
    }
}

fn is_code(c: char) -> bool {
    matches!(c, ' ' | '*' | '>' | '=' | 'i' | 's' | 'd' | 'h' | 'r' | 'S' | 'N' | 'x' | 'a' | 'c' | 'b' | 'm' | 'f' | 'V' | 'I' | 'e' | 'R' | '+' | 'u' | 'q')
}

/// `10.0.0.0/8`, `10.0.0.0` (classful), `2001:db8::/32`.
pub(crate) fn looks_like_prefix(s: &str) -> bool {
    let (addr, len) = s.split_once('/').unwrap_or((s, "0"));
    len.bytes().all(|b| b.is_ascii_digit()) && !len.is_empty() && (addr.parse::<std::net::Ipv4Addr>().is_ok() || addr.parse::<std::net::Ipv6Addr>().is_ok())
}

/// `Route Distinguisher: X (…)`: the RD.
pub(crate) fn route_distinguisher(line: &str) -> Option<&str> {
    let mut c = Cur::new(line);
    (c.words("Route Distinguisher:") && c.ws()).then(|| c.word()).flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_of_an_xr_table() {
        let h = "   Network            Next Hop            Metric LocPrf Weight Path";
        let c = Columns::header(h).unwrap();
        let Line::Row(r) = c.classify("*> 192.168.123.2/32   10.103.127.5             0             0 65200 ?") else { panic!() };
        assert_eq!((r.codes, r.network, r.next_hop, r.metric, r.local_pref, r.weight, r.as_path, r.origin), ("*>", "192.168.123.2/32", "10.103.127.5", "0", "", "0", "65200", "?"));
        let Line::Row(r) = c.classify("* i                   10.0.0.2                 0    100      0 i") else { panic!() };
        assert_eq!((r.codes, r.network, r.local_pref, r.as_path), ("* i", "", "100", ""));
        assert!(matches!(c.classify("*> 2001:db8:1234:5678::/64"), Line::NetworkOnly("*>", "2001:db8:1234:5678::/64")));
        assert!(matches!(c.classify("Processed 5 prefixes, 5 paths"), Line::Other));
    }
}
