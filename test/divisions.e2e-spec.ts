import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import { createFixtureApp } from './fixtures/fixture-app.js';
import { firstLogin } from './fixtures/sessions.js';

describe('divisions and custom divisions (HTTP, ministry deployment)', () => {
  let app: NestFastifyApplication;
  let http: ReturnType<typeof request>;
  let ministry: string;
  const auth = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    app = await createFixtureApp({ deploymentLevel: 'ministry', deploymentDivision: '000000', bootstrapAdminPassword: 'Init#Pass2026' });
    http = request(app.getHttpServer());
    ministry = await firstLogin(http, 'admin', 'Init#Pass2026');
  });
  afterAll(async () => {
    await app.close();
  });

  it('browses the GB/T 2260 tree', async () => {
    const provinces = await http.get('/api/v1/divisions').set(auth(ministry)).expect(200);
    expect(provinces.body.items).toHaveLength(34);
    const zhengzhou = await http.get('/api/v1/divisions').query({ parent: '410100' }).set(auth(ministry)).expect(200);
    expect(zhengzhou.body.items.map((d: { code: string }) => d.code)).toContain('410102');
    const county = await http.get('/api/v1/divisions/410102').set(auth(ministry)).expect(200);
    expect(county.body).toMatchObject({ name: '中原区', level: 'county', path: [{ name: '河南省' }, { name: '郑州市' }, { name: '中原区' }] });
    await http.get('/api/v1/divisions/419999').set(auth(ministry)).expect(404);
  });

  it('lets only the ministry create a custom division, which institutions can then sit in', async () => {
    const created = await http.post('/api/v1/divisions/custom').set(auth(ministry)).send({ code: '410199', name: '郑州高新技术产业开发区', parent: '410100', reason: '豫教函〔2026〕12号' }).expect(201);
    expect(created.body.events).toEqual(['CustomDivisionCreated']);
    const shown = await http.get('/api/v1/divisions/410199').set(auth(ministry)).expect(200);
    expect(shown.body).toMatchObject({ custom: true, path: [{ code: '410000' }, { code: '410100' }, { code: '410199' }] });

    const taken = await http.post('/api/v1/divisions/custom').set(auth(ministry)).send({ code: '410102', name: '重复', parent: '410100', reason: '测试重复' }).expect(400);
    expect(taken.body.message).toMatch(/已被使用/);
    const wrongParent = await http.post('/api/v1/divisions/custom').set(auth(ministry)).send({ code: '420199', name: '跨省', parent: '410100', reason: '测试前缀' }).expect(400);
    expect(wrongParent.body.errors[0]).toMatchObject({ field: 'code', code: 'custom-division-refused' });

    const province = await http.post('/api/v1/accounts').set(auth(ministry)).send({ username: 'henan-admin', realName: '河南管理员', level: 'province', role: 'admin', divisionCode: '410000' }).expect(201);
    const provinceToken = await firstLogin(http, 'henan-admin', province.body.initialPassword);
    const denied = await http.post('/api/v1/divisions/custom').set(auth(provinceToken)).send({ code: '410198', name: '自建区', parent: '410100', reason: '省里自己建' }).expect(403);
    expect(denied.body.code).toBe('ministry-admin-only');

    const csv = '机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号\n1141019901,高新区第一幼儿园,幼儿园,410199,公办,\n';
    const sync = await http.post('/api/v1/institution-registry/sync').set(auth(provinceToken)).set('Content-Type', 'text/csv').send(Buffer.from(csv)).expect(200);
    expect(sync.body.summary).toMatchObject({ registered: 1, invalid: 0 });

    // another province's file in the same ministry deployment leaves Henan's institutions alone
    const hubei = await http.post('/api/v1/accounts').set(auth(ministry)).send({ username: 'hubei-admin', realName: '湖北管理员', level: 'province', role: 'admin', divisionCode: '420000' }).expect(201);
    const hubeiToken = await firstLogin(http, 'hubei-admin', hubei.body.initialPassword);
    const other = await http.post('/api/v1/institution-registry/sync').set(auth(hubeiToken)).set('Content-Type', 'text/csv').send(Buffer.from('机构标识码,机构名称,机构类别,行政区划代码,办别,办学许可证号\n1142010001,武汉市江岸区第一幼儿园,幼儿园,420102,公办,\n')).expect(200);
    expect(other.body.summary).toMatchObject({ registered: 1, revoked: 0 });
    const henanFile = await http.post('/api/v1/institution-registry/sync').set(auth(provinceToken)).set('Content-Type', 'text/csv').send(Buffer.from(csv)).expect(200);
    expect(henanFile.body.summary).toMatchObject({ unchanged: 1, revoked: 0 });
    const wrongProvince = await http.post('/api/v1/institution-registry/sync').set(auth(hubeiToken)).set('Content-Type', 'text/csv').send(Buffer.from(csv)).expect(200);
    expect(wrongProvince.body.errors[0]).toMatchObject({ code: 'institution-outside-province' });
  });
});
