import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { ConfigError, loadConfig } from '../src/config/app-config.js';
import { createFixtureApp } from './fixtures/fixture-app.js';
import { TEST_ENV } from './fixtures/test-env.js';

const PORTAL = 'https://portal.jyt.henan.gov.cn';
const preflight = (http: ReturnType<typeof request>, origin: string) =>
  http.options('/api/v1/auth/login').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,authorization');

describe('CORS (issue 22, item 2)', () => {
  describe('with an allow-list', () => {
    let app: NestFastifyApplication;
    let http: ReturnType<typeof request>;
    beforeAll(async () => {
      app = await createFixtureApp({ corsOrigins: [PORTAL, 'http://localhost:8080'] });
      http = request(app.getHttpServer());
    });
    afterAll(async () => {
      await app.close();
    });

    it('answers an allowed origin’s preflight with the headers and methods it may use', async () => {
      const res = await preflight(http, PORTAL).expect(204);
      expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(res.headers['access-control-allow-methods']).toMatch(/POST/);
      expect(res.headers['access-control-allow-headers']).toMatch(/Authorization/i);
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    });

    it('lets an allowed origin read the answer headers a client needs', async () => {
      const res = await http.get('/health').set('Origin', PORTAL).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(PORTAL);
      expect(res.headers['access-control-expose-headers']).toMatch(/ETag/);
      expect(res.headers['access-control-expose-headers']).toMatch(/X-Log-Position/);
    });

    it('refuses another origin’s preflight with a problem, and gives it no CORS header on requests', async () => {
      const res = await preflight(http, 'https://evil.example.com').expect(403);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.body).toMatchObject({ code: 'cors-origin-refused' });
      expect(res.body.message).toMatch(/CORS_ORIGINS/);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await http.get('/health').set('Origin', 'https://evil.example.com').expect(200);
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('by default (no origins)', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await createFixtureApp();
    });
    afterAll(async () => {
      await app.close();
    });

    it('refuses every cross-origin preflight and sends no CORS header', async () => {
      const http = request(app.getHttpServer());
      expect((await preflight(http, PORTAL).expect(403)).body).toMatchObject({ code: 'cors-origin-refused' });
      expect((await http.get('/health').set('Origin', PORTAL).expect(200)).headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  it('reads CORS_ORIGINS as a comma-separated list and refuses what is not an origin', () => {
    expect(loadConfig({ ...TEST_ENV }).corsOrigins).toEqual([]);
    expect(loadConfig({ ...TEST_ENV, CORS_ORIGINS: `${PORTAL}, http://localhost:8080` }).corsOrigins).toEqual([PORTAL, 'http://localhost:8080']);
    expect(() => loadConfig({ ...TEST_ENV, CORS_ORIGINS: 'https://portal.example.cn/' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...TEST_ENV, CORS_ORIGINS: '*' })).toThrow(ConfigError);
  });
});
