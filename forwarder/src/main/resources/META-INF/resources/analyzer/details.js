// One exchange in full (GET /api/v1/captures/{id}): start lines, headers, bodies, and the facts around them.
// Connection records (non-HTTP traffic) have no messages, only byte counts. Objects the page does not know
// (such as "tls" or "grpc", which newer forwarders add) are shown as key/value tables, whatever their fields.
import { h, when, ms, bytes, marked } from './dom.js';
import { renderBody } from './body.js';
import { curlCommand } from './curl.js';

const KNOWN = new Set(['id', 'ts', 'durationMs', 'direction', 'l7protocol', 'cluster', 'appLabel', 'podName', 'proxyId',
  'cid', 'sequence', 'clientAddr', 'backendAddr', 'http', 'connection', 'flags']);
const KNOWN_HTTP = new Set(['req', 'res', 'interim']);

/** [dotted key, value] pairs of a nested object, leaves only. */
function flatten(obj, prefix = '', out = []) {
  for (const [k, v] of Object.entries(obj || {})) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out);
    else out.push([key, Array.isArray(v) ? v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join(', ') : v]);
  }
  return out;
}

function objectSection(name, obj) {
  const rows = flatten(obj).map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, marked(String(v)))));
  return h('section', { class: `msg extra extra-${name}`, 'data-object': name },
    h('h3', {}, name),
    rows.length ? h('table', { class: 'kv' }, h('tbody', {}, rows)) : h('p', { class: 'muted' }, '(empty)'));
}

/** Sections for the objects beside the known fields, at the top level and in http. */
function extras(c) {
  const out = [];
  for (const [k, v] of Object.entries(c)) if (!KNOWN.has(k) && v && typeof v === 'object') out.push(objectSection(k, v));
  for (const [k, v] of Object.entries(c.http || {})) if (!KNOWN_HTTP.has(k) && v && typeof v === 'object') out.push(objectSection(k, v));
  return out;
}

function curl(c) {
  const command = curlCommand(c);
  const copied = h('span', { class: 'muted', id: 'curl-copied' });
  return h('section', { class: 'curl' },
    h('div', { class: 'details-actions' },
      h('button', {
        type: 'button', id: 'copy-curl',
        onclick: async () => {
          try {
            await navigator.clipboard.writeText(command);
            copied.textContent = 'copied';
          } catch {
            copied.textContent = 'select the command below to copy it';
          }
        },
      }, 'Copy as curl'), copied,
      c.http.req.truncated ? h('span', { class: 'badge warn' }, 'body truncated: the command sends the stored part') : null),
    h('pre', { id: 'curl-command' }, command));
}

function headerTable(headers, cls) {
  const rows = [];
  for (const [name, values] of Object.entries(headers || {})) {
    for (const v of values) {
      const redacted = v.startsWith('REDACTED-');
      rows.push(h('tr', { class: redacted ? 'is-redacted' : null },
        h('th', {}, name),
        h('td', {}, marked(v), redacted ? h('span', { class: 'badge redacted-badge' }, 'redacted') : null)));
    }
  }
  if (!rows.length) return h('p', { class: 'muted' }, 'No headers.');
  return h('table', { class: `headers ${cls}` }, h('tbody', {}, rows));
}

function fact(label, value) {
  return value === undefined || value === null || value === '' ? null : [h('dt', {}, label), h('dd', {}, value)];
}

function request(req) {
  return h('section', { class: 'msg request' },
    h('h3', {}, 'Request'),
    h('code', { class: 'start-line' }, `${req.method} `, marked(req.url), ` ${req.version || ''}`),
    headerTable(req.headers, 'req-headers'),
    req.trailers ? [h('h4', {}, 'Trailers'), headerTable(req.trailers, 'req-trailers')] : null,
    renderBody(req));
}

function response(res, interim) {
  if (!res) return h('section', { class: 'msg response' }, h('h3', {}, 'Response'),
    h('p', { class: 'badge warn' }, 'No response was captured (response_missing).'));
  return h('section', { class: 'msg response' },
    h('h3', {}, 'Response'),
    (interim || []).map((i) => h('code', { class: 'start-line muted' }, `${i.statusCode} ${i.statusMessage || ''} (interim)`)),
    h('code', { class: `start-line s${String(res.statusCode)[0]}xx` },
      `${res.version || ''} ${res.statusCode} ${res.statusMessage || ''}`),
    headerTable(res.headers, 'res-headers'),
    res.trailers ? [h('h4', {}, 'Trailers'), headerTable(res.trailers, 'res-trailers')] : null,
    renderBody(res));
}

function connection(c) {
  return h('section', { class: 'msg connection' },
    h('h3', {}, `Connection (${c.detected || 'unknown protocol'}, not HTTP)`),
    h('dl', { class: 'facts' },
      fact('client → app', bytes(c.bytesClientToApp)),
      fact('app → client', bytes(c.bytesAppToClient)),
      fact('open for', `${ms(c.durationMs)} ms`)),
    h('p', { class: 'muted' }, 'Only the byte counts of non-HTTP connections are captured.'));
}

export function renderDetails(c) {
  return [
    h('header', { class: 'details-head' },
      h('h2', {}, c.http ? `${c.http.req.method} ${c.http.req.url}` : `${c.l7protocol} connection`),
      h('button', { type: 'button', id: 'close-details', class: 'link' }, 'Close')),
    h('dl', { class: 'facts' },
      fact('time', when(c.ts)), fact('id', c.id), fact('app', c.appLabel), fact('pod', c.podName),
      fact('proxy', c.proxyId), fact('cluster', c.cluster), fact('client', c.clientAddr),
      fact('backend', c.backendAddr), fact('duration', c.durationMs != null ? `${ms(c.durationMs)} ms` : ''),
      fact('connection', `cid ${c.cid} #${c.sequence}`),
      fact('flags', (c.flags || []).join(', '))),
    c.http ? curl(c) : null,
    extras(c),
    c.http ? [request(c.http.req), response(c.http.res, c.http.interim)] : null,
    c.connection ? connection(c.connection) : null,
  ];
}
