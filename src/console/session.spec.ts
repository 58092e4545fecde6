import { SessionKeys, readCookie, SignInLimiter, SESSION_MS } from './session';

describe('console sessions', () => {
  const keys = new SessionKeys('admin-token-1');
  const now = 1_800_000_000_000;

  it('accepts its own cookie until it expires, and nothing altered', () => {
    const { cookie, session } = keys.issue(now);
    expect(keys.verify(cookie, now + SESSION_MS - 1)).toEqual(session);
    expect(keys.verify(cookie, now + SESSION_MS)).toBeUndefined();
    const [payload, mac] = cookie.split('.');
    expect(keys.verify(`${payload}x.${mac}`, now)).toBeUndefined();
    expect(keys.verify(`${payload}.${mac.slice(1)}`, now)).toBeUndefined();
    expect(keys.verify(`${cookie}.x`, now)).toBeUndefined();
    expect(keys.verify(new SessionKeys('admin-token-2').issue(now).cookie, now)).toBeUndefined();
    expect(keys.verify(undefined, now)).toBeUndefined();
  });

  it('derives a CSRF token per session', () => {
    const a = keys.issue(now).session;
    const b = keys.issue(now).session;
    expect(keys.csrfMatches(a, keys.csrfToken(a))).toBe(true);
    expect(keys.csrfMatches(a, keys.csrfToken(b))).toBe(false);
    expect(keys.csrfMatches(a, undefined)).toBe(false);
    expect(keys.csrfMatches(a, ['x'])).toBe(false);
  });

  it('compares the typed token whole', () => {
    expect(keys.tokenMatches('admin-token-1')).toBe(true);
    expect(keys.tokenMatches('admin-token-')).toBe(false);
    expect(keys.tokenMatches('admin-token-1 ')).toBe(false);
  });

  it('reads one cookie from a Cookie header', () => {
    expect(readCookie('a=1; jb_console=x.y; b=2', 'jb_console')).toBe('x.y');
    expect(readCookie('xjb_console=1', 'jb_console')).toBeUndefined();
    expect(readCookie(undefined, 'jb_console')).toBeUndefined();
  });

  it('blocks an address after the limit of failures within the window, then lets it try again', () => {
    const limiter = new SignInLimiter(3, 60_000, 2);
    for (let i = 0; i < 3; i++) limiter.failed('1.1.1.1', now + i);
    expect(limiter.blocked('1.1.1.1', now + 10)).toBe(60_000 - 10);
    expect(limiter.blocked('2.2.2.2', now + 10)).toBe(0);
    expect(limiter.blocked('1.1.1.1', now + 60_000)).toBe(0);
    limiter.failed('2.2.2.2', now);
    limiter.failed('3.3.3.3', now); // over maxClients: the oldest address is forgotten
    expect(limiter.blocked('1.1.1.1', now + 10)).toBe(0);
  });
});
