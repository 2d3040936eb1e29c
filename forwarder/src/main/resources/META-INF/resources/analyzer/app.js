// The Analyzer's entry point: tabs, the shared filters, the URL, the API token prompt, errors.
//
//   URL #<view>?<filters>&sel=<id> ──> form + view (a shared link opens the same thing)
//   Apply / a timeline drag / an endpoint click ──> form ──> URL ──> view reloads
//   any API call ──401──> clear every view, show the token prompt ──submit──> sessionStorage, reload the view
//   #token=... (the URL the forwarder logs at start) ──> sessionStorage, removed from the address bar
import { $ } from './dom.js';
import { AuthRequired, token } from './api.js';
import { traffic } from './traffic.js';
import { endpoints } from './endpoints.js';
import { proxies } from './proxies.js';
import { readHash, writeHash, takeTokenFromHash } from './url.js';
import { readForm, fillForm } from './filters.js';

const views = { traffic, endpoints, proxies };
const FILTERED = new Set(['traffic', 'endpoints']);
let current = null;
let selected = null;

function status(text, cls = '') {
  const el = $('#status');
  el.textContent = text;
  el.className = `status ${cls}`;
}

function onError(e) {
  if (e instanceof AuthRequired) {
    // nothing seen under a token may stay on screen once the API refuses it
    for (const v of Object.values(views)) { v.hide(); v.clear(); }
    const had = token.get();
    $('#token-message').textContent = had
      ? 'The API refused this token. Enter the forwarder\'s API_TOKEN.'
      : 'This forwarder needs its API token (API_TOKEN, or the one in the URL it logged at start).';
    $('#token-form').hidden = false;
    $('#forget-token').hidden = !had;
    $('#token-input').focus();
    status('not authorized', 'error');
    return;
  }
  status(e.message, 'error');
}

function remember() {
  writeHash(current, FILTERED.has(current) ? { ...readForm(), sel: current === 'traffic' ? selected : '' } : {});
}

function show(name) {
  if (!views[name]) name = 'traffic';
  if (current) views[current].hide();
  current = name;
  for (const n of Object.keys(views)) {
    $(`#view-${n}`).hidden = n !== name;
    $(`#tab-${n}`).classList.toggle('active', n === name);
  }
  $('#filters').hidden = !FILTERED.has(name);
  remember();
  status('');
  const f = readForm();
  if (name === 'traffic') {
    traffic.setFilters(f);
    traffic.show(selected);
  } else if (name === 'endpoints') {
    endpoints.setFilters(f);
    endpoints.show();
  } else {
    views[name].show();
  }
}

/** Puts values in the form and shows a view with them (a drag on the timeline, a click on an endpoint). */
function applyFilters(values, view = current) {
  fillForm(values);
  show(view);
}

function start() {
  const fromUrl = takeTokenFromHash();
  if (fromUrl) token.set(fromUrl);
  const { view, params } = readHash();
  fillForm(params);
  selected = params.sel || null;

  traffic.init(onError, (id) => { selected = id; remember(); },
    (since, until) => applyFilters({ ...readForm(), since, until }, 'traffic'));
  endpoints.init(onError, (r) => applyFilters({ ...readForm(), app: r.app, method: r.method, template: r.template },
    'traffic'));
  proxies.init(onError, traffic.apps);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
  $('#filters').addEventListener('submit', (e) => {
    e.preventDefault();
    fillForm(readForm()); // the template chip follows the form
    show(current);
  });
  $('#filters').addEventListener('reset', () => setTimeout(() => { fillForm({}); show(current); }, 0));
  $('#template-clear').addEventListener('click', () => applyFilters({ ...readForm(), template: '' }));
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    token.set($('#token-input').value.trim());
    $('#token-input').value = '';
    $('#token-form').hidden = true;
    $('#forget-token').hidden = false;
    show(current);
    proxies.load(); // app suggestions for the filter
  });
  $('#forget-token').addEventListener('click', () => {
    token.clear();
    location.reload();
  });
  $('#forget-token').hidden = !token.get();
  show(view);
  if (current !== 'proxies') proxies.load();
}

start();
