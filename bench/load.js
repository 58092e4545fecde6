#!/usr/bin/env node
// The load generator, run as its own process so it never shares a thread (or a core's turn) with what it measures.
// Every request is a distinct, signed ~315-byte JoggAI event (or one of a small pool when DUP_POOL is set).
// Usage: node bench/load.js <url> <secret> <seconds> <connections> <id-prefix> [overall rate/s]
// Prints one JSON line: autocannon's figures plus this process's own CPU seconds.
const autocannon = require('autocannon');
const { createHmac } = require('node:crypto');

const [url, secret, seconds, connections, prefix, rate] = process.argv.slice(2);
const pool = Number(process.env.DUP_POOL || 0);
let seq = 0;
const bodyFor = (n) => JSON.stringify({
  event_id: `${prefix}-${String(n).padStart(7, '0')}`,
  event: 'generated_video_success',
  timestamp: Math.floor(Date.now() / 1000),
  data: {
    video_id: `vid_${prefix}_${n}`,
    status: 'completed',
    url: `https://res.jogg.ai/videos/${prefix}/${n}/output_1080p.mp4`,
    cover_url: `https://res.jogg.ai/covers/${prefix}/${n}/cover.jpg`,
    duration: 30,
    avatar_id: 1024,
  },
});

const cpu0 = process.cpuUsage();
autocannon({
  url: `${url}/webhooks/jogg`,
  connections: Number(connections),
  duration: Number(seconds),
  ...(rate ? { overallRate: Number(rate) } : {}),
  requests: [{
    method: 'POST',
    setupRequest(req) {
      seq += 1;
      const body = bodyFor(pool ? seq % pool : seq);
      const headers = { 'content-type': 'application/json', 'x-webhook-event': 'generated_video_success', 'x-webhook-signature': createHmac('sha256', secret).update(body).digest('hex') };
      return { ...req, body, headers };
    },
  }],
}, (err, r) => {
  if (err) {
    console.error(err);
    process.exit(1);
  }
  const cpu = process.cpuUsage(cpu0);
  console.log(JSON.stringify({
    rps: r.requests.average, total: r.requests.total, sent: seq, ok2xx: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts,
    p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max, durationS: r.duration, loadgenCpuS: (cpu.user + cpu.system) / 1e6,
  }));
});
