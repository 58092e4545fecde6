// Side "bare": the ceiling of one Node thread. node:http, HMAC-SHA256 verify (constant-time) + JSON.parse + 200; writes nothing.
const { createServer } = require('node:http');
const { createHmac, timingSafeEqual } = require('node:crypto');

const secret = process.env.JOGG_WEBHOOK_SECRET;
const server = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/webhooks/jogg') return res.writeHead(404).end();
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-webhook-signature'] || ''), 'hex');
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid signature"}');
      return;
    }
    let body;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"malformed"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'accepted', event: body.event }));
  });
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
