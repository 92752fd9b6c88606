"""The in-page probe of `bench.browser`, installed in every new document with Chrome DevTools'
`Page.addScriptToEvaluateOnNewDocument`, before any script of the page runs.

Python arms it (`__crmBench.arm(spec)`) with the screen to wait for (selector, location, expected text) just before
the user's action or the cold load. The arm is kept in sessionStorage, so it survives a full page load in the same
tab: whichever document shows the data, the old one (single-page navigation) or a new one (page reload), records it.
Before an in-app action, the elements already matching are stamped with their text: an element counts only if it
is new or its text changed, so the previous screen's content is never taken for the new one.

Times: `performance.now()` of the document for a cold load (0 is the navigation start), and `Date.now()` at both
ends for an in-app action (the click or the Enter key, caught in the capture phase before the page sees it, to the
data), because these may lie in two different documents. The data time is taken in the first animation frame after
a MutationObserver saw the element (the frame that paints it). The probe also wraps `WebSocket` to note when the
page's socket was created, opened, and got its first message, and the main thread's long tasks (over 50 ms).
"""

PROBE_JS = r"""
(() => {
  if (window.__crmBench) return;
  const KEY = '__crm_bench', STALE = 'data-crm-bench-stale';
  const DOC = Math.random().toString(36).slice(2);
  let state = null;
  try { state = JSON.parse(sessionStorage.getItem(KEY) || 'null'); } catch (e) { state = null; }
  const save = () => { try { sessionStorage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* opaque */ } };
  const ws = {created: null, open: null, first: null, messages: 0};
  const NativeSocket = window.WebSocket;
  if (NativeSocket) {
    window.WebSocket = class extends NativeSocket {
      constructor(...args) {
        super(...args);
        if (ws.created === null) ws.created = performance.now();
        this.addEventListener('open', () => { if (ws.open === null) ws.open = performance.now(); });
        this.addEventListener('message', () => {
          ws.messages += 1;
          if (ws.first === null) ws.first = performance.now();
        });
      }
    };
  }
  const longTasks = [];  // [start, duration] of the main thread's tasks over 50 ms
  try {
    new PerformanceObserver((list) => list.getEntries().forEach((e) => longTasks.push([e.startTime, e.duration])))
      .observe({type: 'longtask', buffered: true});
  } catch (e) { /* not supported */ }
  const textOf = (el) => (el.textContent || '').trim();
  const fresh = (el) => {
    const text = textOf(el);
    return Boolean(text) && (!state.text || text === state.text) && el.getAttribute(STALE) !== text;
  };
  const found = () => {
    state.found = {at: Date.now(), perf: performance.now(), doc: DOC, messages: ws.messages};
    save();
    observer.disconnect();
    requestAnimationFrame(() => {
      Object.assign(state.found, {paintAt: Date.now(), paintPerf: performance.now()});
      save();
    });
  };
  const check = () => {
    if (!state || state.found || !state.selector) return;
    if (!new RegExp(state.location).test(location.pathname + location.search)) return;
    for (const el of document.querySelectorAll(state.selector)) {
      if (fresh(el)) { found(); return; }
    }
  };
  const observer = new MutationObserver(check);
  const observe = () => observer.observe(document, {childList: true, subtree: true, characterData: true});
  for (const name of ['pushState', 'replaceState']) {
    const native = history[name];
    history[name] = function (...args) { const out = native.apply(this, args); check(); return out; };
  }
  addEventListener('popstate', check);
  const action = (event) => {
    if (!state || state.cold || state.clickAt || state.armedDoc !== DOC) return;
    if (event.type === 'keydown' && event.key !== 'Enter') return;
    state.clickAt = Date.now();
    save();
  };
  addEventListener('click', action, true);
  addEventListener('keydown', action, true);
  const navigation = () => {
    const n = performance.getEntriesByType('navigation')[0];
    return n ? {requestStart: n.requestStart, responseStart: n.responseStart, responseEnd: n.responseEnd,
                domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd,
                status: n.responseStatus || null} : null;
  };
  const lines = (el) => (el.innerText || '').split('\n').map((line) => line.trim()).filter(Boolean);
  window.__crmBench = {
    arm(spec) {
      for (const el of document.querySelectorAll(spec.selector)) el.setAttribute(STALE, textOf(el));
      state = {...spec, armedDoc: DOC, clickAt: null, found: null};
      save();
      observe();
    },
    result() {
      const nav = navigation();
      const failed = nav && nav.status >= 400;
      return {doc: DOC, state, nav, ws, longTasks, timeOrigin: performance.timeOrigin,
              error: failed ? `HTTP ${nav.status}` + (textOf(document.body || document.documentElement)
                .includes('response_timeout') ? ' response_timeout' : '') : null};
    },
    ready() {
      return document.readyState !== 'loading' && (window.did_handshake === true || window.socket?.connected === true);
    },
    target(selector, label) {
      for (const el of document.querySelectorAll(selector)) {
        if (el.offsetParent !== null && (!label || lines(el).includes(label))) return el;
      }
      return null;
    },
    firstCell(selector) {
      const row = document.querySelector(selector);
      const cell = row && row.querySelector('td');
      return cell ? textOf(cell) : null;
    },
  };
  if (state && !state.found) observe();
})();
"""

# Arm the probe; on a page without it (an error page), leave the arm in sessionStorage for the next document.
ARM_JS = """
const spec = arguments[0];
if (window.__crmBench) window.__crmBench.arm(spec);
else sessionStorage.setItem('__crm_bench', JSON.stringify({...spec, armedDoc: null, clickAt: null, found: null}));
"""
