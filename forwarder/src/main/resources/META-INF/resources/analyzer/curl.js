// "Copy as curl": a command that sends the captured request again, as it was stored (after DLP: a redacted
// value stays REDACTED-..., so the command never carries a secret the store does not hold).
//
// Quoting: every argument in single quotes, a single quote inside written as '\'' (POSIX sh, bash, zsh).
// A body that is not text goes in through printf with octal escapes, so NUL bytes survive.

// Headers curl writes itself from the body it sends, or that describe the captured framing, not the request
const SKIPPED = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

export function shellQuote(s) {
  return `'${String(s).replace(/'/g, `'\\''`)}'`;
}

function bodyBytes(b64) {
  const bin = atob(b64 || '');
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function isText(data) {
  try {
    const t = new TextDecoder('utf-8', { fatal: true }).decode(data);
    return !/[\u0000-\u0008\u000e-\u001f]/.test(t) ? t : null;
  } catch {
    return null;
  }
}

/** The request's URL: the target as sent when absolute, else the captured Host (or the backend) and target. */
export function requestUrl(c) {
  const req = c.http.req;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(req.url)) return req.url;
  // tapline decodes plain HTTP/1 only: the scheme of a captured origin-form request is http
  const scheme = 'http:';
  return `${scheme}//${req.host || c.backendAddr}${req.url}`;
}

/** The curl command for a capture's request (HTTP captures only). */
export function curlCommand(c) {
  const req = c.http.req;
  const args = ['curl', '--silent', '--show-error', '--include'];
  if (req.version === 'HTTP/1.0') args.push('--http1.0');
  if (req.method === 'HEAD') args.push('--head');
  else if (!(req.method === 'GET' && !req.bodySize)) args.push('-X', shellQuote(req.method));
  for (const [name, values] of Object.entries(req.headers || {})) {
    if (SKIPPED.has(name.toLowerCase())) continue;
    for (const v of values) args.push('-H', shellQuote(`${name}: ${v}`));
  }
  const data = bodyBytes(req.bodyBase64);
  let prefix = '';
  if (data.length) {
    const text = isText(data);
    if (text !== null) {
      args.push('--data-binary', shellQuote(text));
    } else {
      const octal = Array.from(data, (b) => `\\0${b.toString(8).padStart(3, '0')}`).join('');
      prefix = `printf '%b' ${shellQuote(octal)} | `;
      args.push('--data-binary', '@-');
    }
  }
  args.push('--url', shellQuote(requestUrl(c)));
  return prefix + args.join(' ');
}
