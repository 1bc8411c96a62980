import { describe, expect, it } from '@jest/globals';
import { JsonLogger } from './json-logger.js';
import { redactUrl } from './redaction.js';

const capture = (level: 'debug' | 'info' = 'info') => {
  const lines: string[] = [];
  return { lines, logger: new JsonLogger(level, (line) => lines.push(line)) };
};

describe('the JSON logger (pino)', () => {
  it('writes one JSON object per line: ISO time, level as a word, msg, the fields; below its level nothing', () => {
    const { lines, logger } = capture();
    logger.debug('hidden');
    logger.info('listening', { port: 3000 });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toEqual({ time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), level: 'info', msg: 'listening', port: 3000 });
  });

  it('keeps an error’s type, message and stack', () => {
    const { lines, logger } = capture();
    logger.error('request failed', { error: new TypeError('boom') });
    const entry = JSON.parse(lines[0]!);
    expect(entry.error).toMatchObject({ type: 'TypeError', message: 'boom', stack: expect.stringContaining('json-logger.spec') });
    logger.fatal(new Error('nest failed'), 'Bootstrap');
    expect(JSON.parse(lines[1]!)).toMatchObject({ msg: 'nest failed', context: 'Bootstrap', error: { stack: expect.stringContaining('at ') } });
  });

  it('redacts children’s personal fields wherever a caller put them', () => {
    const { lines, logger } = capture();
    logger.warn('odd record', { recordId: 'r-1', name: '王小明', record: { idNumber: '410102202203150018', guardians: [{ name: '王大明' }] }, deep: { a: { phone: '13800000000' } } });
    const line = lines[0]!;
    for (const secret of ['王小明', '410102202203150018', '王大明', '13800000000']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ recordId: 'r-1', name: '[redacted]', record: { idNumber: '[redacted]', guardians: '[redacted]' } });
  });

  it('scrubs ID-number- and mobile-shaped runs from free text, keeps other numbers', () => {
    const { lines, logger } = capture();
    logger.error('request failed', { error: new Error('duplicate key id:410102202203150018 for 11010519491231002X, call 13800000000'), position: 1234567890123, sha: 'a1'.repeat(32) });
    const line = lines[0]!;
    for (const secret of ['410102202203150018', '11010519491231002X', '13800000000']) expect(line).not.toContain(secret);
    expect(JSON.parse(line)).toMatchObject({ position: 1234567890123, sha: 'a1'.repeat(32), error: { message: 'duplicate key id:[redacted] for [redacted], call [redacted]' } });
  });

  it('blanks personal query parameters in URLs and keeps the rest', () => {
    expect(redactUrl('/api/v1/records?name=%E7%8E%8B&idNumber=410102202203150018&status=saved')).toBe('/api/v1/records?name=[redacted]&idNumber=[redacted]&status=saved');
    expect(redactUrl('/api/v1/records/abc')).toBe('/api/v1/records/abc');
    expect(redactUrl('/x?IDNUMBER=1&limit=5')).toBe('/x?IDNUMBER=[redacted]&limit=5');
  });
});
