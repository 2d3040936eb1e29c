// A captured body as a person wants to read it: JSON pretty-printed, text as text, anything else as a hex
// dump. The bytes are what was stored (after DLP, at most CAPTURE_BODY_BYTES), so truncation is stated.
import { h, bytes, marked } from './dom.js';

const HEX_LIMIT = 16 * 1024; // a hex dump of more is unreadable and slow to lay out

function decodeBase64(b64) {
  const bin = atob(b64 || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function header(headers, name) {
  for (const [k, v] of Object.entries(headers || {})) if (k.toLowerCase() === name) return v[0];
  return '';
}

/** UTF-8 text, or null when the bytes are not text (invalid UTF-8 or control characters). */
function asText(data) {
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    // a truncated body may end inside a multi-byte character: try again without its last 3 bytes
    if (data.length < 4) return null;
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(0, data.length - 3)); } catch { return null; }
  }
  return /[\u0000-\u0008\u000e-\u001f]/.test(text) ? null : text;
}

function hexDump(data) {
  const lines = [];
  const n = Math.min(data.length, HEX_LIMIT);
  for (let off = 0; off < n; off += 16) {
    const row = data.subarray(off, Math.min(off + 16, n));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (data.length > n) lines.push(`... ${data.length - n} more bytes not shown`);
  return lines.join('\n');
}

/** The body block of a request or response message. */
export function renderBody(msg) {
  const data = decodeBase64(msg.bodyBase64);
  if (msg.bodySize === 0 && data.length === 0) return h('p', { class: 'muted body-empty' }, 'No body.');
  const type = header(msg.headers, 'content-type');
  const text = asText(data);
  let kind = 'binary';
  let shown;
  if (text !== null) {
    kind = 'text';
    shown = text;
    if (/json/i.test(type) || /^\s*[[{]/.test(text)) {
      try { shown = JSON.stringify(JSON.parse(text), null, 2); kind = 'json'; } catch { /* truncated or not JSON */ }
    }
  } else {
    shown = hexDump(data);
  }
  const note = [`${kind}`, type && ` · ${type}`, ` · ${bytes(msg.bodySize)}`];
  if (msg.truncated) note.push(h('span', { class: 'badge warn truncated' },
    `truncated: ${bytes(data.length)} stored of ${msg.bodySize.toLocaleString()} bytes`));
  return h('div', { class: 'body' },
    h('div', { class: 'body-note muted' }, note),
    h('pre', { class: `body-${kind}` }, kind === 'binary' ? shown : marked(shown)));
}
