// The video wall's watchdog: what it does, its calls and its storage are in src/web/watchdog.rs's
// module doc; the policy it executes is src/core/wall/watchdog.rs's. It decides nothing.
(() => {
  'use strict';
  const NOTE = 'calais-map.wall.reload.v1';
  const PLAN = 'calais-map.wall.watchdog.v1';
  const read = (key) => {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch {
      return null;
    }
  };
  const write = (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {
    }
  };
  const saved = read(PLAN);
  const kept = saved && saved.href === location.href ? saved.armed : null;
  let armed = null;
  let keptText = '';
  let started = false;
  let dead = false;
  let since = Date.now();
  let tickAt = since;

  const text = (e) => String((e && (e.stack || e.message)) || e || '').slice(0, 300);

  function show(words, reason, streak, delay, at) {
    const el = document.createElement('div');
    el.className = 'wall-fatal';
    el.setAttribute('role', 'alert');
    el.setAttribute('data-testid', 'wall-fatal');
    el.setAttribute('data-reason', reason);
    el.setAttribute('data-streak', String(streak));
    el.setAttribute('data-delay-ms', String(delay));
    const line = (cls, content) => {
      const d = document.createElement('div');
      d.className = cls;
      d.textContent = content;
      el.appendChild(d);
      return d;
    };
    line('wall-fatal-reason', words[reason] || reason);
    line('wall-fatal-streak', String(words.streak || '').replace('{n}', String(streak)));
    const count = line('wall-fatal-countdown', '');
    count.setAttribute('data-testid', 'wall-fatal-countdown');
    const tick = () => {
      const s = Math.max(0, Math.ceil((at - Date.now()) / 1000));
      count.textContent = String(words.countdown || '').replace('{s}', String(s));
    };
    tick();
    setInterval(tick, 250);
    (document.body || document.documentElement).appendChild(el);
  }

  function die(reason, detail) {
    const a = armed || kept;
    if (dead || !a) return;
    dead = true;
    const now = Date.now();
    const stored = read(NOTE);
    // Live: the streak the core armed; a failed start: one more than the stored note's streak.
    const streak = armed ? armed.plan.streak : ((stored && stored.streak) || 0) + 1;
    const table = a.plan.delays_ms;
    const delay = table[Math.min(streak, table.length) - 1];
    const note = { streak, last_ms: now, reason, detail: text(detail), at_ms: now, delay_ms: delay, shown: false };
    write(NOTE, JSON.stringify(note));
    show(a.text, reason, streak, delay, now + delay);
    setTimeout(() => location.reload(), delay);
  }

  const lost = (e) => e instanceof WebAssembly.RuntimeError;
  const onError = (e) => {
    if (!started) die('start', e);
    else if (lost(e)) die('trap', e);
  };
  addEventListener('error', (ev) => onError(ev.error || ev.message));
  addEventListener('unhandledrejection', (ev) => onError(ev.reason));

  setInterval(() => {
    const now = Date.now();
    // Hidden, or this script itself was suspended (sleep, a frozen tab): count afresh.
    const asleep = now - tickAt > 5000;
    tickAt = now;
    if (asleep || document.visibilityState !== 'visible') {
      since = now;
    } else if (armed && now - since > armed.plan.lost_after_ms) {
      die('heartbeat', '');
    } else if (!started && kept && now - since > kept.plan.start_timeout_ms) {
      die('start', '');
    }
  }, 1000);

  window.calaisWatchdog = Object.freeze({
    started() {
      started = true;
      since = Date.now();
    },
    arm(json) {
      if (dead) return;
      armed = JSON.parse(json);
      since = Date.now();
      if (json !== keptText) {
        keptText = json;
        write(PLAN, JSON.stringify({ href: location.href, armed }));
      }
    },
    report(reason, detail) {
      die(reason, detail);
    },
  });
})();
