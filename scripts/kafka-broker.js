#!/usr/bin/env node
// A real single-node Kafka broker (KRaft, broker+controller) for tests and benchmarks, assembled from
// Maven Central jars; no Docker. See docs/KAFKA-TEST-BROKER.md. From the shell:
//   node scripts/kafka-broker.js fetch                  downloads the jars into the cache (about 47 MB)
//   node scripts/kafka-broker.js run [--port 9092]      runs a broker until Ctrl-C (its data is thrown away)
//   node scripts/kafka-broker.js console-consumer ...   Kafka's own kafka-console-consumer, e.g.
//       --bootstrap-server 127.0.0.1:9092 --topic jogg.events --from-beginning --property print.key=true
// Tests call start().
const { spawn, execFileSync } = require('node:child_process');
const { randomBytes } = require('node:crypto');
const { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { homedir, tmpdir } = require('node:os');
const { join } = require('node:path');
const { freePort } = require('./free-port');

// KAFKA_VERSION picks the broker: 3.9.x (the last line with ZooKeeper, still run widely) or 4.x (KRaft only,
// log4j2). CI runs the Kafka suite on both.
const KAFKA_VERSION = process.env.KAFKA_VERSION || '3.9.1';
/** The versions the test suite runs against: the 3.9 line and the newest 4.x. */
const TESTED_VERSIONS = ['3.9.1', '4.4.0'];
const cacheOf = (version) => join(process.env.KAFKA_TEST_CACHE || join(homedir(), '.cache', 'jogg-bridge'), `kafka-${version}`);
const CACHE = cacheOf(KAFKA_VERSION);
const major = (version) => Number(version.split('.')[0]);
const JVM = ['-Xms128m', '-Xmx512m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1'];

/** 3.x logs through reload4j (log4j 1 API); 4.x through log4j2. */
const loggingDependencies = (version) => major(version) >= 4
  ? `<dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-core</artifactId><version>2.24.3</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-api</artifactId><version>2.24.3</version></dependency>`
  : `<dependency><groupId>ch.qos.reload4j</groupId><artifactId>reload4j</artifactId><version>1.2.25</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>`;

const pom = (version) => `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.jogg-bridge</groupId>
  <artifactId>kafka-test-broker</artifactId>
  <version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    ${loggingDependencies(version)}
    <!-- the console consumer; everything it needs besides its own jar is already in the broker's jars -->
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${version}</version>
      <exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>
  </dependencies>
  <build><plugins><plugin>
    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>3.8.1</version>
  </plugin></plugins></build>
</project>
`;

/** A logging config that writes to `logFile` (or, without one, errors only to stderr), and the JVM flag naming it. */
function loggingConfig(version, dir, logFile) {
  if (major(version) >= 4) {
    const file = join(dir, 'log4j2.properties');
    const appender = logFile
      ? ['appender.out.type = File', 'appender.out.name = OUT', `appender.out.fileName = ${logFile}`]
      : ['appender.out.type = Console', 'appender.out.name = OUT', 'appender.out.target = SYSTEM_ERR'];
    writeFileSync(file, ['status = error', ...appender, 'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n', `rootLogger.level = ${logFile ? 'info' : 'error'}`, 'rootLogger.appenderRef.out.ref = OUT', ''].join('\n'));
    return `-Dlog4j2.configurationFile=${file}`;
  }
  const file = join(dir, 'log4j.properties');
  const appender = logFile
    ? ['log4j.appender.out=org.apache.log4j.FileAppender', `log4j.appender.out.File=${logFile}`]
    : ['log4j.appender.out=org.apache.log4j.ConsoleAppender', 'log4j.appender.out.Target=System.err'];
  writeFileSync(file, [`log4j.rootLogger=${logFile ? 'INFO' : 'ERROR'}, out`, ...appender, 'log4j.appender.out.layout=org.apache.log4j.PatternLayout',
    'log4j.appender.out.layout.ConversionPattern=[%d] %p %m (%c)%n', ''].join('\n'));
  return `-Dlog4j.configuration=file:${file}`;
}

/** Downloads the broker's jars into the cache once (about 47 MB); a cache from before the tools jar is completed. */
function ensureJars(version = KAFKA_VERSION) {
  const cache = cacheOf(version);
  const libs = join(cache, 'libs');
  const complete = existsSync(join(libs, `kafka-tools-${version}.jar`)) && readdirSync(libs).filter((f) => f.endsWith('.jar')).length > 40;
  if (complete) return libs;
  mkdirSync(cache, { recursive: true });
  writeFileSync(join(cache, 'pom.xml'), pom(version));
  execFileSync('mvn', ['-q', '-B', '-f', join(cache, 'pom.xml'), 'dependency:copy-dependencies', `-DoutputDirectory=${libs}`, '-DincludeScope=runtime'], {
    stdio: 'inherit',
  });
  return libs;
}

function properties(dir, port, controllerPort) {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'auto.create.topics.enable=true',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'log.cleaner.dedupe.buffer.size=16777216',
    '',
  ].join('\n');
}

