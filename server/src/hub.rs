//! Shared state: the current incidents, the replay log and the live broadcast.
//!
//! Everything that changes the state goes through one mutex, and the broadcast send happens
//! under it too, so the order of the log, the broadcast and the sequence numbers is one and
//! the same. A reader that takes the lock, copies the log after its id and subscribes gets
//! every event exactly once.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::{broadcast, watch};

/// One entry of the stream: an incident Feature (compact JSON) or a raw, possibly malformed,
/// data string (scenario mode only).
#[derive(Debug)]
pub struct Event {
    pub seq: u64,
    /// Incident id for Feature events, `None` for raw events.
    pub incident: Option<String>,
    /// The SSE `data` payload: one line of JSON for a Feature, the verbatim string for raw.
    pub data: String,
}

pub type SharedEvent = Arc<Event>;

/// Why a cursor or Last-Event-ID cannot be served from the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gap {
    /// Older than the replay window: events after it were dropped from the log.
    TooOld { oldest_valid: u64 },
    /// Newer than anything emitted (e.g. a cursor from an earlier run of the server).
    Unknown { head: u64 },
}

impl Gap {
    pub fn reason(&self, asked: &str) -> String {
        match self {
            Gap::TooOld { oldest_valid } => format!(
                "{asked} is older than the replay window (oldest replayable is {oldest_valid}); refetch the snapshot"
            ),
            Gap::Unknown { head } => format!(
                "{asked} is unknown to this server (latest is {head}; was the server restarted?); refetch the snapshot"
            ),
        }
    }
}

struct Inner {
    /// Latest Feature JSON of every current incident, by id.
    incidents: BTreeMap<String, Arc<Event>>,
    /// The last `window` events, oldest first, seqs contiguous.
    log: VecDeque<SharedEvent>,
    /// Every event with seq > `base` is in `log`; `base` itself is a valid cursor.
    base: u64,
    /// Seq of the latest event (== `base` when nothing is logged).
    head: u64,
}

pub struct Hub {
    inner: Mutex<Inner>,
    tx: broadcast::Sender<SharedEvent>,
    window: usize,
    /// How many times [`Hub::restart`] started a new id space; streams end when it changes.
    restarts: watch::Sender<u64>,
}

/// Capacity of the live broadcast; a receiver that falls further behind catches up from the log.
const BROADCAST_CAPACITY: usize = 256;

impl Hub {
    /// `first_seq` is the seq the first event gets; `window` is how many events the log keeps.
    pub fn new(first_seq: u64, window: usize) -> Self {
        let (tx, _) = broadcast::channel(BROADCAST_CAPACITY);
        let base = first_seq.saturating_sub(1);
        Hub {
            inner: Mutex::new(Inner {
                incidents: BTreeMap::new(),
                log: VecDeque::new(),
                base,
                head: base,
            }),
            tx,
            window: window.max(1),
            restarts: watch::Sender::new(0),
        }
    }

    /// Starts a new event-id space at `first_seq`, as a restarted server would (the `restart`
    /// fault of `--faults`): the log is emptied, so no cursor or event id of the old space can
    /// be served (`since=` answers 410, a stream `reset`); the current incidents are kept (a
    /// real API keeps its store across a restart); every open stream ends ([`Hub::restarts`]).
    pub fn restart(&self, first_seq: u64) {
        {
            let mut inner = self.lock();
            let base = first_seq.max(1) - 1;
            inner.log.clear();
            inner.base = base;
            inner.head = base;
        }
        self.restarts.send_modify(|n| *n += 1);
    }

