// npm run demo: fills a fresh data folder with a sample province so a new user can try every role.
// Everything goes through the real command paths (registry sync, account creation, first-login
// password change), so the event log reads like a real deployment's.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Level, type Role } from '../accounts/contracts/index.js';
import { AccountService } from '../accounts/application/account.service.js';
import { SessionService } from '../accounts/application/session.service.js';
import { createApp } from '../bootstrap.js';
import { ConfigError, loadConfig } from '../config/app-config.js';
import { RegistrySyncService } from '../organisation/application/registry-sync.service.js';
import { CommandBus } from '@nestjs/cqrs';
import { RecordUnlicensed } from '../organisation/application/unlicensed.handlers.js';
import { JsonLogger } from '../shared/logging/json-logger.js';
import { DEMO_CLASS_INSTITUTION, loadDemoClasses } from './demo-classes.js';
import { DEMO_PASSWORD, DEMO_REGISTRY_CSV, DEMO_SCHOOL } from './demo-data.js';

const INITIAL_ADMIN_PASSWORD = 'Demo#Initial2026';

const OFFICES: Array<{ level: Level; divisionCode: string; name: string }> = [
  { level: 'province', divisionCode: '410000', name: '河南省' },
  { level: 'prefecture', divisionCode: '410100', name: '郑州市' },
  { level: 'county', divisionCode: '410102', name: '中原区' },
  { level: 'county', divisionCode: '410103', name: '二七区' },
  // a second prefecture: duplicates across prefectures are arbitrated by the province
  { level: 'prefecture', divisionCode: '410200', name: '开封市' },
  { level: 'county', divisionCode: '410202', name: '龙亭区' },
];
const ROLE_NAMES: Record<Role, string> = { admin: '系统管理员', business: '业务员', review: '审核员', leader: '领导', 'school-registrar': '小学学籍管理员' };

async function main(): Promise<void> {
  const config = { ...loadConfig(), bootstrapAdminPassword: INITIAL_ADMIN_PASSWORD };
  if (config.eventStoreUrl || config.mongodbUrl || existsSync(join(config.dataDir, 'events.sqlite'))) {
    throw new Error(`the demo needs a fresh embedded data folder; ${config.dataDir} already has data (set DATA_DIR to another folder, or remove it)`);
  }
  const app = await createApp({ config, logger: new JsonLogger('warn') });
  const accounts = app.get(AccountService);
  const sessions = app.get(SessionService);
  const context = { actor: { accountId: 'demo', role: 'system', organisationId: 'demo' }, correlationId: `demo-${randomUUID()}`, causationId: null };
  const rows: string[][] = [];

  /** The real first login: log in with the initial password, set the demo password, log out. */
  async function activate(username: string, initial: string): Promise<void> {
    const { token } = await sessions.login(username, initial, context);
    const principal = (await sessions.authenticate(token))!;
    await sessions.changePassword(principal, initial, DEMO_PASSWORD, { ...context, actor: { accountId: principal.accountId, role: principal.role, organisationId: principal.organisationId } });
    await sessions.logout(principal, context);
  }

  await activate('admin', INITIAL_ADMIN_PASSWORD);
  rows.push(['admin', '河南省 系统管理员 (province admin)']);
  for (const office of OFFICES) {
    for (const role of ['admin', 'business', 'review', 'leader'] as Role[]) {
      if (office.level === 'province' && role === 'admin') continue; // the bootstrap administrator
      const username = `${office.divisionCode}-${role}`;
      const created = await accounts.create({ username, realName: `${office.name}${ROLE_NAMES[role]}`, level: office.level, role, divisionCode: office.divisionCode, institutionCode: null }, context);
      await activate(username, created.initialPassword);
      rows.push([username, `${office.name} ${ROLE_NAMES[role]} (${office.level} ${role})`]);
    }
  }
  const admin = (await sessions.authenticate((await sessions.login('admin', DEMO_PASSWORD, context)).token))!;
  const sync = await app.get(RegistrySyncService).sync(admin, Buffer.from(DEMO_REGISTRY_CSV), context);
  for (const account of sync.accounts) {
    await activate(account.username, account.initialPassword);
    rows.push([account.username, `${account.institutionCode} ${ROLE_NAMES[account.role as Role]} (institution ${account.role})`]);
  }
  await sessions.logout(admin, context);
  const county = (await sessions.authenticate((await sessions.login('410102-business', DEMO_PASSWORD, context)).token))!;
  await app.get(CommandBus).execute(new RecordUnlicensed(county, { name: '小天使看护点', address: '中原区棉纺路 3 号院', children: 28, staff: 3, status: 'operating' }, context));
  await sessions.logout(county, context);
  const business = (await sessions.authenticate((await sessions.login(`${DEMO_CLASS_INSTITUTION}-business`, DEMO_PASSWORD, context)).token))!;
  const review = (await sessions.authenticate((await sessions.login(`${DEMO_CLASS_INSTITUTION}-review`, DEMO_PASSWORD, context)).token))!;
  const placed = await loadDemoClasses(app, business, review, context);
  await sessions.logout(business, context);
  await sessions.logout(review, context);
  await app.close();

  process.stdout.write(`\nDemo province loaded into ${config.dataDir}: 河南省 > 郑州市 > 中原区, 二七区; 开封市 > 龙亭区; ${sync.summary.registered} institutions.\n`);
  process.stdout.write(`${DEMO_CLASS_INSTITUTION} has a class of every grade (托一班, 小一班, 中一班, 大一班, 混龄一班) with ${placed} children: try promotion and graduation.\n`);
  process.stdout.write(
    `${DEMO_SCHOOL} 郑州市二七区实验小学 is a primary school (小学): as ${DEMO_SCHOOL}-registrar try the hand-over (学籍接续): GET /api/v1/handover/template, ` +
      `list children of ${DEMO_CLASS_INSTITUTION} (大一班, as ${DEMO_CLASS_INSTITUTION}-business sees them), POST the list to /api/v1/handover/lists, confirm and supplement.\n`,
  );
  process.stdout.write(`Every account's password is ${DEMO_PASSWORD}. Start the service on this folder with: DATA_DIR=${JSON.stringify(config.dataDir)} npm start, then POST /api/v1/auth/login.\n\n`);
  const width = Math.max(...rows.map((r) => r[0]!.length));
  for (const [username, who] of rows) process.stdout.write(`  ${username!.padEnd(width)}  ${who}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
