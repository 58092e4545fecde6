import { SinkHealthLog } from './sink-health-log';

describe('SinkHealthLog', () => {
  let now = 0;
  let lines: string[];
  let log: SinkHealthLog;
  beforeEach(() => {
    now = 1_000_000;
    lines = [];
    const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
    log = new SinkHealthLog({ log: record('log'), warn: record('warn'), error: record('error') }, () => now);
  });

  it('warns once when a sink starts failing, reminds at most once a minute, and says when it recovers', () => {
    log.failed('hook', 'HTTP 503');
    for (let i = 0; i < 50; i++) {
      now += 1000;
      log.failed('hook', 'HTTP 503');
    }
    now += 10_000;
    log.failed('hook', 'connection refused');
    log.delivered('hook');
    log.delivered('hook');
    expect(lines).toEqual([
      'warn sink hook is failing: HTTP 503; its deliveries are retried with backoff',
      'warn sink hook still failing for 60 s: 51 more failed attempts, the last: connection refused',
      'log sink hook delivers again after 60 s and 52 failed attempts',
    ]);
  });

  it('keeps sinks apart and says nothing about a sink that never failed', () => {
    log.delivered('file');
    log.failed('kafka', 'broker down');
    log.delivered('file');
    expect(lines).toEqual(['warn sink kafka is failing: broker down; its deliveries are retried with backoff']);
  });
});
