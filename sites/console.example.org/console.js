// The lab console: the walk the articles describe, drawn from what the lab's servers say.
// Plain JavaScript, no libraries, no CDN: it must work with no Internet.
'use strict';

const LANES = ['client', 'browser', 'os', 'router', 'isp', 'root', 'tld', 'authoritative', 'web'];
const BROWSER_LIFETIME = 60; // seconds, like Chromium's host cache
const STORE = 'dnslab-console-caches';
const params = new URLSearchParams(location.search);
const lab = { recursor: params.get('recursor'), router: params.get('router') };
let serverCaches = { router: [], isp: [], fetchedAt: Date.now() };

const $ = (selector) => document.querySelector(selector);

// ---- the page's own caches: 브라우저 캐시 and OS 캐시 ----
function pageCaches() {
  try { return JSON.parse(localStorage.getItem(STORE)) || { browser: {}, os: {} }; } catch (e) { return { browser: {}, os: {} }; }
}
function savePageCaches(caches) { localStorage.setItem(STORE, JSON.stringify(caches)); }
function pageLookup(cache, name) {
  const caches = pageCaches();
  const entry = caches[cache][name];
  if (!entry) return null;
  const left = Math.ceil((entry.expires - Date.now()) / 1000);
  if (left <= 0) { delete caches[cache][name]; savePageCaches(caches); return null; }
  return { addresses: entry.addresses, ttl: left };
}
function pageStore(name, addresses, ttl) {
  const caches = pageCaches();
  caches.os[name] = { addresses, expires: Date.now() + ttl * 1000 };
  caches.browser[name] = { addresses, expires: Date.now() + Math.min(ttl, BROWSER_LIFETIME) * 1000 };
  savePageCaches(caches);
}

// ---- the lab's admin ports ----
async function labAddresses() {
  if (lab.recursor && lab.router) return;
  let prefix = '127.53.0.';
  try {
    const echo = await (await fetch('/_lab/echo?format=json', { cache: 'no-store' })).json();
    const address = echo.server && echo.server.address;
    if (address && /^\d+\.\d+\.\d+\.\d+$/.test(address)) prefix = address.replace(/\d+$/, '');
  } catch (e) { /* keep the embedded lab's addresses */ }
  lab.recursor = lab.recursor || 'http://' + prefix + '53:9153';
  lab.router = lab.router || 'http://' + prefix + '254:9153';
}
async function getJson(url, options) {
  const started = performance.now();
  let response;
  try {
    response = await fetch(url, Object.assign({ cache: 'no-store' }, options || {}));
  } catch (e) {
    throw new Error(url + ': ' + e.message);
  }
  if (!response.ok) throw new Error(url + ': HTTP ' + response.status);
  const json = await response.json();
  return { json, millis: performance.now() - started };
}
function findEntry(entries, name) {
  const owner = name.toLowerCase() + '.';
  return entries.find((e) => e.name.toLowerCase() === owner && (e.type === 'A' || e.type === 'CNAME')
    && e.kind === 'positive' && (!e.rank || e.rank === 'ANSWER'));
}

// ---- drawing ----
function phase(text) {
  const li = document.createElement('li');
  li.className = 'phase';
  li.textContent = text;
  $('#steps').appendChild(li);
}
function arrow(from, to, label, kind) {
  const a = LANES.indexOf(from), b = LANES.indexOf(to);
  const li = document.createElement('li');
  const div = document.createElement('div');
  const span = document.createElement('span');
  span.textContent = label;
  div.appendChild(span);
  div.className = 'arrow ' + (a === b ? 'self' : a < b ? 'right' : 'left') + (kind ? ' ' + kind : '');
  div.dataset.from = from;
  div.dataset.to = to;
  div.dataset.kind = kind || 'message';
  div.title = label;
  const lo = Math.min(a, b), hi = Math.max(a, b), span_ = hi - lo + 1;
  div.style.gridColumn = (lo + 1) + ' / ' + (hi + 2);
  if (a !== b) {
    div.style.marginLeft = div.style.marginRight = 'calc(50% / ' + span_ + ')';
  }
  li.appendChild(div);
  $('#steps').appendChild(li);
  return div;
}
// The recursor mixes letter case on the wire (0x20); names are shown in lower case.
const lowerOwner = (line) => { const f = line.trim().split(/\s+/); f[0] = f[0].toLowerCase(); return f.join(' '); };
const ms = (m) => (Math.round(m * 100) / 100) + ' ms';
function status(state, text) { $('#status').dataset.state = state; $('#status').textContent = text; }

