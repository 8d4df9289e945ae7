// The service worker (forum.discovery.views.service_worker). It keeps ONLY the offline page and what that
// page shows (its stylesheet and icon), and serves it when a page cannot be loaded. It never puts a page,
// an answer or any other response in the cache: health content is read from the network or not at all.
"use strict";
const CACHE = "{{ cache_name }}";
const OFFLINE_URL = "{{ offline_url }}";
const ASSETS = {{ assets_json|safe }};

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(ASSETS)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  // Drop the caches of older versions of this worker.
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((name) => name !== CACHE).map((name) => caches.delete(name))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  if (request.mode === "navigate") {
    // A page: from the network; only when that fails, the offline page (never a stored copy of the page).
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
    return;
  }
  const url = new URL(request.url);
  if (url.origin === self.location.origin && ASSETS.includes(url.pathname)) {
    // The offline page's own stylesheet and icon, so it looks like the site without a connection.
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});
