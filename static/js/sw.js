// The portal's service worker, served at /sw.js by diaspora_portal.views.service_worker, which
// puts CONFIG (cache version, offline page, files to precache) in front of this file.
//
// Pages: network first; a page is kept only when the server marked it "X-Offline: allow" (the
// public meetings list and meeting pages, see diaspora_portal/offline.py), the answer is a 200
// from this origin and its Cache-Control says neither private nor no-store. Without a network, a
// kept page is shown, otherwise the offline page. Static files: cache first.
/* global CONFIG */
"use strict";

var PAGES = "pages-" + CONFIG.version;
var STATIC = "static-" + CONFIG.version;
// Never kept, whatever a response says: staff, admin, accounts, personal links, the API.
var NEVER = [
  /^\/staff\//,
  /^\/admin\//,
  /^\/accounts\//,
  /^\/privacy\//,
  /^\/api\//,
  /^\/meetings\/rsvp\//,
  /^\/onboarding\/invite\//,
  /^\/media\//,
];

function neverKept(url) {
  if (url.origin !== self.location.origin || url.search.toLowerCase().indexOf("token") !== -1) {
    return true;
  }
  return NEVER.some(function (pattern) {
    return pattern.test(url.pathname);
  });
}

function cacheable(response) {
  var control = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    response.status === 200 &&
    response.type === "basic" &&
    !response.redirected &&
    control.indexOf("private") === -1 &&
    control.indexOf("no-store") === -1
  );
}

function keptOffline(response) {
  return cacheable(response) && response.headers.get("X-Offline") === "allow";
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(PAGES).then(function (cache) {
      return fetch(CONFIG.offlineUrl, { cache: "reload" }).then(function (response) {
        if (!keptOffline(response)) {
          throw new Error("The offline page cannot be kept.");
        }
        return Promise.all([
          cache.put(CONFIG.offlineUrl, response),
          caches.open(STATIC).then(function (staticCache) {
            return staticCache.addAll(CONFIG.precache);
          }),
        ]);
      });
    }).then(function () {
      return self.skipWaiting();
    })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names
          .filter(function (name) {
            return name !== PAGES && name !== STATIC;
          })
          .map(function (name) {
            return caches.delete(name);
          })
      );
    }).then(function () {
      return self.clients.claim();
    })
  );
});

function page(request) {
  return fetch(request)
    .then(function (response) {
      return caches.open(PAGES).then(function (cache) {
        // The server's latest word wins: a page it no longer allows is forgotten.
        var kept = keptOffline(response)
          ? cache.put(request.url, response.clone())
          : cache.delete(request.url);
        return kept.then(function () {
          return response;
        });
      });
    })
    .catch(function () {
      return caches.open(PAGES).then(function (cache) {
        return cache.match(request.url).then(function (kept) {
          return kept || cache.match(CONFIG.offlineUrl);
        });
      });
    });
}

function offlineOnly(request) {
  // Never kept, but without a network the offline page is still better than an error.
  return fetch(request).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(CONFIG.offlineUrl);
    });
  });
}

function staticFile(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request).then(function (kept) {
      return (
        kept ||
        fetch(request).then(function (response) {
          if (cacheable(response)) {
            cache.put(request, response.clone());
          }
          return response;
        })
      );
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") {
    return; // forms and every other change go to the network, untouched
  }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(neverKept(url) ? offlineOnly(request) : page(request));
  }
});
