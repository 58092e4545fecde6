import { createHmac } from 'node:crypto';

/** Signs a body the way JoggAI does (written independently of src/ on purpose). */
export function joggSignature(body: string | Buffer, secret: string): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

export function signedHeaders(body: string | Buffer, secret: string, event?: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-webhook-signature': joggSignature(body, secret),
    'user-agent': 'JoggAI-Webhook/2.0',
    ...(event ? { 'x-webhook-event': event } : {}),
  };
}
