import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { child } from './fixtures/children.js';
import { useDemoApp } from './fixtures/demo-app.js';
import { createFixtureApp } from './fixtures/fixture-app.js';

const TOKEN = 'scraper-token-0123456789abcdef';

/** A sample's value from the Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('GET /metrics (Prometheus, issue 22 item 10)', () => {
  const demo = useDemoApp({ config: { metricsToken: TOKEN } });
  const scrape = async () => (await demo.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200)).text;

  it('answers a scraper with the token and no account session, and refuses one without it', async () => {
    const res = await demo.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await demo.http.get('/metrics').expect(401)).body.code).toBe('metrics-token');
    expect((await demo.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`).expect(401)).body.code).toBe('metrics-token');
    // an account's session is no metrics token
    expect((await demo.http.get('/metrics').set(await demo.as('1141010001-business')).expect(401)).body.code).toBe('metrics-token');
  });

  it('counts requests by route pattern, appends, refused logins, projection positions and reactor backlogs', async () => {
    const business = await demo.as('1141010001-business');
    const saved = await demo.http.post('/api/v1/records').set(business).send(child('王小明', '2022-03-15', 1)).expect(201);
    await demo.http.get(`/api/v1/records/${saved.body.id}`).set(business).expect(200);
    await demo.http.post('/api/v1/auth/login').send({ username: '1141010001-review', password: 'not the password' }).expect(401);
    await demo.http.post('/api/v1/records/imports').set(business).set('Content-Type', 'text/csv').send('a,b\n').expect(415);
    const text = await scrape();
    expect(sample(text, 'preschool_http_request_duration_seconds_count', { method: 'GET', route: '/api/v1/records/:id', status: '200' })).toBe(1);
    expect(text).not.toContain(saved.body.id); // the route pattern, never the raw URL
    expect(sample(text, 'preschool_login_failures_total', { reason: 'credentials' })).toBe(1);
    expect(sample(text, 'preschool_import_duration_seconds_count', { kind: 'template', status: '415' })).toBe(1);
    expect(sample(text, 'preschool_event_store_append_duration_seconds_count', { outcome: 'ok' })).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'preschool_event_store_head_position')).toBeGreaterThanOrEqual(saved.body.position);
    expect(sample(text, 'preschool_projection_position', { projection: 'records' })).toBeGreaterThan(0);
    expect(sample(text, 'preschool_projection_behind_events', { projection: 'records' })).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^preschool_reactor_backlog_events\{reactor="[^"]+"\} \d+$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  it('is refused: nothing about the service is public by default', async () => {
    const app = await createFixtureApp();
    try {
      const res = await request(app.getHttpServer()).get('/metrics').set('Authorization', 'Bearer anything-at-all-here').expect(403);
      expect(res.body.code).toBe('metrics-disabled');
    } finally {
      await app.close();
    }
  });
});
