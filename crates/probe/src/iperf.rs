//! The iperf3 3.x control protocol, as far as a TCP test needs it: the
//! 37-byte cookie, the one-byte states, and JSON messages framed by a 4-byte
//! big-endian length. Written from the protocol's description; both
//! `perf client` and `perf server` speak it, so each also works with iperf3.
//!
//! A test, as the control connection sees it (C client, S server):
//!
//! ```text
//! C: cookie (36 characters + NUL)
//! S: PARAM_EXCHANGE        C: {"tcp":true,"time":10,"parallel":6,"len":131072,…}
//! S: CREATE_STREAMS        C: opens `parallel` data connections, each sending the cookie
//! S: TEST_START, TEST_RUNNING
//!                          C: sends on the data connections for `time` seconds
//! C: TEST_END
//! S: EXCHANGE_RESULTS      C: its results     S: its results
//! S: DISPLAY_RESULTS       C: IPERF_DONE
//! ```
//!
//! A connection arriving while a test runs gets ACCESS_DENIED; a server
//! error is SERVER_ERROR followed by two 4-byte big-endian integers (iperf3's
//! error number, then errno). Stream ids are 1, 3, 4, 5… in creation order.

use serde::{Deserialize, Serialize};
use std::io;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

pub const COOKIE_SIZE: usize = 37;
pub const DEFAULT_PORT: u16 = 5201;

pub const TEST_START: i8 = 1;
pub const TEST_RUNNING: i8 = 2;
pub const TEST_END: i8 = 4;
pub const PARAM_EXCHANGE: i8 = 9;
pub const CREATE_STREAMS: i8 = 10;
pub const SERVER_TERMINATE: i8 = 11;
pub const CLIENT_TERMINATE: i8 = 12;
pub const EXCHANGE_RESULTS: i8 = 13;
pub const DISPLAY_RESULTS: i8 = 14;
pub const IPERF_DONE: i8 = 16;
pub const ACCESS_DENIED: i8 = -1;
pub const SERVER_ERROR: i8 = -2;

/// iperf3's error number for "the server does not support this" sent with
/// SERVER_ERROR (IEUNIMP: "an option you are trying to set is not implemented yet").
pub const IE_UNIMPLEMENTED: i32 = 13;
/// A JSON message longer than this is a protocol error (results of 128
/// streams take about 20 KB).
pub const MAX_JSON: u32 = 1 << 20;

pub type Cookie = [u8; COOKIE_SIZE];

/// 36 random characters from iperf3's alphabet, then NUL.
pub fn make_cookie() -> Cookie {
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut seed = random_seed();
    let mut c = [0u8; COOKIE_SIZE];
    for b in c.iter_mut().take(COOKIE_SIZE - 1) {
        // xorshift64*
        seed ^= seed >> 12;
        seed ^= seed << 25;
        seed ^= seed >> 27;
        let r = seed.wrapping_mul(0x2545_F491_4F6C_DD1D);
        *b = ALPHABET[(r >> 59) as usize];
    }
    c
}

fn random_seed() -> u64 {
    use std::collections::hash_map::RandomState;
    use std::hash::{BuildHasher, Hasher};
    let mut h = RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default().as_nanos());
    h.finish() | 1
}

pub async fn write_state<W: AsyncWrite + Unpin>(w: &mut W, state: i8) -> io::Result<()> {
    w.write_all(&[state as u8]).await?;
    w.flush().await
}

pub async fn read_state<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<i8> {
    let mut b = [0u8; 1];
    r.read_exact(&mut b).await?;
    Ok(b[0] as i8)
}

pub async fn write_json<W: AsyncWrite + Unpin, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    let body = serde_json::to_vec(value).map_err(io::Error::other)?;
    let mut msg = Vec::with_capacity(4 + body.len());
    msg.extend_from_slice(&(body.len() as u32).to_be_bytes());
    msg.extend_from_slice(&body);
    w.write_all(&msg).await?;
    w.flush().await
}

pub async fn read_json<R: AsyncRead + Unpin, T: for<'de> Deserialize<'de>>(r: &mut R) -> io::Result<T> {
    let mut len = [0u8; 4];
    r.read_exact(&mut len).await?;
    let len = u32::from_be_bytes(len);
    if len > MAX_JSON {
        return Err(io::Error::new(io::ErrorKind::InvalidData, format!("a control message of {len} bytes")));
    }
    let mut body = vec![0u8; len as usize];
    r.read_exact(&mut body).await?;
    serde_json::from_slice(&body)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, format!("a control message that is not the expected JSON: {e}")))
}

/// Reads the two integers after SERVER_ERROR: iperf3's error number and errno.
pub async fn read_server_error<R: AsyncRead + Unpin>(r: &mut R) -> io::Result<(i32, i32)> {
    let mut b = [0u8; 8];
    r.read_exact(&mut b).await?;
    Ok((i32::from_be_bytes([b[0], b[1], b[2], b[3]]), i32::from_be_bytes([b[4], b[5], b[6], b[7]])))
}

