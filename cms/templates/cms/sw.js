/* Guyub service worker, rendered by cms.views_pwa.service_worker.
   Pages: network first, then the copy saved when this browser session last opened them, then the
   offline page. Static files and product photos: cache first. Nothing else is stored: no POSTs,
   no API, admin, account, cart, checkout or payment pages, and saved pages are dropped whenever
   someone logs in or out. */
"use strict";

const CONFIG = {{ config|safe }};
const SHELL_CACHE = "guyub-shell-" + CONFIG.version;
const STATIC_CACHE = "guyub-static-" + CONFIG.version;
const PAGE_CACHE = "guyub-pages";
const IMAGE_CACHE = "guyub-images";
const PAGE_LIMIT = 40;
const STATIC_LIMIT = 80;
const IMAGE_LIMIT = 120;
const MEDIA_ORIGIN_URL = new URL(CONFIG.mediaUrl, self.location).href;
// On a connection that hangs rather than fails, a saved copy is shown after this long.
const NETWORK_TIMEOUT_MS = 8000;

function offlineUrls() {
  return Object.values(CONFIG.offline);
}

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(SHELL_CACHE);
    // The offline page is fetched without cookies, so it never holds anyone's account details.
    const pages = offlineUrls().map((url) => new Request(url, { credentials: "omit" }));
    await cache.addAll([...CONFIG.shell, ...pages]);
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    const names = await caches.keys();
    await Promise.all(names
      .filter((name) => /^guyub-(shell|static)-/.test(name))
      .filter((name) => name !== SHELL_CACHE && name !== STATIC_CACHE)
      .map((name) => caches.delete(name)));
    await self.clients.claim();
  })());
});

// Pages saved after a clear starts wait for it, so a page of the new session is kept.
let clearing = Promise.resolve();

function clearPages() {
  clearing = clearing.then(() => caches.delete(PAGE_CACHE));
  return clearing;
}

self.addEventListener("message", (event) => {
  if (event.data && event.data.type === "clear-pages") event.waitUntil(clearPages());
});

// The path without its language prefix: /en/cart/ -> /cart/.
function localPath(path) {
  for (const prefix of CONFIG.languagePrefixes) {
    if (path.startsWith(prefix + "/")) return path.slice(prefix.length);
  }
  return path;
}

function languageOf(path) {
  for (const prefix of CONFIG.languagePrefixes) {
    if (path.startsWith(prefix + "/")) return prefix.slice(1);
  }
  return CONFIG.defaultLanguage;
}

function isPrivate(url) {
  if (url.origin !== self.location.origin) return false;
  if (url.pathname === "/sw.js" || url.pathname === "/manifest.webmanifest") return true;
  if (CONFIG.privatePrefixes.some((prefix) => url.pathname.startsWith(prefix))) return true;
  const path = localPath(url.pathname);
  return CONFIG.privatePagePrefixes.some((prefix) => path.startsWith(prefix));
}

async function trim(cacheName, limit) {
  const cache = await caches.open(cacheName);
  const keys = await cache.keys();
  // Keys come back oldest first.
  for (const key of keys.slice(0, Math.max(0, keys.length - limit))) await cache.delete(key);
}

async function offlinePage(url) {
  const cache = await caches.open(SHELL_CACHE);
  const page = CONFIG.offline[languageOf(url.pathname)] || CONFIG.offline[CONFIG.defaultLanguage];
  const response = await cache.match(page, { ignoreVary: true });
  return response || new Response("Offline", {
    status: 503, headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

function isSavable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") return false;
  if (response.redirected) return false;
  if (!(response.headers.get("Content-Type") || "").startsWith("text/html")) return false;
  return !/no-store/.test(response.headers.get("Cache-Control") || "");
}

// A saved copy says so: guyub.js reads these attributes and tells the reader.
async function markSaved(response) {
  const html = await response.text();
  const saved = response.headers.get("Date") || "";
  const marked = html.replace(/<html\b/i, '<html data-saved-copy="' + saved.replace(/"/g, "") + '"');
  const headers = new Headers(response.headers);
  headers.delete("Content-Length");
  headers.delete("Content-Encoding");
  return new Response(marked, { status: 200, headers });
}

async function savedPage(request) {
  const cache = await caches.open(PAGE_CACHE);
  const response = await cache.match(request, { ignoreVary: true });
  return response ? markSaved(response) : null;
}

async function savePage(request, response) {
  await clearing;
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(request, response);
  await trim(PAGE_CACHE, PAGE_LIMIT);
}

async function networkFirst(event, request, url) {
  const network = fetch(request);
  event.waitUntil(network.then((response) => {
    return isSavable(response) ? savePage(request.url, response.clone()) : null;
  }).catch(() => null));
  const timeout = new Promise((resolve) => setTimeout(resolve, NETWORK_TIMEOUT_MS, "timeout"));
  try {
    const first = await Promise.race([network, timeout]);
    if (first !== "timeout") return first;
    return (await savedPage(request.url)) || (await network);
  } catch (error) {
    return (await savedPage(request.url)) || offlinePage(url);
  }
}

function unhashed(path) {
  return path.replace(/\.[0-9a-f]{12}(\.[^./]+)$/, "$1");
}

// Unhashed static names (development, tests) keep their name across edits: for them the
// network is asked first, so a changed file is seen at once, and the cache is the fallback.
async function cacheFirst(event, request, cacheName, limit, fresh = false) {
  const cache = await caches.open(cacheName);
  const shell = await caches.open(SHELL_CACHE);
  const lookup = async () => (await shell.match(request, { ignoreVary: true }))
    || (await cache.match(request, { ignoreVary: true }));
  const cached = fresh ? null : await lookup();
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.status === 200 && response.type === "basic") {
      event.waitUntil(cache.put(request, response.clone()).then(() => trim(cacheName, limit)));
    }
    return response;
  } catch (error) {
    const earlier = fresh ? await lookup() : null;
    if (earlier) return earlier;
    // Hashed names change with each deploy; a page saved before one still finds its files.
    const path = unhashed(new URL(request.url).pathname);
    const twin = CONFIG.shell.find((url) => unhashed(url) === path);
    const fallback = twin && (await shell.match(twin));
    if (fallback) return fallback;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);

  if (request.method !== "GET") {
    // Logging in, out or signing up changes whose pages these are: forget them all.
    if (url.origin === self.location.origin && localPath(url.pathname).startsWith("/accounts/")) {
      event.waitUntil(clearPages());
    }
    return;
  }
  if (isPrivate(url)) {
    if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(() => offlinePage(url)));
    }
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(event, request, url));
  } else if (url.origin === self.location.origin && url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(
      cacheFirst(event, request, STATIC_CACHE, STATIC_LIMIT, !CONFIG.hashedStatic));
  } else if (request.destination === "image" && url.href.startsWith(MEDIA_ORIGIN_URL)) {
    event.respondWith(cacheFirst(event, request, IMAGE_CACHE, IMAGE_LIMIT));
  }
});
