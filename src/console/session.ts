import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const COOKIE = 'jb_console';
/** A session lasts a working day; signing in again starts a new one. */
export const SESSION_MS = 8 * 3600_000;

export interface Session {
  /** Random id: the CSRF token is derived from it, so a token from another session is refused. */
  sid: string;
  exp: number;
}

const b64 = (buf: Buffer) => buf.toString('base64url');

/**
 * Stateless sessions: the cookie carries its id and expiry, signed with a key derived from the admin token. Every
 * instance that has the token verifies it (no shared session table), and changing the token ends every session.
 */
export class SessionKeys {
  private readonly key: Buffer;
  private readonly tokenDigest: Buffer;

  constructor(adminToken: string) {
    this.key = createHmac('sha256', adminToken).update('jogg-bridge console session v1').digest();
    this.tokenDigest = digest(adminToken);
  }

  /** The admin token as typed at sign-in, compared in constant time (digests of equal length). */
  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(digest(candidate), this.tokenDigest);
  }

  issue(now: number): { cookie: string; session: Session } {
    const session: Session = { sid: b64(randomBytes(16)), exp: now + SESSION_MS };
    const payload = b64(Buffer.from(JSON.stringify(session)));
    return { cookie: `${payload}.${this.mac(payload)}`, session };
  }

  /** The session a cookie value proves, or undefined (unsigned, tampered, expired, malformed). */
  verify(cookie: string | undefined, now: number): Session | undefined {
    if (!cookie) return undefined;
    const [payload, mac, extra] = cookie.split('.');
    if (!payload || !mac || extra !== undefined) return undefined;
    if (!safeEqual(mac, this.mac(payload))) return undefined;
    try {
      const session = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Session;
      if (typeof session.sid !== 'string' || typeof session.exp !== 'number' || session.exp <= now) return undefined;
      return session;
    } catch {
      return undefined;
    }
  }

  csrfToken(session: Session): string {
    return this.mac(`csrf:${session.sid}`);
  }

  csrfMatches(session: Session, candidate: unknown): boolean {
    return typeof candidate === 'string' && safeEqual(candidate, this.csrfToken(session));
  }

  private mac(text: string): string {
    return b64(createHmac('sha256', this.key).update(text).digest());
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b));
}

/** The value of one cookie in a Cookie header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}

export function sessionCookie(value: string, secure: boolean, maxAgeS = SESSION_MS / 1000): string {
  return `${COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

/**
 * Sign-in attempts with a wrong token, per client address: after `limit` within `windowMs`, further attempts are
 * refused (429) until the window passes. Bounded memory: the oldest addresses are forgotten first.
 */
export class SignInLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(private readonly limit = 5, private readonly windowMs = 60_000, private readonly maxClients = 10_000) {}

  blocked(client: string, now: number): number {
    const recent = this.recent(client, now);
    return recent.length >= this.limit ? recent[0] + this.windowMs - now : 0;
  }

  failed(client: string, now: number): void {
    const recent = this.recent(client, now);
    recent.push(now);
    this.failures.delete(client);
    this.failures.set(client, recent);
    if (this.failures.size > this.maxClients) this.failures.delete(this.failures.keys().next().value!);
  }

  private recent(client: string, now: number): number[] {
    return (this.failures.get(client) ?? []).filter((at) => now - at < this.windowMs);
  }
}
