// The Analyzer's entry point: tabs, the API token prompt, errors. The views fetch their own data.
//
//   any API call ──401──> clear every view, show the token prompt ──submit──> sessionStorage, reload the view
import { $ } from './dom.js';
import { AuthRequired, token } from './api.js';
import { traffic } from './traffic.js';
import { proxies } from './proxies.js';

const views = { traffic, proxies };
let current = null;

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
      : 'This forwarder needs its API token (API_TOKEN).';
    $('#token-form').hidden = false;
    $('#forget-token').hidden = !had;
    $('#token-input').focus();
    status('not authorized', 'error');
    return;
  }
  status(e.message, 'error');
}

function show(name) {
  if (!views[name]) name = 'traffic';
  if (current) views[current].hide();
  current = name;
  for (const [n] of Object.entries(views)) {
    $(`#view-${n}`).hidden = n !== name;
    $(`#tab-${n}`).classList.toggle('active', n === name);
  }
  if (location.hash !== `#${name}`) history.replaceState(null, '', `#${name}`);
  status('');
  views[name].show();
}

function start() {
  traffic.init(onError);
  proxies.init(onError, traffic.apps);
  for (const tab of document.querySelectorAll('.tab')) tab.addEventListener('click', () => show(tab.dataset.view));
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
  show(location.hash.slice(1));
  if (current !== 'proxies') proxies.load();
}

start();