pub fn state_name(s: i8) -> &'static str {
    match s {
        TEST_START => "TEST_START",
        TEST_RUNNING => "TEST_RUNNING",
        TEST_END => "TEST_END",
        PARAM_EXCHANGE => "PARAM_EXCHANGE",
        CREATE_STREAMS => "CREATE_STREAMS",
        SERVER_TERMINATE => "SERVER_TERMINATE",
        CLIENT_TERMINATE => "CLIENT_TERMINATE",
        EXCHANGE_RESULTS => "EXCHANGE_RESULTS",
        DISPLAY_RESULTS => "DISPLAY_RESULTS",
        IPERF_DONE => "IPERF_DONE",
        ACCESS_DENIED => "ACCESS_DENIED",
        SERVER_ERROR => "SERVER_ERROR",
        _ => "an unknown state",
    }
}

/// The test parameters the client sends (the fields erdiag uses or
/// checks; others are ignored). Numbers are read leniently: iperf3 writes
/// them with cJSON, which may print an integer as a float.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Params {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tcp: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub udp: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sctp: Option<bool>,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub omit: i64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub time: i64,
    #[serde(default, skip_serializing_if = "is_zero", deserialize_with = "lenient_i64")]
    pub num: i64,
    #[serde(default, skip_serializing_if = "is_zero", deserialize_with = "lenient_i64")]
    pub blockcount: i64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub parallel: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bidirectional: Option<bool>,
    #[serde(default, skip_serializing_if = "is_zero", deserialize_with = "lenient_i64")]
    pub len: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_version: Option<String>,
}

fn is_zero(v: &i64) -> bool {
    *v == 0
}

fn lenient_i64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(match v {
        serde_json::Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)).unwrap_or(0),
        serde_json::Value::Bool(b) => i64::from(b),
        _ => 0,
    })
}

fn lenient_f64<'de, D: serde::Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let v = serde_json::Value::deserialize(d)?;
    Ok(v.as_f64().unwrap_or(0.0))
}

/// The results each side sends at the end of a test.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Results {
    #[serde(default, deserialize_with = "lenient_f64")]
    pub cpu_util_total: f64,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub cpu_util_user: f64,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub cpu_util_system: f64,
    /// 1 when the sender reports retransmits, 0 when it cannot, -1 when this
    /// side received.
    #[serde(default, deserialize_with = "lenient_i64")]
    pub sender_has_retransmits: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub congestion_used: Option<String>,
    #[serde(default)]
    pub streams: Vec<StreamResult>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StreamResult {
    #[serde(default, deserialize_with = "lenient_i64")]
    pub id: i64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub bytes: i64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub retransmits: i64,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub jitter: f64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub errors: i64,
    #[serde(default, deserialize_with = "lenient_i64")]
    pub packets: i64,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub start_time: f64,
    #[serde(default, deserialize_with = "lenient_f64")]
    pub end_time: f64,
}

/// The id iperf3 gives the `index`-th stream (0-based) of a test: 1, 3, 4, 5…
pub fn stream_id(index: usize) -> i64 {
    if index == 0 {
        1
    } else {
        index as i64 + 2
    }
}

impl Results {
    /// Results of a side that measured `bytes` on each stream over `seconds`.
    pub fn of_streams(bytes: &[u64], seconds: f64, sender: bool) -> Results {
        Results {
            sender_has_retransmits: if sender { 0 } else { -1 },
            streams: bytes
                .iter()
                .enumerate()
                .map(|(i, b)| StreamResult {
                    id: stream_id(i),
                    bytes: *b as i64,
                    retransmits: -1,
                    end_time: seconds,
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }
    }
    pub fn total_bytes(&self) -> u64 {
        self.streams.iter().map(|s| s.bytes.max(0) as u64).sum()
    }
    /// The longest stream time, in seconds.
    pub fn seconds(&self) -> f64 {
        self.streams.iter().map(|s| s.end_time - s.start_time).fold(0.0, f64::max)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_look_like_iperf3s() {
        let a = make_cookie();
        assert_eq!(a[36], 0);
        assert!(a[..36].iter().all(|c| b"abcdefghijklmnopqrstuvwxyz234567".contains(c)));
        assert_ne!(a, make_cookie());
    }

    #[test]
    fn stream_ids_skip_two() {
        assert_eq!((0..4).map(stream_id).collect::<Vec<_>>(), vec![1, 3, 4, 5]);
    }

    #[tokio::test]
    async fn json_messages_are_length_prefixed() {
        let mut buf = Vec::new();
        let p = Params { tcp: Some(true), time: 3, parallel: 2, len: 131072, ..Default::default() };
        write_json(&mut buf, &p).await.unwrap();
        let len = u32::from_be_bytes([buf[0], buf[1], buf[2], buf[3]]) as usize;
        assert_eq!(len, buf.len() - 4);
        let v: serde_json::Value = serde_json::from_slice(&buf[4..]).unwrap();
        assert_eq!(v, serde_json::json!({"tcp": true, "omit": 0, "time": 3, "parallel": 2, "len": 131072}));
        let back: Params = read_json(&mut &buf[..]).await.unwrap();
        assert_eq!((back.time, back.parallel), (3, 2));
        // cJSON may write integers as floats; an oversized length is refused.
        let mut m = Vec::new();
        let body = br#"{"time": 2.0, "parallel": 1e0, "tcp": true}"#;
        m.extend_from_slice(&(body.len() as u32).to_be_bytes());
        m.extend_from_slice(body);
        let p: Params = read_json(&mut &m[..]).await.unwrap();
        assert_eq!((p.time, p.parallel), (2, 1));
        let huge = (MAX_JSON + 1).to_be_bytes();
        assert!(read_json::<_, Params>(&mut &huge[..]).await.is_err());
    }
}
