// One exchange in full (GET /api/v1/captures/{id}): start lines, headers, bodies, and the facts around them.
// Connection records (non-HTTP traffic) have no messages, only byte counts.
import { h, when, ms, bytes, marked } from './dom.js';
import { renderBody } from './body.js';

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
    c.http ? [request(c.http.req), response(c.http.res, c.http.interim)] : null,
    c.connection ? connection(c.connection) : null,
  ];
}