/** Waits until the broker answers metadata with itself as broker and controller. */
async function waitReady(brokers, child, logFile, timeoutMs) {
  const { Kafka, logLevel } = require('kafkajs');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Kafka exited with ${child.exitCode}:\n${tail(logFile)}`);
    const admin = new Kafka({ clientId: 'broker-probe', brokers: [brokers], logLevel: logLevel.NOTHING, retry: { retries: 0 }, connectionTimeout: 1000 }).admin();
    try {
      await admin.connect();
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length && cluster.controller !== null && cluster.controller !== undefined) return;
    } catch {
      // not yet
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`Kafka did not become ready in ${timeoutMs} ms:\n${tail(logFile)}`);
}

function tail(file) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-30).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts a throw-away broker on free loopback ports. Returns { brokers, stop(), restart(), kill() }:
 * stop() shuts it down gracefully (its data stays, so restart() brings the same broker back).
 */
async function start({ timeoutMs = 120_000, port: wantedPort, version = KAFKA_VERSION } = {}) {
  const libs = ensureJars(version);
  const dir = mkdtempSync(join(tmpdir(), 'jogg-kafka-'));
  mkdirSync(join(dir, 'tmp'));
  const port = wantedPort ?? (await freePort());
  const controllerPort = await freePort();
  const config = join(dir, 'server.properties');
  writeFileSync(config, properties(dir, port, controllerPort));
  const logFile = join(dir, 'server.log');
  const jvm = [...JVM, `-Djava.io.tmpdir=${join(dir, 'tmp')}`, loggingConfig(version, dir, logFile), '-cp', `${libs}/*`];
  const clusterId = randomClusterId();
  execFileSync('java', [...jvm, 'kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', config], { stdio: 'ignore' });
  const brokers = `127.0.0.1:${port}`;
  let child;
  const launch = async () => {
    child = spawn('java', [...jvm, 'kafka.Kafka', config], { stdio: 'ignore' });
    await waitReady(brokers, child, logFile, timeoutMs);
  };
  const stop = () =>
    new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  await launch();
  return {
    brokers,
    dir,
    version,
    stop,
    restart: launch,
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function randomClusterId() {
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

module.exports = { start, ensureJars, KAFKA_VERSION, TESTED_VERSIONS, CACHE };

/** Runs Kafka's console consumer with the cached jars (its own log lines go nowhere; records go to stdout). */
function consoleConsumer(args) {
  const libs = ensureJars();
  const child = spawn('java', [...JVM, loggingConfig(KAFKA_VERSION, CACHE), '-cp', `${libs}/*`, 'org.apache.kafka.tools.consumer.ConsoleConsumer', ...args], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 0 : code ?? 1));
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
}

function usage() {
  console.error('usage: [KAFKA_VERSION=x.y.z] node scripts/kafka-broker.js fetch | run [--port N] | console-consumer --bootstrap-server HOST:PORT --topic T [kafka-console-consumer options]');
  process.exit(2);
}

if (require.main === module) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'fetch') {
    // with no version named: every version the test suite runs against
    const versions = args.includes('--all') || !process.env.KAFKA_VERSION ? TESTED_VERSIONS : [KAFKA_VERSION];
    for (const version of versions) console.log(`Kafka ${version} jars in ${ensureJars(version)}`);
  } else if (command === 'run') {
    const at = args.indexOf('--port');
    const port = at >= 0 ? Number(args[at + 1]) : 9092;
    if (!Number.isInteger(port) || port <= 0 || port > 65535) usage();
    start({ port }).then(
      (broker) => {
        console.log(`Kafka ${KAFKA_VERSION} ready at ${broker.brokers} (Ctrl-C stops it; its data is thrown away)`);
        const stop = () => broker.destroy().then(() => process.exit(0));
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      },
      (error) => {
        console.error(`cannot start Kafka on port ${port}: ${error.message.split('\n')[0]}`);
        process.exit(1);
      },
    );
  } else if (command === 'console-consumer') {
    consoleConsumer(args);
  } else {
    usage();
  }
}
