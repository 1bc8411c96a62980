// A small consumer of the change feed (docs/feed.md): keeps ./copy.json up to date.
// It stores its cursor together with the copy, after applying each page, so it can be killed at
// any moment and restarted: nothing is missed, nothing applied twice. Node 20+, no dependencies.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const base = process.env.FEED_URL ?? 'http://localhost:3000';
const { CLIENT_ID: clientId, CLIENT_SECRET: clientSecret } = process.env;
const file = process.argv[2] ?? './copy.json';
const follow = !process.argv.includes('--once');
if (!clientId || !clientSecret) throw new Error('set CLIENT_ID and CLIENT_SECRET');

const state = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : { cursor: '0', records: {}, institutions: {} };
let token = null;

async function newToken() {
  const res = await fetch(`${base}/api/v1/oauth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }),
  });
  if (!res.ok) throw new Error(`token refused: ${res.status} ${await res.text()}`);
  token = (await res.json()).access_token;
}

function apply(entry) {
  const { entity, id, kind, representation } = entry.data;
  const copy = entity === 'record' ? state.records : entity === 'institution' ? state.institutions : null;
  if (!copy) return; // a kind of a newer entity: skip it, keep the cursor moving
  if (kind === 'record.deleted') delete copy[id];
  else copy[id] = representation;
}

function save() {
  // write-then-rename: the copy and its cursor change together or not at all
  writeFileSync(`${file}.tmp`, JSON.stringify(state));
  renameSync(`${file}.tmp`, file);
}

for (;;) {
  if (!token) await newToken();
  const res = await fetch(`${base}/api/v1/feed?after=${state.cursor}&limit=500`, { headers: { Authorization: `Bearer ${token}` } });
  if (res.status === 401) { token = null; continue; }
  if (!res.ok) throw new Error(`feed: ${res.status} ${await res.text()}`);
  const page = await res.json();
  for (const entry of page.entries) apply(entry);
  state.cursor = page.next;
  save();
  if (page.entries.length) console.log(`applied ${page.entries.length} entries, cursor ${state.cursor}`);
  if (page.caughtUp) {
    if (!follow) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
}
console.log(`copy up to date: ${Object.keys(state.records).length} records, ${Object.keys(state.institutions).length} institutions`);
