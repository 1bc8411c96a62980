// The synthetic province (npm run generate): institutions, accounts and children written as the
// service writes them. Every event is decided by the service's own deciders, checked against its
// schema and appended through the EventStore port of a running service (CommandPath.prepareOn /
// commit); the read models are built by that service's projections, the way production builds them.
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Principal } from '../accounts/contracts/index.js';
import { AccountService } from '../accounts/application/account.service.js';
import { SessionService } from '../accounts/application/session.service.js';
import { createApp } from '../bootstrap.js';
import type { AppConfig } from '../config/app-config.js';
import { ROLE_LABELS } from '../organisation/application/registry-sync.service.js';
import { defaultDivisionTree } from '../organisation/domain/divisions.js';
import { institutionDecider, institutionStream } from '../organisation/domain/institution.decider.js';
import { Deduplication } from '../records/application/deduplication/deduplication.js';
import { dedupeKey } from '../records/domain/child.js';
import { dedupeKeyDecider, dedupeKeyStream } from '../records/domain/dedupe-key.decider.js';
import { dedupeKeyHash } from '../records/application/deduplication/key-hash.js';
import { KEYED_HASHER, type KeyedHasher } from '../shared/personal-data/keyed-hash.js';
import { jSequenceDecider } from '../records/domain/j-sequence.decider.js';
import { type RecordState, type RecordStatus, recordDecider, recordStream } from '../records/domain/record.decider.js';
import { gRecordNumber, jSequenceStream } from '../records/domain/record-number.js';
import { type CommandContext, CommandPath, type PreparedAppend } from '../shared/command/command-path.js';
import type { Decider, DomainEvent } from '../shared/domain/decider.js';
import { EVENT_STORE, type EventStore } from '../shared/event-store/event-store.port.js';
import type { Logger } from '../shared/logging/json-logger.js';
import { CLOCK, type Clock, isoNow } from '../shared/time/clock.js';
import { ProjectionManager } from '../shared/projections/projection-manager.js';
import {
  type ChildPlan,
  IdNumberAllocator,
  type PlannedInstitution,
  RECORD_STATES,
  Random,
  type TargetState,
  countiesOf,
  planChild,
  planInstitutions,
  stateTable,
  twinOf,
} from './province-model.js';

/** Every account the generator activates has this password (a synthetic province: never a real deployment's). */
export const GENERATED_PASSWORD = 'Province#2026';
const INITIAL_ADMIN_PASSWORD = 'Province#Initial2026';
/** What the generator leaves in the data folder beside the stores: counts, seed, accounts. */
export const MANIFEST_FILE = 'generated-province.json';
const DEDUPLICATION_REACTOR = 'province-deduplication';

export interface GenerateOptions {
  /** the service configuration: a fresh embedded data folder, the deployment's province */
  config: AppConfig;
  /** children in the province, duplicates and bench children included */
  children: number;
  seed: number;
  /** share of children whose ID number a child in another institution also has (they end as problem records once both are submitted) */
  duplicateShare: number;
  /** share of children without an ID number (证件类型 Z, J number when approved) */
  withoutIdShare: number;
  stateShares: Record<TargetState, number>;
  /** kindergartens whose business and review accounts are created and activated, for the HTTP benchmarks */
  benchInstitutions: number;
  /** extra children of each bench institution left saved (to submit) and de-duplicated (to approve) */
  benchSaved: number;
  benchPassed: number;
  /** children decided and appended together: each step of theirs is one group commit */
  chunkChildren?: number;
  /** the service's log lines (warnings and errors) */
  logger: Logger;
  /** the business time of the generated records (the system clock when unset) */
  clock?: Clock;
  progress?: (line: string) => void;
}

export interface BenchInstitution {
  code: string;
  name: string;
  divisionCode: string;
  business: string;
  review: string;
}

export interface ProvinceManifest {
  generatedAt: string;
  seed: number;
  province: string;
  options: Omit<GenerateOptions, 'config' | 'logger' | 'progress'>;
  counts: {
    institutions: number;
    counties: number;
    children: number;
    byState: Partial<Record<RecordStatus, number>>;
    withoutIdNumber: number;
    overAge: number;
    duplicatePairs: number;
    events: number;
  };
  seconds: { setup: number; institutions: number; accounts: number; records: number; projections: number; reactor: number; total: number };
  accounts: { password: string; admin: string; bench: BenchInstitution[] };
  notes: string[];
}

type Cursor = { state: unknown; revision: number };