    /// Changes at every [`Hub::restart`]: a stream started before it ends.
    pub fn restarts(&self) -> watch::Receiver<u64> {
        self.restarts.subscribe()
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a new state of incident `id` (its Feature serialised as `json`); returns its seq.
    pub fn publish_feature(&self, id: String, json: String) -> u64 {
        self.publish(Some(id), json)
    }

    /// Records a raw (possibly malformed) data string: logged and streamed, never in snapshots.
    pub fn publish_raw(&self, data: String) -> u64 {
        self.publish(None, data)
    }

    fn publish(&self, incident: Option<String>, data: String) -> u64 {
        let mut inner = self.lock();
        inner.head += 1;
        let event = Arc::new(Event {
            seq: inner.head,
            incident,
            data,
        });
        if let Some(id) = &event.incident {
            inner.incidents.insert(id.clone(), event.clone());
        }
        inner.log.push_back(event.clone());
        while inner.log.len() > self.window {
            if let Some(old) = inner.log.pop_front() {
                inner.base = old.seq;
            }
        }
        // No receivers is fine; sending under the lock keeps broadcast order == seq order.
        let _ = self.tx.send(event);
        inner.head
    }

    /// Drops an incident from the snapshot without an event (closed incidents age out).
    pub fn forget(&self, id: &str) {
        self.lock().incidents.remove(id);
    }

    pub fn head(&self) -> u64 {
        self.lock().head
    }

    /// All current incidents (ordered by id) and the cursor that goes with them.
    pub fn snapshot(&self) -> (u64, Vec<SharedEvent>) {
        let inner = self.lock();
        (inner.head, inner.incidents.values().cloned().collect())
    }

    fn check(inner: &Inner, after: u64) -> Result<usize, Gap> {
        if after < inner.base {
            Err(Gap::TooOld {
                oldest_valid: inner.base,
            })
        } else if after > inner.head {
            Err(Gap::Unknown { head: inner.head })
        } else {
            Ok((after - inner.base) as usize)
        }
    }

    /// Latest state of every incident changed after `after`, in the order of their last change.
    pub fn changes_since(&self, after: u64) -> Result<(u64, Vec<SharedEvent>), Gap> {
        let inner = self.lock();
        let start = Self::check(&inner, after)?;
        let mut latest: HashMap<&str, usize> = HashMap::new();
        let events: Vec<&SharedEvent> = inner.log.range(start..).collect();
        for (i, e) in events.iter().enumerate() {
            if let Some(id) = &e.incident {
                latest.insert(id, i);
            }
        }
        let mut picked: Vec<usize> = latest.into_values().collect();
        picked.sort_unstable();
        let out = picked.into_iter().map(|i| events[i].clone()).collect();
        Ok((inner.head, out))
    }

    /// Atomically: every logged event after `after` (in order) and a receiver for all later ones.
    pub fn replay_and_subscribe(
        &self,
        after: u64,
    ) -> (
        Result<Vec<SharedEvent>, Gap>,
        broadcast::Receiver<SharedEvent>,
    ) {
        let inner = self.lock();
        let rx = self.tx.subscribe();
        let replay =
            Self::check(&inner, after).map(|start| inner.log.range(start..).cloned().collect());
        (replay, rx)
    }

    /// A receiver for live events only, and the seq it starts after.
    pub fn subscribe_live(&self) -> (u64, broadcast::Receiver<SharedEvent>) {
        let inner = self.lock();
        (inner.head, self.tx.subscribe())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seqs(v: &[SharedEvent]) -> Vec<u64> {
        v.iter().map(|e| e.seq).collect()
    }

    #[test]
    fn window_and_cursors() {
        let hub = Hub::new(1, 3);
        assert_eq!(hub.head(), 0);
        assert_eq!(hub.changes_since(0).unwrap().1.len(), 0);
        hub.publish_feature("a".into(), "{\"a\":1}".into()); // 1
        hub.publish_feature("b".into(), "{\"b\":1}".into()); // 2
        hub.publish_raw("junk".into()); // 3
        hub.publish_feature("a".into(), "{\"a\":2}".into()); // 4, evicts 1
        assert_eq!(hub.head(), 4);
        assert_eq!(
            hub.changes_since(0).unwrap_err(),
            Gap::TooOld { oldest_valid: 1 }
        );
        let (cur, ch) = hub.changes_since(1).unwrap();
        assert_eq!((cur, seqs(&ch)), (4, vec![2, 4]));
        assert_eq!(hub.changes_since(5).unwrap_err(), Gap::Unknown { head: 4 });
        let (snap_cur, snap) = hub.snapshot();
        assert_eq!((snap_cur, seqs(&snap)), (4, vec![4, 2]));
        let (replay, _rx) = hub.replay_and_subscribe(2);
        assert_eq!(seqs(&replay.unwrap()), vec![3, 4]);
        hub.forget("a");
        assert_eq!(hub.snapshot().1.len(), 1);
    }

    #[test]
    fn restart_starts_a_new_id_space() {
        let hub = Hub::new(1_000, 10);
        hub.publish_feature("a".into(), "{\"a\":1}".into()); // 1000
        hub.publish_feature("b".into(), "{\"b\":1}".into()); // 1001
        let restarts = hub.restarts();
        hub.restart(1);
        assert!(restarts.has_changed().unwrap());
        assert_eq!(hub.head(), 0);
        assert_eq!(
            hub.changes_since(1001).unwrap_err(),
            Gap::Unknown { head: 0 },
            "an id of the old space is refused"
        );
        let (cursor, snapshot) = hub.snapshot();
        assert_eq!((cursor, snapshot.len()), (0, 2), "the incidents are kept");
        assert_eq!(hub.publish_feature("a".into(), "{\"a\":2}".into()), 1);
        assert_eq!(seqs(&hub.changes_since(0).unwrap().1), vec![1]);
    }

    #[test]
    fn first_seq_offsets_everything() {
        let hub = Hub::new(1_000, 10);
        assert_eq!(hub.head(), 999);
        assert_eq!(hub.publish_raw("x".into()), 1_000);
        assert!(hub.changes_since(998).is_err());
        assert!(hub.changes_since(999).is_ok());
    }
}
