/** JoggAI's webhook signature, shared by the ingress (verifies), the CLI's trigger and the fake JoggAI (sign). */
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

/** JoggAI's signature: lowercase hex HMAC-SHA256 of the raw body, keyed with the secret's UTF-8 bytes. */
export function sign(raw: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

/**
 * True when `header` is the signature of `raw` under any of `secrets`. Every secret is tried (no early
 * exit) and each comparison is constant-time; a header of the wrong shape never matches and never throws.
 */
export function verifySignature(raw: Buffer, header: string | undefined, secrets: readonly string[]): boolean {
  if (typeof header !== 'string' || !HEX_SHA256.test(header)) return false;
  const given = Buffer.from(header, 'hex');
  let matched = false;
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (timingSafeEqual(expected, given)) matched = true;
  }
  return matched;
}