// ---- the walk ----
async function go(name) {
  name = name.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/[/:].*$/, '').replace(/\.$/, '');
  $('#steps').innerHTML = '';
  status('running', 'looking up ' + name + ' ...');
  try {
    await labAddresses();
    phase('1) 캐시 확인: the browser checks four DNS caches, in order');
    let found = null, answeredBy = null;
    arrow('client', 'browser', '1. 브라우저 캐시: ' + name + '?', 'query');
    const browser = pageLookup('browser', name);
    if (browser) { found = browser; answeredBy = 'browser'; arrow('browser', 'client', 'hit: ' + browser.addresses.join(', ') + ' (TTL ' + browser.ttl + ' s left)', 'hit'); }
    else arrow('browser', 'client', 'miss', 'miss');
    if (!found) {
      arrow('client', 'os', '2. OS 캐시: system call getaddrinfo(' + name + ')', 'query');
      const os = pageLookup('os', name);
      if (os) { found = os; answeredBy = 'os'; arrow('os', 'client', 'hit: ' + os.addresses.join(', ') + ' (TTL ' + os.ttl + ' s left)', 'hit'); }
      else arrow('os', 'client', 'miss', 'miss');
    }
    if (!found) {
      const routerCache = (await getJson(lab.router + '/cache')).json;
      const hit = findEntry(routerCache, name);
      arrow('client', 'router', '3. 라우터 캐시: DNS query ' + name + ' A', 'query');
      if (hit) { answeredBy = 'router'; arrow('router', 'client', 'hit: ' + hit.type + ' (TTL ' + hit.ttl + ' s left)', 'hit'); }
      else {
        arrow('router', 'client', 'miss (the router forwards to the ISP)', 'miss');
        const ispCache = (await getJson(lab.recursor + '/cache')).json;
        const ispHit = findEntry(ispCache, name);
        arrow('router', 'isp', '4. ISP 캐시: ' + name + ' A', 'query');
        if (ispHit) { answeredBy = 'isp'; arrow('isp', 'router', 'hit: ' + ispHit.type + ' (TTL ' + ispHit.ttl + ' s left)', 'hit'); }
        else {
          arrow('isp', 'router', 'miss', 'miss');
          await walk(name);
        }
      }
      const resolved = await getJson(lab.router + '/resolve?name=' + encodeURIComponent(name) + '&type=A');
      const answer = resolved.json.answer || [];
      const addresses = answer.map((line) => line.trim().split(/\s+/)).filter((f) => f[3] === 'A').map((f) => f[4]);
      const ttl = Math.min.apply(null, answer.map((line) => Number(line.trim().split(/\s+/)[1])).concat([86400]));
      if (answeredBy !== 'router') arrow('isp', 'router', 'answer: ' + answer.map(lowerOwner).join(' | '), 'answer');
      if (!addresses.length) {
        arrow('router', 'client', resolved.json.rcode + ': no address for ' + name, 'miss');
        status('done', 'done: ' + name + ' has no address (' + resolved.json.rcode + ')');
        refreshCaches();
        return;
      }
      arrow('router', 'client', name + ' = ' + addresses.join(', ') + ' (TTL ' + ttl + ' s, ' + ms(resolved.millis) + ')', 'answer');
      pageStore(name, addresses, ttl);
      found = { addresses, ttl };
    } else {
      phase('2) DNS 서버 요청: not needed, the ' + answeredBy + ' cache had the address');
    }
    await connectAndFetch(name, found.addresses[0]);
    status('done', 'done: ' + name + ' = ' + found.addresses.join(', ') + ' (answered by: ' + (answeredBy || 'walk') + ')');
  } catch (e) {
    console.error(e);
    status('error', 'error: ' + e.message);
  }
  refreshCaches();
}

async function walk(name) {
  phase('2) DNS 서버 요청: the ISP\'s DNS recursor asks the name servers (recursive search)');
  const { json: trace } = await getJson(lab.recursor + '/trace?name=' + encodeURIComponent(name) + '&type=A');
  for (const step of trace.steps) {
    const role = step.server && LANES.includes(step.server.role) ? step.server.role : 'isp';
    const articleStep = { root: 'STEP 3-4', tld: 'STEP 5-6', authoritative: 'STEP 7-8' }[role] || 'STEP';
    const who = (step.server.name || '').toLowerCase() + ' (' + step.server.address + ')';
    // DNSSEC (dnssec.js): the lock of the zone this server was asked about, when the recursor validated.
    const security = dnssecOfZone(trace.dnssec, step.zone);
    const asked = arrow('isp', role, (security ? dnssecLock(security) + ' ' : '') + articleStep + ': '
      + step.question.name.toLowerCase() + ' ' + step.question.type + '? to ' + who, 'query');
    if (security) asked.dataset.dnssec = security;
    let said = step.reply;
    if (step.reply === 'REFERRAL') {
      const ns = step.authority.map((l) => l.trim().split(/\s+/)).filter((f) => f[3] === 'NS');
      said = 'referral: ask ' + (ns.length ? ns[0][0].toLowerCase() : '?') + ' at ' + ns.map((f) => f[4].toLowerCase()).join(' ');
    } else if (step.answer && step.answer.length) {
      said = step.reply.toLowerCase() + ': ' + step.answer.map(lowerOwner).join(' | ');
    }
    const back = arrow(role, 'isp', said + ' (' + ms(step.durationMillis) + ')', step.reply === 'REFERRAL' ? 'referral' : 'answer');
    back.dataset.reply = step.reply;
  }
  phase('the walk: ' + trace.upstreamQueries + ' queries, ' + ms(trace.durationMillis) + ', ' + trace.rcode);
  if (trace.dnssec) drawChainOfTrust(trace.dnssec, $('#steps'));
}

