// The timeline above the list: captures per interval, stacked by status class, for the current filters
// (GET /api/v1/timeline). Dragging across it picks that time range as the since/until filter.
//
// uPlot (the org.webjars.npm:uplot WebJar, served by the forwarder from its jar) is loaded on first use, after
// the list: the first paint never waits for the chart. Bars are stacked by drawing running totals, the tallest
// first, so each class shows as its own band.
import { h, $ } from './dom.js';
import { api } from './api.js';

const UPLOT = '/webjars/uplot/1.6.30/dist/';
const CLASSES = [ // top of the stack first: drawn first, then covered by the lower running totals
  { key: 'other', label: 'other', color: '#9aa0a6' },
  { key: 's5xx', label: '5xx', color: '#b3261e' },
  { key: 's4xx', label: '4xx', color: '#e0a020' },
  { key: 's3xx', label: '3xx', color: '#6a4fb0' },
  { key: 's2xx', label: '2xx', color: '#1f7a3a' },
];

let plot = null;
let loading = null;
let onRange = () => {};

function loadUplot() {
  if (window.uPlot) return Promise.resolve(window.uPlot);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      document.head.append(h('link', { rel: 'stylesheet', href: `${UPLOT}uPlot.min.css` }));
      const s = h('script', { src: `${UPLOT}uPlot.iife.min.js` });
      s.onload = () => resolve(window.uPlot);
      s.onerror = () => reject(new Error('could not load the chart library'));
      document.head.append(s);
    });
  }
  return loading;
}

/** uPlot's columns: x in seconds, then the running totals in CLASSES order. */
function columns(t) {
  const order = ['s2xx', 's3xx', 's4xx', 's5xx', 'other'];
  const running = {};
  let acc = t.starts.map(() => 0);
  for (const k of order) {
    acc = acc.map((v, i) => v + t[k][i]);
    running[k] = acc;
  }
  return [t.starts.map((ms) => ms / 1000), ...CLASSES.map((c) => running[c.key])];
}

function legend(t) {
  const sum = (k) => t[k].reduce((a, b) => a + b, 0);
  const total = CLASSES.reduce((a, c) => a + sum(c.key), 0);
  return [h('span', { class: 'tl-total' }, `${total.toLocaleString()} in ${t.stepMs >= 1000 ? `${t.stepMs / 1000} s` : `${t.stepMs} ms`} bars`),
    ...[...CLASSES].reverse().map((c) => h('span', { class: 'tl-key' },
      h('i', { style: `background:${c.color}` }), `${c.label} ${sum(c.key).toLocaleString()}`))];
}

function options(uPlot, width, stepSec) {
  const bars = uPlot.paths.bars({ size: [0.9, 40], align: 1 });
  return {
    width, height: 120,
    legend: { show: false },
    cursor: { drag: { x: true, y: false, setScale: false }, points: { show: false } },
    scales: { x: { time: true, range: (u, min, max) => [min, max + stepSec] }, y: { range: (u, min, max) => [0, Math.max(1, max)] } },
    axes: [{ size: 28 }, { size: 44, incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 100000] }],
    series: [{}, ...CLASSES.map((c) => ({ label: c.label, stroke: c.color, fill: c.color, width: 0, paths: bars, points: { show: false } }))],
    hooks: {
      setSelect: [(u) => {
        if (u.select.width < 3) return;
        const from = u.posToVal(u.select.left, 'x');
        const to = u.posToVal(u.select.left + u.select.width, 'x');
        u.setSelect({ left: 0, width: 0 }, false);
        onRange(new Date(from * 1000).toISOString(), new Date(to * 1000).toISOString());
      }],
    },
  };
}

async function render(t) {
  const box = $('#timeline');
  const uPlot = await loadUplot();
  const data = columns(t);
  const width = Math.max(300, box.clientWidth - 4);
  if (plot) plot.destroy();
  $('#timeline-chart').replaceChildren();
  plot = new uPlot(options(uPlot, width, t.stepMs / 1000), data, $('#timeline-chart'));
  $('#timeline-legend').replaceChildren(...legend(t));
  // for tests and for people reading the DOM: what the bars show
  box.plot = plot; // the browser test turns times into pixels with it
  box.dataset.total = String(data[1].reduce((a, b) => a + b, 0));
  box.dataset.bars = String(data[1].filter((v) => v > 0).length);
  box.dataset.since = t.since;
  box.dataset.until = t.until;
}

export const timeline = {
  init(rangeHandler) {
    onRange = rangeHandler;
  },
  /** Redraws for these filters (the list's, without paging); errors go to the caller. */
  async load(filters) {
    const { limit, ...f } = filters;
    const t = await api.timeline({ ...f, buckets: 80 });
    await render(t);
  },
};
