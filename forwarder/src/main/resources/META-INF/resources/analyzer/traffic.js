// The Traffic view: the timeline, then the newest exchanges matching the filters, a page of 100 at a time.
//
//   filters ──> GET /api/v1/captures?<filters>&until=<cursor>&limit=100 ──> table
//           └─> GET /api/v1/timeline?<filters> ──> bars (after the table: the first paint never waits for it)
//   at the head (no cursor), every 2 s: GET ...&since=<newest ts seen> ──> new rows on top, timeline redrawn
//   "Older": cursor = ts of the last row (until is exclusive, so no row repeats)
import { h, $, clock, ms, bytes } from './dom.js';
import { api } from './api.js';
import { renderDetails } from './details.js';
import { timeline } from './timeline.js';

const PAGE = 100;
const POLL_MS = 2000;

const state = {
  filters: {},      // as the API takes them (see filters.js)
  cursor: null,     // until= of the current page; null = the head, which updates live
  rows: [],
  selected: null,
  timer: null,
};
let onError = () => {};
let onSelect = () => {};

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
  h('td', {}, c.appLabel),
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

async function drawTimeline() {
  try {
    await timeline.load(state.filters);
  } catch (e) {
    onError(e);
  }
}

async function load() {
  try {
    state.rows = await api.captures(pageQuery());
    render();
  } catch (e) {
    onError(e);
    return;
  }
  drawTimeline();
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
    drawTimeline();
  } catch (e) {
    onError(e);
  }
}

function closeDetails() {
  state.selected = null;
  $('#details').hidden = true;
  render();
  onSelect(null);
}

async function select(id) {
  state.selected = id;
  onSelect(id);
  for (const tr of document.querySelectorAll('#traffic tbody tr')) tr.classList.toggle('selected', tr.dataset.id === id);
  const box = $('#details');
  box.hidden = false;
  box.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  try {
    const c = await api.capture(id);
    if (state.selected !== id) return; // another row was clicked meanwhile
    box.replaceChildren(...renderDetails(c).flat().filter(Boolean));
    $('#close-details').addEventListener('click', closeDetails);
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
  /** selectHandler(id | null): the selected capture changed (the app keeps it in the URL). */
  init(errorHandler, selectHandler, rangeHandler) {
    onError = errorHandler;
    onSelect = selectHandler;
    timeline.init(rangeHandler);
    $('#older').addEventListener('click', () => {
      state.cursor = state.rows[state.rows.length - 1].ts;
      load();
    });
    $('#newest').addEventListener('click', () => { state.cursor = null; load(); });
    $('#har').addEventListener('click', downloadHar);
  },
  setFilters(f) {
    state.filters = f;
    state.cursor = null;
  },
  /** Shows the view; with an id, that capture's details too (a shared link). */
  show(selected) {
    load();
    if (selected && selected !== state.selected) select(selected);
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