async function connectAndFetch(name, address) {
  phase('3) TCP 연결: three-way handshake with ' + address + ':80');
  arrow('client', 'web', 'SYN seq=x (client: SYN_SENT)', 'tcp');
  arrow('web', 'client', 'SYN-ACK seq=y ack=x+1 (server: SYN_RECEIVED)', 'tcp');
  arrow('client', 'web', 'ACK ack=y+1 (client: ESTABLISHED)', 'tcp');
  phase('4) HTTP 요청 / 응답: start line, headers, body');
  arrow('client', 'web', 'GET / HTTP/1.1 | Host: ' + name, 'http');
  // The page cannot read another site's response; it shows its own request to this web server instead,
  // exactly as the server received it, with the articles' header groups.
  const started = performance.now();
  const response = await fetch('/_lab/echo?format=json', { cache: 'no-store' });
  const echo = await response.json();
  const groups = echo.headers || {};
  const names = (group) => (groups[group] || []).map((h) => h.name).join(', ');
  arrow('client', 'web', 'your browser\'s request: ' + echo.startLine.method + ' ' + echo.startLine.target + ' ' + echo.startLine.version
    + ' | request headers: ' + names('request') + ' | general: ' + (names('general') || '-') + ' | representation: ' + (names('representation') || '-'), 'http');
  arrow('web', 'client', 'HTTP/1.1 ' + response.status + ' ' + (response.statusText || 'OK') + ' | Content-Type: '
    + response.headers.get('content-type') + ' (' + ms(performance.now() - started) + ')', 'http');
  phase('5) 브라우저 렌더링');
  arrow('client', 'client', 'render http://' + name + '/ : HTML -> DOM, CSS -> CSSOM, paint', 'render');
  phase('6) TCP 연결 종료');
  arrow('client', 'web', 'FIN (client: FIN_WAIT_1)', 'tcp');
  arrow('web', 'client', 'ACK, then FIN (server: CLOSE_WAIT, LAST_ACK)', 'tcp');
  arrow('client', 'web', 'ACK (client: TIME_WAIT)', 'tcp');
}

// ---- the cache table, TTLs counting down ----
async function refreshCaches() {
  try {
    await labAddresses();
    const [router, isp] = await Promise.all([getJson(lab.router + '/cache'), getJson(lab.recursor + '/cache')]);
    serverCaches = { router: router.json, isp: isp.json, fetchedAt: Date.now() };
  } catch (e) { /* the table shows what it has */ }
  drawCaches();
}
function drawCaches() {
  const rows = [];
  const caches = pageCaches();
  for (const cache of ['browser', 'os']) {
    for (const [name, entry] of Object.entries(caches[cache])) {
      rows.push({ cache, name: name + '.', type: 'A', expires: entry.expires, data: entry.addresses.join(', ') });
    }
  }
  for (const cache of ['router', 'isp']) {
    for (const e of serverCaches[cache]) {
      rows.push({ cache, name: e.name, type: e.type, expires: serverCaches.fetchedAt + e.ttl * 1000,
        data: (e.records || []).map((r) => r.trim().split(/\s+/).slice(4).join(' ')).join(', ') || e.kind });
    }
  }
  const label = { browser: '브라우저 캐시', os: 'OS 캐시', router: '라우터 캐시', isp: 'ISP 캐시' };
  const body = $('#caches tbody');
  body.innerHTML = '';
  for (const row of rows) {
    const tr = document.createElement('tr');
    tr.dataset.cache = row.cache;
    for (const [cls, text] of [['', label[row.cache]], ['', row.name], ['', row.type], ['ttl', ''], ['', row.data]]) {
      const td = document.createElement('td');
      td.className = cls;
      td.textContent = text;
      tr.appendChild(td);
    }
    tr.querySelector('.ttl').dataset.expires = row.expires;
    body.appendChild(tr);
  }
  tick();
}
function tick() {
  for (const td of document.querySelectorAll('#caches td.ttl')) {
    const left = Math.max(0, Math.ceil((Number(td.dataset.expires) - Date.now()) / 1000));
    td.textContent = left + ' s';
    td.parentElement.hidden = left === 0;
  }
}

async function flush() {
  localStorage.removeItem(STORE);
  await labAddresses();
  await Promise.allSettled([fetch(lab.router + '/cache/flush', { method: 'POST' }), fetch(lab.recursor + '/cache/flush', { method: 'POST' })]);
  $('#steps').innerHTML = '';
  status('idle', 'caches flushed');
  refreshCaches();
}

$('#ask').addEventListener('submit', (event) => { event.preventDefault(); go($('#name').value); });
$('#flush').addEventListener('click', flush);
setInterval(tick, 1000);
setInterval(refreshCaches, 10000);
if (params.get('name')) $('#name').value = params.get('name');
if (params.has('flush')) flush().then(() => { if (params.has('go')) go($('#name').value); });
else if (params.has('go')) go($('#name').value);
else refreshCaches();
