//! Connections: a TCP accept loop, the TLS handshake when HTTPS is on, and a
//! connection type whose writes a handler can cut, so that a
//! `DropConnection` fault really drops the TCP connection.
//!
//! The server (`server.rs`) takes ready connections from [`Incoming`], fed
//! by an accept task over a channel: TLS handshakes run in their own tasks,
//! so one slow or broken client never blocks the others. Each connection
//! carries its [`ConnInfo`], a handle on its [`Cut`] that handlers get.
//!
//! Nobody can hold the emulator down: at most `max_connections` are open
//! (each holds a permit from the accept loop's semaphore until it closes;
//! further clients wait in the kernel's backlog), and a connection on which
//! nothing moves for `idle_timeout` fails its next read or write.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{ready, Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, Sleep};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// How long a client may take to finish the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// Where a connection is cut, if a fault asked for it.
#[derive(Debug, Default)]
pub(crate) struct Cut(Mutex<CutState>);

#[derive(Debug, Default, Clone, Copy)]
enum CutState {
    #[default]
    Open,
    /// No further byte is written: the next write fails and the connection closes.
    Now,
    /// Write through the end of the response head (`\r\n\r\n`), then `body` more bytes, then fail.
    AfterHead { body: usize, matched: u8, in_body: bool },
}

impl Cut {
    /// Close the connection instead of writing the next answer.
    pub(crate) fn now(&self) {
        *self.lock() = CutState::Now;
    }

