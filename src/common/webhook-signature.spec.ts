import { sign, verifySignature } from './webhook-signature';

// Vectors computed independently with `openssl dgst -sha256 -hmac <secret> -hex`.
const VECTORS = [
  {
    body: '{"event":"generated_image_failed","timestamp":1764115221,"data":{"photo_id":"photo_ea835eab58","error":"x"}}',
    secret: 'a1b2c3d4e5f6g7h8',
    hex: '781f4241c57d04defe306feafc10210be4a8e654a3bf893d532542c27ab9ce3f',
  },
  { body: 'hello', secret: 'whsec_abc123xyz', hex: '1995d676b2be89509b49b268455cfedeadc20a861603ac5432a5b97be0fca79f' },
  { body: 'héllo', secret: 'clé', hex: '91d9ef50d798155011df8385e8f772707a6ce937d8114ac1456f05231f2b6bad' },
];

describe('JoggAI signature', () => {
  it.each(VECTORS)('signs $secret vectors as lowercase hex of HMAC-SHA256 over the raw bytes', ({ body, secret, hex }) => {
    expect(sign(Buffer.from(body, 'utf8'), secret)).toBe(hex);
    expect(verifySignature(Buffer.from(body, 'utf8'), hex, [secret])).toBe(true);
  });

  it('uses the secret string as-is (no base64 decoding, no prefix stripping)', () => {
    const { body, hex } = VECTORS[1];
    expect(verifySignature(Buffer.from(body), hex, ['abc123xyz'])).toBe(false);
  });

  it('accepts a match under any secret of the keyring (rotation)', () => {
    const { body, secret, hex } = VECTORS[0];
    expect(verifySignature(Buffer.from(body), hex, ['old-secret', secret, 'newer'])).toBe(true);
  });

  it('rejects a tampered body, a wrong secret and an empty keyring', () => {
    const { body, secret, hex } = VECTORS[0];
    expect(verifySignature(Buffer.from(body.replace('x', 'y')), hex, [secret])).toBe(false);
    expect(verifySignature(Buffer.from(body), hex, ['other'])).toBe(false);
    expect(verifySignature(Buffer.from(body), hex, [])).toBe(false);
  });

  it('fails without throwing for wrong signatures of the right and of a wrong length', () => {
    const { body, secret, hex } = VECTORS[0];
    const raw = Buffer.from(body);
    const flipped = `${hex.slice(0, 63)}${hex[63] === '0' ? '1' : '0'}`;
    for (const header of [flipped, hex.slice(0, 62), `${hex}00`, '', 'sha256=' + hex, 'z'.repeat(64), undefined]) {
      expect(() => verifySignature(raw, header, [secret])).not.toThrow();
      expect(verifySignature(raw, header, [secret])).toBe(false);
    }
  });
});