/**
 * Decides commands on streams held in memory and appends them later, in causal order: each
 * append goes into the wave after both the previous append of its own flow (one child's, or a
 * pair of duplicates') and the previous append on its stream. Each wave is one concurrent group,
 * so the embedded store writes it as one transaction.
 */
class Batch {
  private readonly cursors = new Map<string, Cursor>();
  private readonly lastWave = new Map<string, number>();
  private steps: Array<{ prepared: PreparedAppend<unknown>; wave: number }> = [];

  constructor(
    private readonly commands: CommandPath,
    /** cursors of streams shared across batches (J-number sequences) */
    private readonly kept: Map<string, Cursor>,
  ) {}

  state<S>(streamId: string, decider: { initialState: S }): S {
    return ((this.cursors.get(streamId) ?? this.kept.get(streamId))?.state ?? decider.initialState) as S;
  }

  decide<C, S, E extends DomainEvent>(flow: { wave: number }, streamId: string, decider: Decider<C, S, E>, command: C, context: CommandContext, keep = false): PreparedAppend<S> {
    const cursors = keep ? this.kept : this.cursors;
    const cursor = cursors.get(streamId) ?? { state: decider.initialState, revision: -1 };
    const prepared = this.commands.prepareOn({ streamId, decider, command, context }, cursor as { state: S; revision: number });
    if (prepared.events.length === 0) return prepared;
    const wave = Math.max(flow.wave, this.lastWave.get(streamId) ?? -1) + 1;
    flow.wave = wave;
    this.lastWave.set(streamId, wave);
    cursors.set(streamId, { state: prepared.state, revision: cursor.revision + prepared.events.length });
    this.steps.push({ prepared: prepared as PreparedAppend<unknown>, wave });
    return prepared;
  }

  /** Appends every decided step, wave after wave; answers the number of events written. */
  async commit(): Promise<number> {
    const waves: Array<Array<PreparedAppend<unknown>>> = [];
    let events = 0;
    for (const { prepared, wave } of this.steps) {
      (waves[wave] ??= []).push(prepared);
      events += prepared.events.length;
    }
    for (const wave of waves) if (wave) await Promise.all(wave.map((p) => this.commands.commit(p)));
    this.steps = [];
    this.cursors.clear();
    this.lastWave.clear();
    return events;
  }
}

const seconds = (since: bigint): number => Number(process.hrtime.bigint() - since) / 1e9;

/**
 * Writes a synthetic province into a fresh data folder through a running service:
 * 1. the bootstrap administrator's first login (password changed, as every account here);
 * 2. the institutions as one registry-sync batch (the sync's own command, ApplyRegistryEntry)
 *    and, for the bench kindergartens only, the three accounts the sync creates;
 * 3. the children, chunk by chunk, each through the commands the service runs for it (save,
 *    submit, province de-duplication, approval with a G or J number), decided in memory on the
 *    streams' states and appended with their expected revisions. The de-duplication reactor is
 *    paused meanwhile (it would race the generator for the key streams) and then replays every
 *    submission from the log, as after any restart; the projection worker builds the read
 *    models while the events arrive.
 */
