// The Traffic view: the newest exchanges matching the filters, a page of 100 at a time.
//
//   filters ──> GET /api/v1/captures?<filters>&until=<cursor>&limit=100 ──> table
//   at the head (no cursor), every 2 s: GET ...&since=<newest ts seen> ──> new rows on top
//   "Older": cursor = ts of the last row (until is exclusive, so no row repeats)
import { h, $, clock, ms, bytes } from './dom.js';
import { api } from './api.js';
import { renderDetails } from './details.js';

const PAGE = 100;
const POLL_MS = 2000;

const state = {
  filters: {},      // app, status, method, path, since, until as the API takes them
  cursor: null,     // until= of the current page; null = the head, which updates live
  rows: [],
  selected: null,
  timer: null,
};
let onError = () => {};

function localToIso(v) {
  return v ? new Date(v).toISOString() : '';
}

function readFilters() {
  const f = new FormData($('#filters'));
  return {
    app: f.get('app').trim(), status: f.get('status'), method: f.get('method'), path: f.get('path').trim(),
    direction: f.get('direction'),
    since: localToIso(f.get('since')), until: localToIso(f.get('until')),
  };
}

/** The query of the current page: the user's filters, with the paging cursor narrowing their until. */
function pageQuery() {
  return { ...state.filters, until: state.cursor || state.filters.until, limit: PAGE };
}

function row(c) {
  const http = c.http;
  const res = http && http.res;
  const status = res ? res.statusCode : http ? '—' : '';
  return h('tr', {
    'data-id': c.id, tabindex: 0,
    class: [c.id === state.selected ? 'selected' : '', res ? `s${String(res.statusCode)[0]}xx` : 'nores'].join(' '),
    onclick: () => select(c.id),
    onkeydown: (e) => { if (e.key === 'Enter') select(c.id); },
  },
  h('td', { title: c.ts }, clock(c.ts)),
  h('td', {}, c.appLabel, c.direction === 'outbound'
    ? h('span', { class: 'dir', title: `outbound: ${c.appLabel} calling ${c.backendAddr}` }, ' ↗ out') : ''),
  h('td', { class: 'method' }, http ? http.req.method : (c.connection && c.connection.detected) || c.l7protocol),
  h('td', { class: 'url', title: http ? http.req.url : '' },
    http ? http.req.url : `${c.clientAddr || ''} → ${c.backendAddr || ''}`),
  h('td', { class: 'status' }, status),
  h('td', { class: 'num' }, ms(c.durationMs ?? (c.connection && c.connection.durationMs))),
  h('td', { class: 'num' }, http ? bytes(http.req.bodySize) : bytes(c.connection && c.connection.bytesClientToApp)),
  h('td', { class: 'num' }, res ? bytes(res.bodySize) : c.connection ? bytes(c.connection.bytesAppToClient) : ''));
}

function render() {
  $('#traffic tbody').replaceChildren(...state.rows.map(row));
  $('#empty').hidden = state.rows.length > 0;
  $('#older').disabled = state.rows.length < PAGE;
  $('#newest').disabled = state.cursor === null;
  // for measuring the first useful paint (the browser test reads it)
  if (state.rows.length && !performance.getEntriesByName('analyzer-first-rows').length) performance.mark('analyzer-first-rows');
}

function atHead() {
  return state.cursor === null && !state.filters.until;
}

async function load() {
  try {
    state.rows = await api.captures(pageQuery());
    render();
  } catch (e) {
    onError(e);
  }
}

/** New rows since the newest one shown; since= is inclusive, so the newest row comes again and is skipped. */
async function poll() {
  if (!atHead() || !$('#live').checked || document.hidden || $('#view-traffic').hidden) return;
  const newest = state.rows[0];
  try {
    const fresh = await api.captures({ ...state.filters, since: newest ? newest.ts : state.filters.since, limit: PAGE });
    const known = new Set(state.rows.map((c) => c.id));
    const added = fresh.filter((c) => !known.has(c.id));
    if (!added.length) return;
    // a full page of news may have skipped some: then the page is simply the news
    state.rows = fresh.length >= PAGE ? fresh : [...added, ...state.rows].slice(0, PAGE);
    render();
  } catch (e) {
    onError(e);
  }
}

async function select(id) {
  state.selected = id;
  for (const tr of document.querySelectorAll('#traffic tbody tr')) tr.classList.toggle('selected', tr.dataset.id === id);
  const box = $('#details');
  box.hidden = false;
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const c = await api.capture(id);
    if (state.selected !== id) return; // another row was clicked meanwhile
    box.replaceChildren(...renderDetails(c).flat().filter(Boolean));
    $('#close-details').addEventListener('click', () => { state.selected = null; box.hidden = true; render(); });
  } catch (e) {
    box.replaceChildren(h('p', { class: 'error' }, `Could not load ${id}: ${e.message}`));
    onError(e);
  }
}

async function downloadHar() {
  try {
    // fetch + blob, not a plain link: a link could not carry the Authorization header
    const blob = await api.har(pageQuery());
    const a = h('a', { href: URL.createObjectURL(blob), download: 'captures.har' });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10000);
  } catch (e) {
    onError(e);
  }
}

export const traffic = {
  init(errorHandler) {
    onError = errorHandler;
    $('#filters').addEventListener('submit', (e) => {
      e.preventDefault();
      state.filters = readFilters();
      state.cursor = null;
      load();
    });
    $('#filters').addEventListener('reset', () => setTimeout(() => $('#filters').requestSubmit(), 0));
    $('#older').addEventListener('click', () => {
      state.cursor = state.rows[state.rows.length - 1].ts;
      load();
    });
    $('#newest').addEventListener('click', () => { state.cursor = null; load(); });
    $('#har').addEventListener('click', downloadHar);
  },
  show() {
    load();
    clearInterval(state.timer);
    state.timer = setInterval(poll, POLL_MS);
  },
  hide() {
    clearInterval(state.timer);
  },
  clear() {
    state.rows = [];
    state.selected = null;
    $('#details').hidden = true;
    render();
    $('#empty').hidden = true; // not "no exchanges match": the API was not asked
  },
  /** App labels for the filter's suggestions. */
  apps(labels) {
    $('#apps').replaceChildren(...[...new Set(labels)].sort().map((l) => h('option', { value: l })));
  },
};
