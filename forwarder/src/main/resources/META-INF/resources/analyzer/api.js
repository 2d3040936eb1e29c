// The only way the page gets data: the forwarder's read API, with the API token when one is set.
// A 401 raises AuthRequired; the app then asks for a token and shows nothing until one works.

const KEY = 'tapline.apiToken';

export class AuthRequired extends Error {}

export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (t) => sessionStorage.setItem(KEY, t),
  clear: () => sessionStorage.removeItem(KEY),
};

function headers() {
  const t = token.get();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

/** Only non-empty values, so that an unset filter never reaches the API as "app=". */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

async function get(path) {
  const res = await fetch(path, { headers: headers(), cache: 'no-store' });
  if (res.status === 401) throw new AuthRequired('the API token is missing or wrong');
  if (!res.ok) {
    let msg = `${res.status} ${res.statusText}`;
    try { msg = (await res.json()).error || msg; } catch { /* not JSON */ }
    throw new Error(msg);
  }
  return res;
}

export const api = {
  proxies: async () => (await get('/api/v1/proxies')).json(),
  captures: async (params) => (await get(`/api/v1/captures${query(params)}`)).json(),
  capture: async (id) => (await get(`/api/v1/captures/${encodeURIComponent(id)}`)).json(),
  timeline: async (params) => (await get(`/api/v1/timeline${query(params)}`)).json(),
  endpoints: async (params) => (await get(`/api/v1/endpoints${query(params)}`)).json(),
  har: async (params) => (await get(`/api/v1/captures.har${query(params)}`)).blob(),
};
