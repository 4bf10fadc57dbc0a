//! A BGP table read by the columns of its header (`Network  Next Hop
//! Metric LocPrf Weight Path`), for the tables that have no ntc-templates
//! corpus to be held to: IOS-XR `show bgp` and FRR `show ip bgp`.
//!
//! The status codes are the characters before the network column; the next
//! hop starts at `Next Hop`; metric, local preference and weight are
//! right-aligned under their headers; the AS path runs from `Path` to the
//! origin code at the end. A network too long for its column is alone on
//! its line and the path follows on the next; further paths of a network
//! leave the network column empty. An IPv6 next hop too long for its column
//! is alone on its line too, the numbers and the path on the line after.

use crate::fsm::Out;
use crate::show::rows::Path;
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
    pub path: Path<'a>,
}

/// What a line of the table is.
pub(crate) enum Line<'a> {
    Header(Columns),
    /// A network alone on its line (codes, network).
    NetworkOnly(&'a str, &'a str),
    /// A next hop with nothing after it on its line (codes — FRR prints a
    /// further path's `*=` before it —, network — empty when the next hop
    /// is alone —, next hop): the rest of the path is on the next
    /// ([`PendingNextHop`]).
    NextHopOnly(&'a str, &'a str, &'a str),
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
        // A next hop alone, or after the codes of a further path of the
        // network above (`*=   fe80::…`), at the next-hop column.
        let at_next_hop = codes.is_empty() || line.len() > self.next_hop && line[codes_end..self.next_hop].trim().is_empty();
        if at_next_hop && !starts_at_network && net_tok.len() == rest.trim().len() && net_tok.parse::<std::net::IpAddr>().is_ok() {
            return Line::NextHopOnly(codes, "", net_tok);
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
        if !network.is_empty() && !right.contains(char::is_whitespace) && right.parse::<std::net::IpAddr>().is_ok() {
            return Line::NextHopOnly(codes, network, right);
        }
        let Some(_origin) = right.chars().last().filter(|c| matches!(c, 'i' | 'e' | '?')) else {
            return Line::Other;
        };
        let next_hop = right.split_whitespace().next().unwrap_or("");
        if next_hop.is_empty() || !line.as_bytes()[self.next_hop].is_ascii_graphic() {
            return Line::Other;
        }
        self.numbers(line, codes, network, next_hop, self.next_hop + next_hop.len())
    }

    /// The line after a [`Line::NextHopOnly`]: the numbers and the path of
    /// the path whose next hop that was.
    pub fn continued<'a>(&self, line: &'a str, next_hop: &'a str) -> Option<Row<'a>> {
        if !line.is_ascii() || line.len() <= self.next_hop || !line[..self.next_hop].trim().is_empty() || !line.trim_end().ends_with(['i', 'e', '?']) {
            return None;
        }
        match self.numbers(line, "", "", next_hop, self.next_hop) {
            Line::Row(r) => Some(r),
            _ => None,
        }
    }

    /// Metric, local preference and weight: numbers right-aligned under
    /// their headers (each to the nearest); the AS path after them, the
    /// origin code last. `nh_end`: where the next hop ends on the line.
    fn numbers<'a>(&self, line: &'a str, codes: &'a str, network: &'a str, next_hop: &'a str, nh_end: usize) -> Line<'a> {
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
        Line::Row(Row { codes, network, path: Path { next_hop, metric, local_pref, weight, as_path, origin: &tail[tail.len() - 1..] } })
    }
}

/// A table read by its columns after its header: the columns once seen,
/// and a next hop alone on its line waiting for the rest of its path.
#[derive(Default)]
pub(crate) struct Table {
    pub cols: Option<Columns>,
    next_hop: PendingNextHop,
}

/// A line of the table that the parser records.
pub(crate) enum Event<'a> {
    /// A network alone on its line (codes, network): its path follows.
    Network(&'a str, &'a str),
    /// A path (its network empty when it continues the network above).
    Row(Row<'a>),
}

impl<'a> Event<'a> {
    /// The status codes, the network (empty when the path continues the
    /// network above) and the path, when the line has one.
    pub fn parts(self) -> (&'a str, &'a str, Option<Path<'a>>) {
        match self {
            Event::Network(codes, network) => (codes, network, None),
            Event::Row(r) => (r.codes, r.network, Some(r.path)),
        }
    }
}

impl Table {
    /// Reads a line after the header: what it holds goes to `on`. False
    /// when the line is none of the table's (the parser decides what it is).
    pub fn line(&mut self, n: usize, line: &str, out: &mut Out<'_>, on: &mut dyn FnMut(Event<'_>, &mut Out<'_>)) -> bool {
        let Some(cols) = self.cols else { return false };
        if let Some((codes, nh, mut r)) = self.next_hop.take(&cols, line, out) {
            r.path.next_hop = &nh;
            r.codes = &codes;
            on(Event::Row(r), out);
            return true;
        }
        match cols.classify(line) {
            Line::Header(c) => self.cols = Some(c),
            Line::NetworkOnly(c, net) => on(Event::Network(c, net), out),
            Line::NextHopOnly(codes, net, nh) => {
                if !net.is_empty() {
                    // The network (with its codes) first; the path keeps them.
                    self.line(n, &line[..net.as_ptr() as usize - line.as_ptr() as usize + net.len()], out, on);
                    self.next_hop.set(n, "", nh);
                } else {
                    self.next_hop.set(n, codes, nh);
                }
            }
            Line::Row(r) => on(Event::Row(r), out),
            Line::Other => return false,
        }
        true
    }

    /// The end of the input.
    pub fn finish(&mut self, out: &mut Out<'_>) {
        self.next_hop.finish(out);
    }
}

/// A next hop alone on its line, waiting for the rest of its path on the
/// next: (line number, the path's status codes when printed before it,
/// address).
#[derive(Default)]
pub(crate) struct PendingNextHop(Option<(usize, String, String)>);

const NEXT_HOP_ALONE: &str = "a next hop alone on its line, without the rest of its path after it";

impl PendingNextHop {
    pub fn set(&mut self, n: usize, codes: &str, next_hop: &str) {
        self.0 = Some((n, codes.to_string(), next_hop.to_string()));
    }

    /// The line after the next hop: the rest of its path (the codes and
    /// the next hop returned beside it, the row's own left empty), or a
    /// warning that it is not there.
    pub fn take<'a>(&mut self, cols: &Columns, line: &'a str, out: &mut Out<'_>) -> Option<(String, String, Row<'a>)> {
        let (at, codes, nh) = self.0.take()?;
        match cols.continued(line, "") {
            Some(r) => Some((codes, nh, r)),
            None => {
                out.warn(at, NEXT_HOP_ALONE);
                None
            }
        }
    }

    /// The end of the input.
    pub fn finish(&mut self, out: &mut Out<'_>) {
        if let Some((at, _, _)) = self.0.take() {
            out.warn(at, NEXT_HOP_ALONE);
        }
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
        assert_eq!((r.codes, r.network, r.path.values()), ("*>", "192.168.123.2/32", ["10.103.127.5", "0", "", "0", "65200", "?"]));
        let Line::Row(r) = c.classify("* i                   10.0.0.2                 0    100      0 i") else { panic!() };
        assert_eq!((r.codes, r.network, r.path.local_pref, r.path.as_path), ("* i", "", "100", ""));
        assert!(matches!(c.classify("*> 2001:db8:1234:5678::/64"), Line::NetworkOnly("*>", "2001:db8:1234:5678::/64")));
        assert!(matches!(c.classify("Processed 5 prefixes, 5 paths"), Line::Other));
    }
}
