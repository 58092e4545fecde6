import { SinkCircuit } from './circuit';

describe('SinkCircuit', () => {
  let now: number;
  let lines: string[];
  let circuit: SinkCircuit;
  beforeEach(() => {
    now = 1_000_000;
    lines = [];
    const record = (level: string) => (message: string) => lines.push(`${level} ${message}`);
    circuit = new SinkCircuit('hook', { log: record('log'), warn: record('warn') }, { failures: 5, probeInitialMs: 1000, probeMaxMs: 60_000 });
  });

  it('stays closed below the threshold, and a success resets the count', () => {
    for (let i = 0; i < 4; i++) expect(circuit.failed(now, 'HTTP 503')).toBeUndefined();
    expect(circuit.succeeded(now)).toBeUndefined();
    for (let i = 0; i < 4; i++) expect(circuit.failed(now, 'HTTP 503')).toBeUndefined();
    expect(circuit.state).toBe('closed');
    expect(circuit.gauge).toBe(0);
    expect(lines).toEqual([]);
  });

  it('opens after 5 failures in a row, probes on a doubling backoff up to the maximum, and closes when a probe gets through', () => {
    for (let i = 0; i < 4; i++) circuit.failed(now, 'HTTP 503');
    expect(circuit.failed(now, 'HTTP 503')).toBe('opened');
    expect([circuit.state, circuit.gauge, circuit.openedAt, circuit.nextProbeAt]).toEqual(['open', 1, now, now + 1000]);
    expect(circuit.startProbe(now + 999)).toBe(false);
    const waits: number[] = [];
    for (let probe = 0; probe < 9; probe++) {
      now = circuit.nextProbeAt;
      expect(circuit.startProbe(now)).toBe(true);
      expect([circuit.state, circuit.gauge]).toEqual(['half-open', 0.5]);
      expect(circuit.startProbe(now)).toBe(false); // one probe at a time
      expect(circuit.failed(now, 'connection refused')).toBeUndefined();
      waits.push(circuit.nextProbeAt - now);
    }
    expect(waits).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000]);
    now = circuit.nextProbeAt;
    circuit.startProbe(now);
    expect(circuit.succeeded(now)).toBe('closed');
    expect([circuit.state, circuit.openedAt]).toEqual(['closed', undefined]);
  });

  it('logs the sink going down and coming back once each, with a reminder at most once a minute', () => {
    for (let i = 0; i < 5; i++) circuit.failed(now, 'HTTP 503');
    for (let i = 0; i < 50; i++) {
      now += 2000;
      circuit.startProbe(now);
      circuit.failed(now, i === 49 ? 'connection refused' : 'HTTP 503');
    }
    circuit.startProbe(now + 60_000);
    circuit.succeeded(now + 60_000);
    circuit.succeeded(now + 61_000);
    expect(lines).toEqual([
      'warn sink hook is down after 5 failed attempts in a row (the last: HTTP 503): its deliveries wait and do not use their retries; probing it again in 1 s',
      'warn sink hook still down for 60 s: 30 more failed attempts, the last: HTTP 503',
      'log sink hook is back after 3 min (50 failed attempts while down): its waiting deliveries are sent now',
    ]);
  });

  it('honours a Retry-After longer than the probe backoff', () => {
    for (let i = 0; i < 4; i++) circuit.failed(now, 'HTTP 429');
    circuit.failed(now, 'HTTP 429', 30_000);
    expect(circuit.nextProbeAt).toBe(now + 30_000);
  });

  it('starts open when restored from the store, probing at once', () => {
    circuit.restore(now - 5000, now);
    expect([circuit.state, circuit.openedAt]).toEqual(['open', now - 5000]);
    expect(circuit.startProbe(now)).toBe(true);
    circuit.skipProbe(now);
    expect([circuit.state, circuit.nextProbeAt]).toEqual(['open', now + 1000]);
  });
});
