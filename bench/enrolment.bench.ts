// Issue 14's figures: promotion and whole-class graduation of a 40-child class end to end
// (HTTP request to answer, the service as a child process on the demo province), and the roster
// query of a 40-child class under 50 concurrent clients.
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';
import { api, demoDataFolder, httpFloor, percentile, processCpuMs, runLoad, sleep, startService, timed } from './service.js';

const CLASS_SIZE = 40;
const KG = '1141010004';

export interface EnrolmentBenchOptions {
  rounds: number;
  seconds: number;
  progress: (line: string) => void;
}

export async function benchEnrolment(options: EnrolmentBenchOptions): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dataDir = demoDataFolder('bench-enrolment-');
  const service = await startService(dataDir);
  try {
    const login = async (username: string) => (await api<{ token: string }>(service.url, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })).token;
    const business = await login(`${KG}-business`);
    const review = await login(`${KG}-review`);
    let n = 9_000_000;
    /** a class of 40 numbered children (entered, submitted and approved through the API) */
    const fullClass = async (name: string, grade: string): Promise<string> => {
      const ids: string[] = [];
      for (let i = 0; i < CLASS_SIZE; i++) {
        const idNumber = benchIdNumber(n++);
        const body = { name: '王小明', ...fromIdNumber(idNumber), idType: '1', idNumber, nationality: 'CHN', ethnicity: '01', householdCode: '410103', address: '郑州市二七区大学路 1 号', guardians: [{ name: '王大明', relation: '父亲', phone: '13800000000' }], confirmOverAge: true };
        ids.push((await api<{ id: string }>(service.url, 'POST', '/records', business, body)).id);
      }
      await api(service.url, 'POST', '/records/submit', business, { recordIds: ids });
      for (const id of ids) await api(service.url, 'POST', `/records/${id}/approve`, review);
      const { id } = await api<{ id: string }>(service.url, 'POST', '/classes', business, { name, grade, schoolYear: '2026-2027', teachers: ['李老师'] });
      await api(service.url, 'POST', `/classes/${id}/children`, business, { recordIds: ids });
      return id;
    };
    const promotions: number[] = [];
    const graduations: number[] = [];
    let rosterClass = '';
    for (let round = 0; round < options.rounds; round++) {
      options.progress(`enrolment round ${round + 1}/${options.rounds}: a 40-child 中班 promoted into an empty 大班, which then graduates`);
      const middle = await fullClass(`中${round}班`, '中班');
      const { id: big } = await api<{ id: string }>(service.url, 'POST', '/classes', business, { name: `大${round}班`, grade: '大班', schoolYear: '2026-2027', teachers: [] });
      const [promoted, promoteMs] = await timed(() => api<{ promoted: number }>(service.url, 'POST', `/classes/${middle}/promote`, business, { targetClassId: big }));
      if (promoted.promoted !== CLASS_SIZE) throw new Error(`promoted ${promoted.promoted}`);
      promotions.push(promoteMs);
      const [graduated, graduateMs] = await timed(() => api<{ graduated: number }>(service.url, 'POST', `/classes/${big}/graduate`, business, { leaveDate: '2027-07-05' }));
      if (graduated.graduated !== CLASS_SIZE) throw new Error(`graduated ${graduated.graduated}`);
      graduations.push(graduateMs);
    }
    rosterClass = await fullClass('花名册班', '小班');
    const floor = await httpFloor(service.url, 50, options.seconds);
    options.progress('roster of a 40-child class, 50 concurrent clients');
    const cpuBefore = processCpuMs(service.process.pid);
    const load = await runLoad({ url: service.url, connections: 50, duration: options.seconds, requests: [{ method: 'GET', path: `/api/v1/classes/${rosterClass}`, headers: { authorization: `Bearer ${business}` } }], expect: '"headCount":40' });
    // the projection worker's catch-up on the reads' audit entries is part of their cost
    await sleep(1500);
    const cpuAfter = processCpuMs(service.process.pid);
    const cpuPerRequest = cpuBefore === null || cpuAfter === null || load.requests === 0 ? null : (cpuAfter - cpuBefore) / load.requests;
    await api(service.url, 'POST', '/auth/logout', business);
    await api(service.url, 'POST', '/auth/logout', review);
    return {
      rows: [
        metric('promotion of a 40-child class (HTTP), p99', percentile(promotions, 0.99), 'ms', { atMost: 200 }),
        metric('whole-class graduation of 40 children (HTTP), p99', percentile(graduations, 0.99), 'ms', { atMost: 200 }),
        metric('roster of a 40-child class, 50 clients', load.perSecond, 'req/s', { atLeast: 2000 }),
        metric('roster of a 40-child class, 50 clients, p99', load.p99, 'ms'),
        ...(cpuPerRequest === null ? [] : [metric('roster of a 40-child class, service CPU per request (all threads)', cpuPerRequest, 'ms')]),
        metric('HTTP floor: GET /health, 50 connections (ceiling)', floor.perSecond, 'req/s'),
        metric('HTTP floor: GET /health p99 (the least latency a request sees at this load)', floor.p99, 'ms'),
      ],
      notes: { rounds: options.rounds, promotionsMs: promotions.map(Math.round), graduationsMs: graduations.map(Math.round), roster: { status: load.status, mismatches: load.mismatches, errors: load.errors } },
    };
  } finally {
    await service.stop();
  }
}