    /// Write the next answer's head and `body` bytes of its body, then close.
    pub(crate) fn after_head(&self, body: usize) {
        *self.lock() = CutState::AfterHead { body, matched: 0, in_body: false };
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CutState> {
        // A poisoned lock only means another thread panicked mid-update of a
        // plain enum: the value is still usable.
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// How many bytes of `buf` may still be written (`None`: all).
    fn allowance(&self, buf: &[u8]) -> Option<usize> {
        match *self.lock() {
            CutState::Open => None,
            CutState::Now => Some(0),
            CutState::AfterHead { body, matched, in_body } => {
                let mut st = (body, matched, in_body);
                let mut n = 0;
                for &b in buf {
                    if !step(&mut st, b) {
                        break;
                    }
                    n += 1;
                }
                Some(n)
            }
        }
    }

    /// Records that these bytes were written.
    fn advance(&self, written: &[u8]) {
        let mut guard = self.lock();
        if let CutState::AfterHead { body, matched, in_body } = *guard {
            let mut st = (body, matched, in_body);
            for &b in written {
                if !step(&mut st, b) {
                    break;
                }
            }
            *guard = CutState::AfterHead { body: st.0, matched: st.1, in_body: st.2 };
        }
    }
}

/// One byte through the head-then-body budget; false when it may not be written.
fn step(st: &mut (usize, u8, bool), b: u8) -> bool {
    let (body, matched, in_body) = st;
    if *in_body {
        if *body == 0 {
            return false;
        }
        *body -= 1;
        return true;
    }
    const END: &[u8; 4] = b"\r\n\r\n";
    *matched = if b == END[*matched as usize] {
        *matched + 1
    } else if b == b'\r' {
        1
    } else {
        0
    };
    if *matched == 4 {
        *in_body = true;
    }
    true
}

/// The stream under a connection.
pub(crate) enum Stream {
    Plain(TcpStream),
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

/// A served connection: its stream, its cut, its idle deadline, and its
/// place among the connections allowed at once.
pub(crate) struct Conn {
    stream: Stream,
    cut: Arc<Cut>,
    idle_after: Duration,
    idle: Pin<Box<Sleep>>,
    _permit: OwnedSemaphorePermit,
}

/// What a handler learns about its connection.
#[derive(Debug, Clone)]
pub(crate) struct ConnInfo {
    #[allow(dead_code)]
    pub remote: SocketAddr,
    pub cut: Arc<Cut>,
}

impl AsyncRead for Conn {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let result = match &mut this.stream {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        };
        this.progress(result, buf.filled().len() > before, cx)
    }
}

impl Conn {
    fn new(stream: Stream, cut: Arc<Cut>, idle_after: Duration, permit: OwnedSemaphorePermit) -> Conn {
        Conn { stream, cut, idle_after, idle: Box::pin(tokio::time::sleep(idle_after)), _permit: permit }
    }

    fn inner(&mut self) -> Pin<&mut (dyn AsyncWrite + Unpin + Send)> {
        match &mut self.stream {
            Stream::Plain(s) => Pin::new(s),
            Stream::Tls(s) => Pin::new(s.as_mut()),
        }
    }

    /// Bytes moved: the idle deadline moves too. Nothing moved and the
    /// deadline passed: the connection fails with a timeout.
    fn progress<T>(&mut self, result: Poll<io::Result<T>>, moved: bool, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        match result {
            Poll::Ready(r) => {
                if moved {
                    self.idle.as_mut().reset(Instant::now() + self.idle_after);
                }
                Poll::Ready(r)
            }
            Poll::Pending => match self.idle.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "connection idle too long"))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        match this.cut.allowance(buf) {
            None => {
                let result = this.inner().poll_write(cx, buf);
                let moved = matches!(result, Poll::Ready(Ok(n)) if n > 0);
                this.progress(result, moved, cx)
            }
            Some(0) if !buf.is_empty() => {
                // Push out what was allowed (a TLS record may still be
                // buffered), then fail: hyper drops the connection.
                let _ = ready!(this.inner().poll_flush(cx));
                Poll::Ready(Err(io::Error::new(io::ErrorKind::ConnectionAborted, "connection dropped by an injected fault")))
            }
            Some(n) => {
                let result = ready!(this.inner().poll_write(cx, &buf[..n.min(buf.len())]));
                if let Ok(written) = result {
                    this.cut.advance(&buf[..written]);
                }
                Poll::Ready(result)
            }
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = this.inner().poll_flush(cx);
        this.progress(result, false, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.get_mut().inner().poll_shutdown(cx)
    }
}

/// Connections ready for HTTP.
pub(crate) struct Incoming {
    rx: mpsc::Receiver<(Conn, ConnInfo)>,
}

impl Incoming {
    pub(crate) async fn accept(&mut self) -> (Conn, ConnInfo) {
        match self.rx.recv().await {
            Some(conn) => conn,
            // The accept task is gone (shutdown): nothing more will come.
            None => std::future::pending().await,
        }
    }
}

/// What bounds the connections.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub max_connections: usize,
    pub idle_timeout: Duration,
}

/// Starts accepting on `tcp`; returns the connections to serve and the accept
/// task (abort it to stop accepting and to cancel pending handshakes).
pub(crate) fn incoming(tcp: TcpListener, tls: Option<TlsAcceptor>, limits: Limits) -> (Incoming, tokio::task::JoinHandle<()>) {
    let (tx, rx) = mpsc::channel(64);
    let task = tokio::spawn(accept_loop(tcp, tls, tx, limits));
    (Incoming { rx }, task)
}

async fn accept_loop(tcp: TcpListener, tls: Option<TlsAcceptor>, tx: mpsc::Sender<(Conn, ConnInfo)>, limits: Limits) {
    let mut handshakes = JoinSet::new();
    let open = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    loop {
        while handshakes.try_join_next().is_some() {}
        // At the limit, wait for a connection to close before accepting.
        let Ok(permit) = open.clone().acquire_owned().await else { return };
        let (stream, remote) = match tcp.accept().await {
            Ok(accepted) => accepted,
            Err(_) => {
                // Out of file descriptors and the like: wait and try again, as axum does.
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let cut = Arc::new(Cut::default());
        let info = ConnInfo { remote, cut: cut.clone() };
        match &tls {
            None => {
                if tx.send((Conn::new(Stream::Plain(stream), cut, limits.idle_timeout, permit), info)).await.is_err() {
                    return;
                }
            }
            Some(acceptor) => {
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                handshakes.spawn(async move {
                    if let Ok(Ok(tls)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(stream)).await {
                        let _ = tx.send((Conn::new(Stream::Tls(Box::new(tls)), cut, limits.idle_timeout, permit), info)).await;
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_after_head_allows_the_head_and_part_of_the_body() {
        let cut = Cut::default();
        let msg = b"HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789";
        assert_eq!(cut.allowance(msg), None);
        cut.after_head(4);
        let head = msg.len() - 10;
        assert_eq!(cut.allowance(msg), Some(head + 4));
        cut.advance(&msg[..5]);
        assert_eq!(cut.allowance(&msg[5..]), Some(head + 4 - 5));
        cut.advance(&msg[5..head + 4]);
        assert_eq!(cut.allowance(b"rest"), Some(0));
        cut.now();
        assert_eq!(cut.allowance(b"x"), Some(0));
    }
}
