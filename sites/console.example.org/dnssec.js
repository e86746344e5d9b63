// The chain of trust (DNSSEC) of a /trace answer, drawn for the lab console: a lock per step of the walk and
// per zone of the chain, and where a broken chain breaks. The shape it reads is the recursor's /trace "dnssec"
// block (recursor/README.md). Plain JavaScript, no libraries; console.js calls it, ConsoleIT tests it.
'use strict';

const DNSSEC_LOCKS = { SECURE: '\u{1F512}', INSECURE: '\u{1F513}', BOGUS: '\u274C', INDETERMINATE: '\u2753' };
const DNSSEC_WORDS = { SECURE: 'secure', INSECURE: 'insecure (unsigned)', BOGUS: 'bogus', INDETERMINATE: 'indeterminate' };

// 🔒 secure, 🔓 insecure, ❌ bogus, ❓ indeterminate; '' for no verdict.
function dnssecLock(security) { return DNSSEC_LOCKS[security] || ''; }

// The verdict on the zone a step's server was asked about (the step's "zone"), or null when not validated.
function dnssecOfZone(dnssec, zone) {
  if (!dnssec || !zone) return null;
  const link = dnssec.chain.find((l) => l.zone.toLowerCase() === zone.toLowerCase());
  return link ? link.security : null;
}

// "35439 13 2": a DS record's key tag, algorithm and digest type, from its zone-file line.
function dnssecDsKey(line) {
  const f = line.trim().split(/\s+/);
  const at = f.indexOf('DS');
  return at >= 0 ? f.slice(at + 1, at + 4).join(' ') : line.trim();
}

// "47402 KSK RSASHA256 (matches the DS)": a lone SEP key signs everything, a CSK.
function dnssecKey(key, keys) {
  const role = !key.secureEntryPoint ? 'ZSK' : keys.length === 1 ? 'CSK' : 'KSK';
  return key.tag + ' ' + role + ' ' + key.algorithmName + (key.trusted ? ' (matches the DS)' : '');
}

function dnssecItem(className, text, data) {
  const li = document.createElement('li');
  li.className = className;
  li.textContent = text;
  Object.assign(li.dataset, data || {});
  return li;
}

// Appends the chain of trust to `list` (the walk's <ol>): a heading with the verdict and its EDE, one item
// per zone from the trust anchor down (lock, reason, the DS from the parent, the DNSKEYs, which key signed
// what), and, for a bogus or indeterminate answer, the item that says where the chain breaks.
function drawChainOfTrust(dnssec, list) {
  const ede = dnssec.ede ? ', EDE ' + dnssec.ede.code + ' ' + dnssec.ede.name : '';
  list.appendChild(dnssecItem('phase dnssec', 'DNSSEC 신뢰 체인 (chain of trust) from the root\'s trust anchor: '
    + dnssecLock(dnssec.security) + ' ' + DNSSEC_WORDS[dnssec.security] + ede, { security: dnssec.security }));
  let parent = 'the trust anchor';
  for (const link of dnssec.chain) {
    const item = dnssecItem('dnssec-link', '', { zone: link.zone, security: link.security });
    const title = document.createElement('div');
    title.className = 'dnssec-zone';
    title.textContent = dnssecLock(link.security) + ' ' + link.zone + ' ' + DNSSEC_WORDS[link.security] + ': ' + link.reason;
    item.appendChild(title);
    const details = [];
    if (link.ds.length) details.push('DS from ' + parent + ': ' + link.ds.map(dnssecDsKey).join(', '));
    if (link.dnskeys.length) details.push('DNSKEY: ' + link.dnskeys.map((k) => dnssecKey(k, link.dnskeys)).join(', '));
    if (link.signatures.length) {
      details.push('signed: ' + link.signatures.map((s) => s.owner + ' ' + s.type + ' by key ' + s.keyTag + ' '
        + dnssecLock(s.result)).join(', '));
    }
    for (const text of details) {
      const line = document.createElement('div');
      line.className = 'dnssec-detail';
      line.textContent = text;
      item.appendChild(line);
    }
    list.appendChild(item);
    parent = link.zone;
  }
  if (dnssec.brokenAt) {
    list.appendChild(dnssecItem('dnssec-break', dnssecLock(dnssec.security) + ' The chain of trust breaks at '
      + dnssec.brokenAt + ': ' + dnssec.reason + ede, { brokenAt: dnssec.brokenAt }));
  }
}
