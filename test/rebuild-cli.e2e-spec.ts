import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { rebuildProjections } from '../src/cli/rebuild.js';
import type { AppConfig } from '../src/config/app-config.js';
import { APP_CONFIG } from '../src/shared/infrastructure/tokens.js';
import { physicalCollection } from '../src/shared/projections/projection-definition.js';
import { SqliteReadStore } from '../src/shared/read-store/sqlite.read-store.js';
import { createFixtureApp, fixtureSchemaDir, quietLogger } from './fixtures/fixture-app.js';
import { LEDGER_EVENTS } from './fixtures/ledger/ledger.decider.js';
import { ledgerAccountsProjection } from './fixtures/ledger/ledger.projection.js';

describe('projection rebuild', () => {
  it('replays the log into the projection and gives the same documents the service built', async () => {
    const app = await createFixtureApp();
    const config = app.get<AppConfig>(APP_CONFIG);
    const http = request(app.getHttpServer());
    let position = 0;
    for (let i = 0; i < 12; i++) {
      const id = `r-${randomUUID()}`;
      await http.post('/api/v1/test-ledger/accounts').set('X-Test-Actor', 'a:b:c').send({ accountId: id, owner: `o${i % 2}` }).expect(201);
      position = (await http.post(`/api/v1/test-ledger/accounts/${id}/deposits`).set('X-Test-Actor', 'a:b:c').send({ amount: i + 1 }).expect(200)).body.position;
    }
    const before = (await http.get('/api/v1/test-ledger/accounts').query({ limit: 100 }).set('X-Min-Position', String(position)).expect(200)).body.items;
    await app.close();

    const reports = await rebuildProjections({ config, projections: [ledgerAccountsProjection], events: LEDGER_EVENTS, names: ['ledger-accounts'], schemaDirs: [fixtureSchemaDir()], logger: quietLogger });
    // the whole log is replayed (the deployment bootstrap's account events too), ending at the last command's position
    expect(reports).toEqual([expect.objectContaining({ name: 'ledger-accounts', version: 1, events: position, position })]);

    const reads = new SqliteReadStore(join(config.dataDir, 'read-models.sqlite'));
    const after = (await reads.find(physicalCollection(ledgerAccountsProjection, 'accounts'), {}, { sort: [['balance', 'desc']], limit: 100 })).items;
    expect(after).toEqual(before);
    expect(await reads.getCheckpoint('ledger-accounts@v1')).toBe(position);
    await reads.close();

    await expect(rebuildProjections({ config, projections: [ledgerAccountsProjection], events: LEDGER_EVENTS, names: ['nope'], logger: quietLogger })).rejects.toThrow(/unknown projection.*nope.*ledger-accounts/);
  });
});
