// The app's service worker (issue 14 item 3): the shell and the data files work with no network.
// A static file at the app's root (Trunk copies it to dist/; the page registers `sw.js`
// relative to itself, so its scope is wherever the app is served, e.g. /map/).
//
// BUILD is filled in at build time by scripts/sw-build.mjs (a Trunk post_build hook): the
// build's version (a hash of every file in dist) and the files to keep (every file in dist but
// this one, relative to the scope). Each version has its own cache, `calais-shell-<version>`,
// filled whole at install (cache.addAll is all or nothing, bypassing the HTTP cache); the old
// versions' caches are deleted at activation, once the new one is complete. The new version
// takes over at once (skipWaiting, clients.claim): a page loaded after an update gets the new
// files; a page still running keeps the code it has.
//
// Live data is never answered from here: a URL with /api/ in its path is not handled at all
// (the browser asks the network; with no network it fails, and the feed says so). The page's
// own last picture (calais-picture, written by src/web/offline.rs) is not touched here.
// Hashed files (name-<16+ hex>.ext) never change: cache first. Other kept files (index.html,
// config.json, the manifest, the icon, public/data/*): the network first, the cache when the
// network fails or takes longer than NET_WAIT_MS (patchy network on a tablet).
// Every answer from the cache carries the build's security headers (BUILD.headers, from
// security-headers.json: the Content Security Policy with frame-ancestors, nosniff, the referrer
// policy), whatever the server that filled the cache sent (issue 15 item 1).
const BUILD = null;
const PREFIX = 'calais-shell-';
const NET_WAIT_MS = 4000;
const CACHE = PREFIX + (BUILD ? BUILD.version : 'dev');
const scope = new URL(self.registration.scope);
const HEADERS = BUILD ? BUILD.headers : {};

function secured(hit) {
  const headers = new Headers(hit.headers);
  for (const [k, v] of Object.entries(HEADERS)) headers.set(k, v);
  return new Response(hit.body, { status: hit.status, statusText: hit.statusText, headers });
}

self.addEventListener('install', (event) => {
  const files = BUILD ? BUILD.files : [];
  event.waitUntil(
    caches.open(CACHE)
      .then((c) => c.addAll(files.map((f) => new Request(new URL(f, scope), { cache: 'reload' }))))
      .then(() => self.skipWaiting())
      .catch((e) => caches.delete(CACHE).then(() => { throw e; })),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  const url = new URL(req.url);
  if (req.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  const path = url.pathname.slice(scope.pathname.length);
  if (path.startsWith('api/') || path.includes('/api/')) return;
  // A page of the app (any query) is index.html.
  const key = req.mode === 'navigate' || path === '' ? new URL('index.html', scope).href : url.href;
  event.respondWith(
    caches.open(CACHE).then((c) => c.match(key, { ignoreSearch: req.mode === 'navigate' }).then((found) => {
      const hit = found && secured(found);
      if (hit && /-[0-9a-f]{12,}(_bg)?\.[a-z0-9]+$/.test(path)) return hit;
      if (!hit) return fetch(req);
      return new Promise((resolve) => {
        const late = setTimeout(() => resolve(hit), NET_WAIT_MS);
        fetch(req).then((r) => { clearTimeout(late); resolve(r); }, () => { clearTimeout(late); resolve(hit); });
      });
    })),
  );
});
