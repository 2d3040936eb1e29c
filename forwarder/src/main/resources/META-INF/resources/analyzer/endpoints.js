// The Endpoints view: one row per app + method + path template (GET /api/v1/endpoints, same filters as the list;
// the last hour unless since/until say otherwise). Columns sort on a click; a row click shows its exchanges.
import { h, $, ms, bytes, clock } from './dom.js';
import { api } from './api.js';

const COLUMNS = [
  { key: 'app', label: 'App' }, { key: 'method', label: 'Method' }, { key: 'template', label: 'Endpoint' },
  { key: 'count', label: 'Count', num: true }, { key: 'errorPercent', label: 'Errors %', num: true },
  { key: 'p50Ms', label: 'p50 ms', num: true }, { key: 'p95Ms', label: 'p95 ms', num: true },
  { key: 'p99Ms', label: 'p99 ms', num: true }, { key: 'bytes', label: 'Bytes', num: true },
  { key: 'lastSeen', label: 'Last seen' },
];

const state = { rows: [], sort: 'count', desc: true, filters: {} };
let onError = () => {};
let onPick = () => {};

function cell(col, r) {
  const v = r[col.key];
  if (col.key === 'bytes') return bytes(v);
  if (col.key.endsWith('Ms')) return ms(v);
  if (col.key === 'errorPercent') return v ? `${v.toFixed(1)}` : '0';
  if (col.key === 'lastSeen') return clock(v);
  return v;
}

function sorted() {
  const { sort, desc } = state;
  return [...state.rows].sort((a, b) => {
    const x = a[sort];
    const y = b[sort];
    const c = typeof x === 'number' ? x - y : String(x).localeCompare(String(y));
    return desc ? -c : c;
  });
}

function render() {
  $('#endpoints thead tr').replaceChildren(...COLUMNS.map((col) => h('th', {
    class: [col.num ? 'num' : '', 'sortable', state.sort === col.key ? (state.desc ? 'desc' : 'asc') : ''].join(' '),
    'data-key': col.key,
    onclick: () => {
      state.desc = state.sort === col.key ? !state.desc : !!col.num;
      state.sort = col.key;
      render();
    },
  }, col.label)));
  $('#endpoints tbody').replaceChildren(...sorted().map((r) => h('tr', {
    tabindex: 0, class: r.errorPercent > 0 ? 'has-errors' : '',
    'data-app': r.app, 'data-method': r.method, 'data-template': r.template,
    onclick: () => onPick(r),
    onkeydown: (e) => { if (e.key === 'Enter') onPick(r); },
  }, COLUMNS.map((col) => h('td', { class: [col.num ? 'num' : '', col.key === 'template' ? 'url' : ''].join(' ') }, cell(col, r))))));
  $('#no-endpoints').hidden = state.rows.length > 0;
}

async function load() {
  try {
    const { limit, ...f } = state.filters;
    state.rows = await api.endpoints(f);
    render();
  } catch (e) {
    onError(e);
  }
}

export const endpoints = {
  /** pick(row): what a click on a row does (the app shows that endpoint's exchanges). */
  init(errorHandler, pick) {
    onError = errorHandler;
    onPick = pick;
  },
  setFilters(f) {
    state.filters = f;
  },
  show: load,
  hide() {},
  clear() {
    state.rows = [];
    render();
    $('#no-endpoints').hidden = true;
  },
};
