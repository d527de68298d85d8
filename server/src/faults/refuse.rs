//! Connections that can be cut at once (the `refuse` fault of `--faults`): a listener whose
//! every accepted TCP stream carries a kill switch, and the switch as axum's connect info, so
//! a handler can drop the connection it came in on without writing a byte of an answer, as
//! a server that refuses or resets connections does.
//!
//! Units: none (bytes pass through unchanged until the switch is thrown; from then on every
//! read and write fails with `ConnectionReset`, and hyper closes the socket).

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

use axum::extract::connect_info::Connected;
use axum::serve::IncomingStream;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// One connection's switch: once thrown, its reads and writes fail.
#[derive(Default)]
struct Switch {
    thrown: AtomicBool,
    /// The tasks waiting on the socket, woken when the switch is thrown.
    wakers: Mutex<Vec<Waker>>,
}

impl Switch {
    fn wait(&self, cx: &Context<'_>) {
        let mut w = self.wakers.lock().unwrap_or_else(|e| e.into_inner());
        if !w.iter().any(|k| k.will_wake(cx.waker())) {
            w.push(cx.waker().clone());
        }
    }
}

/// A handle on the connection a request came in on (axum's `ConnectInfo`).
#[derive(Clone)]
pub struct Conn(Arc<Switch>);

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Conn")
    }
}

impl Conn {
    /// Cuts the connection: its next read or write fails, nothing more is sent.
    pub fn cut(&self) {
        self.0.thrown.store(true, Ordering::SeqCst);
        let wakers = std::mem::take(&mut *self.0.wakers.lock().unwrap_or_else(|e| e.into_inner()));
        for w in wakers {
            w.wake();
        }
    }
}

/// A TCP stream with a [`Conn`] switch.
pub struct Io {
    inner: TcpStream,
    switch: Arc<Switch>,
}

impl Io {
    fn cut_error(&self) -> Option<io::Error> {
        self.switch
            .thrown
            .load(Ordering::SeqCst)
            .then(|| io::Error::new(io::ErrorKind::ConnectionReset, "cut by the refuse fault"))
    }
}

impl AsyncRead for Io {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(e) = this.cut_error() {
            return Poll::Ready(Err(e));
        }
        this.switch.wait(cx);
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for Io {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if let Some(e) = this.cut_error() {
            return Poll::Ready(Err(e));
        }
        this.switch.wait(cx);
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(e) = this.cut_error() {
            return Poll::Ready(Err(e));
        }
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// A TCP listener whose streams carry a switch (`--faults` only; without it the server
/// listens on a plain `TcpListener`).
pub struct Listener(pub TcpListener);

impl axum::serve::Listener for Listener {
    type Io = Io;
    type Addr = Conn;

    async fn accept(&mut self) -> (Io, Conn) {
        loop {
            match self.0.accept().await {
                Ok((inner, _)) => {
                    let _ = inner.set_nodelay(true);
                    let switch = Arc::new(Switch::default());
                    let conn = Conn(switch.clone());
                    return (Io { inner, switch }, conn);
                }
                // Out of file descriptors and the like: wait a little, as axum's own does.
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(50)).await,
            }
        }
    }

    fn local_addr(&self) -> io::Result<Conn> {
        // Only `serve`'s logging asks; the switch of no connection.
        self.0.local_addr()?;
        Ok(Conn(Arc::new(Switch::default())))
    }
}

impl Connected<IncomingStream<'_, Listener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, Listener>) -> Self {
        stream.remote_addr().clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    async fn read(io: &mut Io, buf: &mut [u8]) -> io::Result<usize> {
        std::future::poll_fn(|cx| {
            let mut rb = ReadBuf::new(buf);
            Pin::new(&mut *io)
                .poll_read(cx, &mut rb)
                .map_ok(|()| rb.filled().len())
        })
        .await
    }

    async fn write(io: &mut Io, buf: &[u8]) -> io::Result<usize> {
        std::future::poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, buf)).await
    }

    /// A thrown switch fails the server side's pending read at once, and the client sees the
    /// connection closed without an answer.
    #[tokio::test]
    async fn a_cut_connection_fails_and_closes() {
        let tcp = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = tcp.local_addr().unwrap();
        let mut listener = Listener(tcp);
        let mut client = std::net::TcpStream::connect(addr).unwrap();
        let (mut io, conn) = axum::serve::Listener::accept(&mut listener).await;
        client.write_all(b"GET / HTTP/1.1\r\n\r\n").unwrap();
        let mut buf = [0u8; 64];
        let n = read(&mut io, &mut buf).await.unwrap();
        assert_eq!(&buf[..n], b"GET / HTTP/1.1\r\n\r\n");
        let pending = tokio::spawn(async move {
            let mut more = [0u8; 8];
            let got = read(&mut io, &mut more).await;
            (got.map_err(|e| e.kind()), io)
        });
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        conn.cut();
        let (got, mut io) = pending.await.unwrap();
        assert_eq!(got, Err(io::ErrorKind::ConnectionReset));
        assert!(write(&mut io, b"HTTP/1.1 200 OK\r\n").await.is_err());
        drop(io);
        let answer = tokio::task::spawn_blocking(move || {
            let mut answer = Vec::new();
            let got = client.read_to_end(&mut answer);
            (got.is_err(), answer)
        })
        .await
        .unwrap();
        assert!(answer.0 || answer.1.is_empty(), "no answer: {:?}", answer.1);
    }
}
