// The ceiling: a bare node:http server that only verifies the HMAC and parses the JSON, nothing else.
const { createServer } = require('node:http');
const { createHmac, timingSafeEqual } = require('node:crypto');

const secret = process.env.JOGG_WEBHOOK_SECRET;
const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks);
    const given = Buffer.from(String(req.headers['x-webhook-signature'] || ''), 'hex');
    const expected = createHmac('sha256', secret).update(raw).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const body = JSON.parse(raw.toString('utf8'));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'accepted', event: body.event }));
  });
});
server.listen(Number(process.env.PORT || 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
