// Issue 15's figures: a transfer between kindergartens end to end, application, agreement and
// completion, each timed from HTTP request to answer under 50 concurrent clients (the service as a
// child process on the demo province; every client moves its own children from 中原区 to 龙亭区).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_PASSWORD } from '../src/cli/demo-data.js';
import { benchIdNumber, fromIdNumber } from './children.js';
import { type Metric, metric } from './report.js';
import { api, demoDataFolder, httpFloor, percentile, processCpuMs, startService, timed } from './service.js';

const FROM = '1141010001';
const TO = '1141020001';

export interface TransfersBenchOptions {
  clients: number;
  /** transfers per client */
  perClient: number;
  progress: (line: string) => void;
}

export async function benchTransfers(options: TransfersBenchOptions): Promise<{ rows: Metric[]; notes: Record<string, unknown> }> {
  const dataDir = demoDataFolder('bench-transfers-');
  // a 30-working-day deadline from December reaches a year the holiday package may not cover yet:
  // the bench states weekends only for it (a deployment states the State Council's arrangement)
  const holidays = join(dataDir, '..', 'holidays.json');
  const nextYear = new Date().getUTCFullYear() + 1;
  writeFileSync(holidays, JSON.stringify({ source: 'bench: weekends only', years: [nextYear], holidays: [`${nextYear}-01-01`], workdays: [] }));
  const service = await startService(dataDir, { HOLIDAYS_FILE: holidays });
  try {
    const login = async (username: string) => (await api<{ token: string }>(service.url, 'POST', '/auth/login', undefined, { username, password: DEMO_PASSWORD })).token;
    const sending = await login(`${FROM}-business`);
    const review = await login(`${FROM}-review`);
    const receiving = await login(`${TO}-business`);
    const total = options.clients * options.perClient;
    // a few transfers, one after another and untimed, before the 50 clients: the figures are a
    // running service's; the very first one (code not yet compiled by V8) is reported on its own
    const warmUp = Math.max(1, Math.round(options.clients / 5));
    options.progress(`transfers: ${total + warmUp} numbered children entered at ${FROM} through the API`);
    const numbers: string[] = [];
    for (let start = 0; start < total + warmUp; start += 100) {
      const ids: string[] = [];
      for (let i = start; i < Math.min(total + warmUp, start + 100); i++) {
        const idNumber = benchIdNumber(7_000_000 + i);
        const body = { name: '王小明', ...fromIdNumber(idNumber), idType: '1', idNumber, nationality: 'CHN', ethnicity: '01', householdCode: '410102', address: '郑州市中原区建设路 1 号', guardians: [{ name: '王大明', relation: '父亲', phone: '13800000000' }], confirmOverAge: true };
        ids.push((await api<{ id: string }>(service.url, 'POST', '/records', sending, body)).id);
        numbers.push(`G${idNumber}`);
      }
      await api(service.url, 'POST', '/records/submit', sending, { recordIds: ids });
      await Promise.all(ids.map((id) => api(service.url, 'POST', `/records/${id}/approve`, review)));
    }
    const transfer = async (recordNumber: string) => {
      const [applied, applyMs] = await timed(() => api<{ id: string; status: string }>(service.url, 'POST', '/transfers', receiving, { recordNumber }));
      const [, agreeMs] = await timed(() => api(service.url, 'POST', `/transfers/${applied.id}/agree`, sending));
      const [done, completeMs] = await timed(() => api<{ status: string }>(service.url, 'POST', `/transfers/${applied.id}/complete`, receiving));
      if (done.status !== 'completed') throw new Error(`transfer ${applied.id} ended ${done.status}`);
      return { applyMs, agreeMs, completeMs };
    };
    options.progress(`transfers: ${warmUp} transfers one after another (warm-up, untimed but the first)`);
    const cold = await transfer(numbers[total]!);
    for (let i = 1; i < warmUp; i++) await transfer(numbers[total + i]!);
    const floor = await httpFloor(service.url, options.clients, 3);
    options.progress(`transfers: ${options.clients} clients, each applying, agreeing and completing ${options.perClient} transfers`);
    const applications: number[] = [];
    const agreements: number[] = [];
    const completions: number[] = [];
    const client = async (c: number) => {
      for (let i = 0; i < options.perClient; i++) {
        const { applyMs, agreeMs, completeMs } = await transfer(numbers[c * options.perClient + i]!);
        applications.push(applyMs);
        agreements.push(agreeMs);
        completions.push(completeMs);
      }
    };
    const cpuBefore = processCpuMs(service.process.pid);
    const [, wallMs] = await timed(() => Promise.all(Array.from({ length: options.clients }, (_, c) => client(c))));
    const cpuAfter = processCpuMs(service.process.pid);
    // the service's CPU (all its threads) per transfer step: what the machine's other work does not change much
    const cpuPerStep = cpuBefore === null || cpuAfter === null ? null : (cpuAfter - cpuBefore) / (total * 3);
    for (const token of [sending, review, receiving]) await api(service.url, 'POST', '/auth/logout', token);
    const at = `${options.clients} clients`;
    return {
      rows: [
        metric(`transfer application (HTTP), ${at}, p99`, percentile(applications, 0.99), 'ms', { atMost: 100 }),
        metric(`transfer agreement (HTTP), ${at}, p99`, percentile(agreements, 0.99), 'ms', { atMost: 100 }),
        metric(`transfer completion (HTTP), ${at}, p99`, percentile(completions, 0.99), 'ms', { atMost: 100 }),
        metric(`transfers completed end to end, ${at}`, (total / wallMs) * 1000, 'transfers/s'),
        ...(cpuPerStep === null ? [] : [metric('transfer step, service CPU per request (all threads)', cpuPerStep, 'ms')]),
        metric('first transfer after start, alone (cold): application + agreement + completion', cold.applyMs + cold.agreeMs + cold.completeMs, 'ms'),
        metric(`HTTP floor: GET /health, ${at} (ceiling)`, floor.perSecond, 'req/s'),
        metric('HTTP floor: GET /health p99 (the least latency a request sees at this load)', floor.p99, 'ms'),
      ],
      notes: { transfers: total, warmUp, cold, clients: options.clients, p50Ms: { application: percentile(applications, 0.5), agreement: percentile(agreements, 0.5), completion: percentile(completions, 0.5) } },
    };
  } finally {
    await service.stop();
  }
}
