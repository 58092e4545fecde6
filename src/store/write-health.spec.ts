import { WriteHealth } from './write-health';

describe('WriteHealth', () => {
  let now = 1_000_000;
  beforeEach(() => jest.spyOn(Date, 'now').mockImplementation(() => now));
  afterEach(() => jest.restoreAllMocks());

  it('reports a refused write for the window, then forgets it', () => {
    const health = new WriteHealth(5000);
    expect(() => health.check()).not.toThrow();
    health.failed(new Error('store unavailable: database or disk is full'));
    now += 4999;
    expect(() => health.check()).toThrow('store unavailable: database or disk is full (a write was refused 5.0 s ago)');
    now += 1;
    expect(() => health.check()).not.toThrow();
  });

  it('forgets a refused write as soon as a write succeeds', () => {
    const health = new WriteHealth(5000);
    health.failed(new Error('full'));
    health.succeeded();
    expect(() => health.check()).not.toThrow();
  });
});
