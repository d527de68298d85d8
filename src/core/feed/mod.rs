//! The live incident feed's control logic, without any I/O.
//!
//! Units: times are milliseconds on the caller's clock (`Date.now()` in the page: ms since the
//! Unix epoch), durations are milliseconds. The web shell (`web::feed`) carries the I/O: it
//! turns what the browser reports into [`Input`]s, calls [`FeedMachine::step`] and performs
//! the [`Effect`]s it returns (open or close the event stream, fetch, arm the one timer,
//! publish the status). Everything that decides *when* and *what* lives here and is tested
//! natively through whole sequences (tests/core_feed.rs).
//!
//! * [`backoff`]: exponential back-off with full jitter, capped.
//! * [`machine`]: the state machine: stale semantics per connection, reconnects, resyncs,
//!   online/offline and visibility, "Retry now".

pub mod backoff;
pub mod machine;

pub use backoff::Backoff;
pub use machine::{
    BACKOFF_BASE_MS, BACKOFF_MAX_MS, Effect, FeedMachine, FeedStatus, FeedView, Input, Notice,
    Problem, Request, ResyncCause, Ticket, Transport,
};

/// `base` with one query parameter added (`?` or `&` as needed), the value percent-encoded
/// (everything but unreserved characters), e.g. the stream URL with `last_event_id=<cursor>`
/// or the snapshot URL with `since=<cursor>`. Cursors are opaque: sent back exactly.
pub fn with_query(base: &str, name: &str, value: &str) -> String {
    let (path, fragment) = match base.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (base, None),
    };
    let sep = if !path.contains('?') {
        "?"
    } else if path.ends_with('?') || path.ends_with('&') {
        ""
    } else {
        "&"
    };
    let mut out = format!("{path}{sep}{}={}", encode(name), encode(value));
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_parameters_are_added_and_encoded() {
        assert_eq!(
            with_query("api/incidents/stream", "last_event_id", "1781174400000123"),
            "api/incidents/stream?last_event_id=1781174400000123"
        );
        assert_eq!(
            with_query("api/incidents?tenant=calais", "since", "a b&c/é"),
            "api/incidents?tenant=calais&since=a%20b%26c%2F%C3%A9"
        );
        assert_eq!(with_query("x?", "since", "1"), "x?since=1");
        assert_eq!(with_query("x#top", "since", "1"), "x?since=1#top");
    }
}