export async function generateProvince(options: GenerateOptions): Promise<ProvinceManifest> {
  const started = process.hrtime.bigint();
  const say = options.progress ?? (() => {});
  const { config } = options;
  if (config.eventStoreUrl || config.mongodbUrl || existsSync(join(config.dataDir, 'events.sqlite'))) {
    throw new Error(`the generator needs a fresh embedded data folder; ${config.dataDir} already has data (set --data-dir or DATA_DIR to another folder)`);
  }
  const random = new Random(options.seed);
  const tree = defaultDivisionTree();
  const province = config.deploymentDivision;
  const counties = countiesOf(tree, province);
  const elsewhere = tree.all().filter((d) => d.level === 'county' && !d.code.startsWith(province.slice(0, 2)) && Number(d.code.slice(0, 2)) < 70);
  const institutions = planInstitutions(tree, {
    province,
    children: options.children,
    duplicateShare: options.duplicateShare,
    benchInstitutions: options.benchInstitutions,
    benchChildren: options.benchSaved + options.benchPassed,
  }, random);
  // the second records of shared ID numbers make up the rest, spread evenly over the children with one
  const planned = institutions.reduce((n, p) => n + p.size + (p.bench ? options.benchSaved + options.benchPassed : 0), 0);
  const twinsPerChild = Math.max(0, options.children - planned) / Math.max(1, planned);

  const app = await createApp({ config: { ...config, bootstrapAdminPassword: INITIAL_ADMIN_PASSWORD }, logger: options.logger, ...(options.clock ? { clock: options.clock } : {}) });
  const timing = { setup: 0, institutions: 0, accounts: 0, records: 0, projections: 0, reactor: 0, total: 0 };
  const counts: ProvinceManifest['counts'] = { institutions: institutions.length, counties: counties.length, children: 0, byState: {}, withoutIdNumber: 0, overAge: 0, duplicatePairs: 0, events: 0 };
  const bench: BenchInstitution[] = [];
  try {
    const accounts = app.get(AccountService);
    const sessions = app.get(SessionService);
    const commands = app.get(CommandPath);
    const manager = app.get(ProjectionManager);
    const events = app.get<EventStore>(EVENT_STORE);
    const clock = app.get<Clock>(CLOCK);
    const hasher = app.get<KeyedHasher>(KEYED_HASHER);
    const system = { actor: { accountId: 'generator', role: 'system', organisationId: province }, correlationId: `generate-${randomUUID()}`, causationId: null };

    /** The real first login: log in with the initial password, set the known one, log out. */
    const activate = async (username: string, initial: string): Promise<void> => {
      const { token } = await sessions.login(username, initial, system);
      const principal = (await sessions.authenticate(token))!;
      await sessions.changePassword(principal, initial, GENERATED_PASSWORD, { ...system, actor: actorOf(principal) });
      await sessions.logout(principal, system);
    };
    await activate('admin', INITIAL_ADMIN_PASSWORD);
    const admin = (await sessions.authenticate((await sessions.login('admin', GENERATED_PASSWORD, system)).token))!;
    timing.setup = seconds(started);

    // 2. the registry sync's batch: every institution registered by the province administrator
    let phase = process.hrtime.bigint();
    const sync: CommandContext = { actor: actorOf(admin), correlationId: randomUUID(), causationId: null };
    const batchId = randomUUID();
    for (let i = 0; i < institutions.length; i += 2000) {
      await Promise.all(institutions.slice(i, i + 2000).map(({ entry }) =>
        commands.commitStart(commands.prepareStart({ streamId: institutionStream(entry.code), decider: institutionDecider, command: { type: 'ApplyRegistryEntry', entry, batchId }, context: sync }))));
    }
    timing.institutions = seconds(phase);
    say(`${institutions.length} institutions registered in ${counties.length} county-level divisions (${timing.institutions.toFixed(1)} s)`);

    // the sync's three accounts for each bench kindergarten (the others have none: an scrypt hash each would take hours)
    phase = process.hrtime.bigint();
    const actors = new Map<string, { business: CommandContext['actor']; review: CommandContext['actor'] }>();
    const benchOnes = institutions.filter((p) => p.bench);
    const accountProgress = progressLine(benchOnes.length, (done, percent) =>
      say(`accounts: ${done} of ${benchOnes.length} bench kindergartens (${percent} %, ${done * 3} accounts, ${seconds(phase).toFixed(1)} s)`));
    for (let i = 0; i < benchOnes.length; i += 4) {
      await Promise.all(benchOnes.slice(i, i + 4).map(async ({ entry }) => {
        const ids: Record<string, string> = {};
        for (const { username, role } of AccountService.institutionUsernames(entry.code)) {
          const created = await accounts.create({ username, realName: `${entry.name}${ROLE_LABELS[role]}`, level: 'institution', role, divisionCode: entry.divisionCode, institutionCode: entry.code }, sync);
          ids[role] = created.accountId;
          if (role !== 'admin') await activate(username, created.initialPassword);
        }
        actors.set(entry.code, { business: { accountId: ids['business']!, role: 'business', organisationId: entry.code }, review: { accountId: ids['review']!, role: 'review', organisationId: entry.code } });
        bench.push({ code: entry.code, name: entry.name, divisionCode: entry.divisionCode, business: `${entry.code}-business`, review: `${entry.code}-review` });
      }));
      // each account costs an scrypt hash and a first login: say how far it is (it used to be a silent minute)
      accountProgress(Math.min(i + 4, benchOnes.length));
    }
    await sessions.logout(admin, system);
    timing.accounts = seconds(phase);
    say(`${bench.length} bench kindergartens with activated business and review accounts (${timing.accounts.toFixed(1)} s)`);

    // 3. the children
    phase = process.hrtime.bigint();
    const reactor = manager.reactor(DEDUPLICATION_REACTOR);
    await reactor.stop();
    const ids = new IdNumberAllocator();
    const states = stateTable(options.stateShares);
    const kept = new Map<string, Cursor>();
    const batch = new Batch(commands, kept);
    const order = random.shuffle([...institutions]);
    const chunkChildren = options.chunkChildren ?? 2000;
    const actorFor = (code: string, role: 'business' | 'review'): CommandContext['actor'] =>
      actors.get(code)?.[role] ?? { accountId: `generated:${code}-${role}`, role, organisationId: code };
    /** a request of the institution's account: its own correlation id */
    const request = (code: string, role: 'business' | 'review'): CommandContext => ({ actor: actorFor(code, role), correlationId: randomUUID(), causationId: null });
    let chunk: string[] = [];
    let lastSaid = Date.now();

    /** One child's record through the steps of its target state, as the service's handlers run them. */
    const enter = (institution: PlannedInstitution, plan: ChildPlan, target: TargetState, flow = { wave: -1 }): string => {
      // one instant per child: its steps are decided together, as one registrar's session would
      const at = isoNow(clock);
      const { code, divisionCode } = institution.entry;
      const recordId = randomUUID();
      const stream = recordStream(recordId);
      const steps: readonly string[] = RECORD_STATES[target].steps;
      batch.decide(flow, stream, recordDecider, { type: 'SaveRecord', recordId, institutionCode: code, divisionCode, child: plan.child, confirmOverAge: plan.overAge, importRef: null, at }, request(code, 'business'));
      counts.children++;
      if (!plan.child.idNumber) counts.withoutIdNumber++;
      if (plan.overAge) counts.overAge++;
      chunk.push(recordId);
      if (!steps.includes('submit')) return recordId;
      const submitted = batch.decide(flow, stream, recordDecider, { type: 'SubmitRecord', at }, request(code, 'business'));
      if (steps.includes('deduplicate')) {
        // as Deduplication.check does: claim the key on its own stream; the sole holder passes, every holder of a shared key is
        // flagged (their duplicate case is opened by the de-duplication reactor when it replays the submissions below)
        const state = batch.state(stream, recordDecider);
        const key = state.dedupeKey!;
        const hash = dedupeKeyHash(hasher, key);
        const context = Deduplication.contextFor(submitted.events[0]!);
        const claim = batch.decide(flow, dedupeKeyStream(hash), dedupeKeyDecider, { type: 'ClaimKey', keyHash: hash, recordId, institutionCode: code, newCaseId: randomUUID(), at }, context);
        if (claim.state.claimants.length === 1) batch.decide(flow, stream, recordDecider, { type: 'PassDeduplication', dedupeKey: key, at }, context);
        else for (const holder of claim.state.claimants) batch.decide(flow, recordStream(holder.recordId), recordDecider, { type: 'FlagAsDuplicate', caseId: claim.state.caseId!, keyHash: hash, dedupeKey: key, at }, context);
      }
      const state = batch.state(stream, recordDecider);
      if (steps.includes('approve') && state.status === 'dedupe-passed') {
        // as ReviewRecordHandler does: G + ID number, or the next J number of the county and birth date
        const review = request(code, 'review');
        const child = state.child!;
        let recordNumber: string;
        if (child.idType === '1' && child.idNumber) recordNumber = gRecordNumber(child.idNumber);
        else {
          const areaCode = state.divisionCode.slice(0, 6);
          const reserved = batch.decide(flow, jSequenceStream(areaCode, child.birthDate), jSequenceDecider, { type: 'ReserveJNumber', areaCode, birthDate: child.birthDate, recordId, at }, review, true);
          recordNumber = reserved.state.byRecord[recordId]!;
        }
        batch.decide(flow, stream, recordDecider, { type: 'ApproveRecord', recordNumber, at }, review);
      }
      return recordId;
    };

    const flush = async (): Promise<void> => {
      // final states once every flow of the chunk is decided (a pair's first record may be flagged by its twin)
      for (const recordId of chunk) {
        const status = batch.state<RecordState>(recordStream(recordId), recordDecider).status;
        counts.byState[status] = (counts.byState[status] ?? 0) + 1;
      }
      chunk = [];
      counts.events += await batch.commit();
      if (Date.now() - lastSaid > 3000) {
        lastSaid = Date.now();
        const s = seconds(phase);
        say(`children: ${counts.children} of ${options.children} (${Math.floor((counts.children / options.children) * 100)} %), ${counts.events} events (${Math.round(counts.children / s)} children/s, ${Math.round(counts.events / s)} events/s)`);
      }
    };

    const context = { tree, province, counties, elsewhere, ids, at: isoNow(clock), withoutIdShare: options.withoutIdShare };
    let twinsOwed = 0;
    for (const institution of order) {
      const { code } = institution.entry;
      // children without an ID number are told apart by name, gender and birth date within the kindergarten
      const present = new Set<string>();
      const targets: TargetState[] = Array.from({ length: institution.size }, () => states.draw(random));
      if (institution.bench) targets.push(...Array<TargetState>(options.benchSaved).fill('saved'), ...Array<TargetState>(options.benchPassed).fill('dedupe-passed'));
      for (const target of targets) {
        let plan: ChildPlan;
        do plan = planChild(random, { ...context, county: institution.entry.divisionCode });
        while (!plan.child.idNumber && present.has(dedupeKey(plan.child, code)));
        if (!plan.child.idNumber) present.add(dedupeKey(plan.child, code));
        const flow = { wave: -1 };
        enter(institution, plan, target, flow);
        twinsOwed += twinsPerChild;
        if (plan.child.idNumber && twinsOwed >= 1) {
          twinsOwed--;
          // the same child entered by another kindergarten: one flow, so the second claim follows the first
          let other = random.pick(institutions);
          while (other === institution) other = random.pick(institutions);
          enter(other, twinOf(random, plan), states.draw(random), flow);
          counts.duplicatePairs++;
        }
        if (chunk.length >= chunkChildren) await flush();
      }
    }
    await flush();
    timing.records = seconds(phase);
    say(`${counts.children} children, ${counts.events} events written in ${timing.records.toFixed(1)} s; waiting for the projections`);

    // the read models, built by the service's projection worker while the events arrived
    phase = process.hrtime.bigint();
    await waitFor(manager, await events.headPosition(), say);
    timing.projections = seconds(phase);
    // the de-duplication reactor replays every submission from its checkpoint (each already has its outcome: nothing to write)
    phase = process.hrtime.bigint();
    reactor.start();
    const head = await events.headPosition();
    while (!(await reactor.waitFor(head, 5000))) say(`de-duplication reactor at ${reactor.processed} of ${head}`);
    await waitFor(manager, await events.headPosition(), say);
    timing.reactor = seconds(phase);
    counts.events = await events.headPosition();
  } finally {
    await app.close();
  }
  timing.total = seconds(started);
  const { config: _c, logger: _l, progress: _p, ...recorded } = options;
  const manifest: ProvinceManifest = {
    generatedAt: new Date().toISOString(),
    seed: options.seed,
    province,
    options: recorded,
    counts,
    seconds: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, Math.round(v * 10) / 10])) as ProvinceManifest['seconds'],
    accounts: { password: GENERATED_PASSWORD, admin: 'admin', bench: bench.sort((a, b) => a.code.localeCompare(b.code)) },
    notes: [
      'Events decided by the service deciders and appended through the EventStore port of a running service; read models built by its projections.',
      'Institutions registered as one registry-sync batch (ApplyRegistryEntry); accounts exist only for the bench kindergartens (the records of the others name generated:<code>-business/-review as actor).',
      'No classes: the code base has no class events yet, so records carry no classId.',
      'Every account listed here has the password above (first login done, password changed).',
    ],
  };
  writeFileSync(join(config.dataDir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

/**
 * Reports progress through `total` items as a percentage, at most once per 10 % step (and at
 * the end), so a long phase prints a line every few seconds rather than hundreds.
 */
export function progressLine(total: number, report: (done: number, percent: number) => void): (done: number) => void {
  let lastStep = -1;
  return (done) => {
    const percent = total === 0 ? 100 : Math.floor((done / total) * 100);
    const step = Math.floor(percent / 10);
    if (step === lastStep && done < total) return;
    lastStep = step;
    report(done, percent);
  };
}

async function waitFor(manager: ProjectionManager, head: number, say: (line: string) => void): Promise<void> {
  while (!(await manager.waitFor(head, 5000))) {
    const behind = (await manager.lag()).filter((p) => p.behind > 0).map((p) => `${p.name} ${p.position}/${p.head}`);
    say(`projections catching up: ${behind.join(', ')}`);
  }
}

const actorOf = (principal: Principal): CommandContext['actor'] => ({ accountId: principal.accountId, role: principal.role, organisationId: principal.organisationId });
