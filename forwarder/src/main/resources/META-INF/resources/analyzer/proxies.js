// The Proxies view: every registered goproxy (live) and the recently reaped ones, from GET /api/v1/proxies.
import { h, $, when, ago } from './dom.js';
import { api } from './api.js';

const REFRESH_MS = 5000;
let timer = null;
let onError = () => {};
let onApps = () => {};

function row(p) {
  return h('tr', { class: p.state, 'data-proxy': p.proxyId },
    h('td', {}, h('span', { class: `badge ${p.state}` }, p.state)),
    h('td', {}, p.appLabel), h('td', {}, p.podName), h('td', {}, p.podNamespace), h('td', {}, p.proxyType),
    h('td', {}, p.version),
    h('td', { title: p.registeredAt }, when(p.registeredAt)),
    h('td', { title: p.lastCheckIn }, `${when(p.lastCheckIn)} (${ago(p.lastCheckIn)})`),
    h('td', { class: 'mono' }, p.proxyId));
}

async function load() {
  try {
    const list = await api.proxies();
    $('#proxies tbody').replaceChildren(...list.map(row));
    $('#no-proxies').hidden = list.length > 0;
    onApps(list.map((p) => p.appLabel).filter(Boolean));
  } catch (e) {
    onError(e);
  }
}

export const proxies = {
  init(errorHandler, appsHandler) {
    onError = errorHandler;
    onApps = appsHandler;
  },
  load,
  show() {
    load();
    clearInterval(timer);
    timer = setInterval(load, REFRESH_MS);
  },
  hide() {
    clearInterval(timer);
  },
  clear() {
    $('#proxies tbody').replaceChildren();
  },
};
