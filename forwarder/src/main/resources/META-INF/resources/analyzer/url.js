// The page's state in the URL fragment, so that a link shows the same view, filters and capture:
//
//   #traffic?app=shop&status=5xx&q=timeout&sel=<capture id>     #endpoints?app=shop     #proxies
//
// The fragment never reaches the server. A fragment "#token=..." (the URL the forwarder logs at start) is taken
// out at once: the token goes to sessionStorage, and the address bar and history keep no trace of it.

/** {view, params} of the current fragment. */
export function readHash() {
  const raw = location.hash.slice(1);
  const q = raw.indexOf('?');
  const view = q < 0 ? raw : raw.slice(0, q);
  const params = Object.fromEntries(new URLSearchParams(q < 0 ? '' : raw.slice(q + 1)));
  return { view, params };
}

/** Replaces the fragment (no new history entry per keystroke or click). Empty values are left out. */
export function writeHash(view, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  const hash = `#${view}${s ? `?${s}` : ''}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** The token in a "#token=..." fragment, removed from the address bar; null when there is none. */
export function takeTokenFromHash() {
  const m = /^#token=([^&]+)/.exec(location.hash);
  if (!m) return null;
  history.replaceState(null, '', `${location.pathname}${location.search}#traffic`);
  return decodeURIComponent(m[1]);
}
