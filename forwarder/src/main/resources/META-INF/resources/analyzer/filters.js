// The filter form, shared by the Traffic and Endpoints views: values in, values out, as the API takes them
// (times as RFC 3339 in UTC; the form shows them in local time).
import { $ } from './dom.js';

export const FILTERS = ['app', 'status', 'method', 'path', 'direction', 'protocol', 'q', 'since', 'until', 'template'];

function localToIso(v) {
  return v ? new Date(v).toISOString() : '';
}

function isoToLocal(v) {
  if (!v) return '';
  const d = new Date(v);
  if (Number.isNaN(d.getTime())) return '';
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 23);
}

export function readForm() {
  const f = new FormData($('#filters'));
  const out = {};
  for (const k of FILTERS) out[k] = String(f.get(k) || '').trim();
  out.since = localToIso(out.since);
  out.until = localToIso(out.until);
  return out;
}

export function fillForm(values) {
  for (const k of FILTERS) {
    const el = $(`#f-${k}`);
    const v = values[k] || '';
    el.value = k === 'since' || k === 'until' ? isoToLocal(v) : v;
  }
  const t = values.template;
  $('#template-chip').hidden = !t;
  $('#template-text').textContent = t ? `${values.method || ''} ${t}`.trim() : '';
}
