// Small DOM and formatting helpers. Text always goes in as text nodes, never parsed as HTML:
// captured headers and bodies are untrusted input.

/** h('td', {class: 'num'}, 'text', childNode, ...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

export const $ = (sel) => document.querySelector(sel);

/** Local wall-clock time with milliseconds; the full RFC 3339 stamp goes in the title. */
export function clock(ts) {
  const d = new Date(ts);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(d.getMilliseconds()).padStart(3, '0');
}

export function when(ts) {
  return ts ? new Date(ts).toLocaleString([], { hour12: false }) : '';
}

export function ago(ts) {
  const s = Math.max(0, Math.round((Date.now() - new Date(ts).getTime()) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

export function bytes(n) {
  if (n === undefined || n === null) return '';
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function ms(v) {
  return v === undefined || v === null ? '' : v < 10 ? v.toFixed(2) : v.toFixed(0);
}

export const REDACTED = /REDACTED-[0-9A-Za-z]+/g;

/** Text with every DLP replacement wrapped in <mark class="redacted">, so it is visible at a glance. */
export function marked(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(REDACTED)) {
    out.push(text.slice(last, m.index), h('mark', { class: 'redacted', title: 'redacted by DLP' }, m[0]));
    last = m.index + m[0].length;
  }
  out.push(text.slice(last));
  return out;
}
