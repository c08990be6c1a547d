// MQTT.js side of `./smart bench mqtt` (tests/Benchmarks/MqttBenchmark.cs drives it).
//   node bench.js recv PORT QOS COUNT CLIENT_ID TOPIC   drain COUNT messages queued for a persistent session
//   node bench.js pub  PORT QOS COUNT TOPIC             publish COUNT 100-byte messages (QoS 0: then one QoS 1 barrier)
// Prints one JSON line: {"count":N,"seconds":S,"cpu_us":C} (C: process CPU time, user + system). MQTT 3.1.1, like the C# side.
'use strict';
const mqtt = require('mqtt');

const [mode, port, qosArg, countArg, ...rest] = process.argv.slice(2);
const qos = Number(qosArg);
const count = Number(countArg);
const url = `mqtt://127.0.0.1:${port}`;
const fail = (err) => { console.error(String(err)); process.exit(1); };
const cpuStart = process.cpuUsage();
const done = (start, n) => {
  const [s, ns] = process.hrtime(start);
  const cpu = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({ count: n, seconds: s + ns / 1e9, cpu_us: cpu.user + cpu.system }));
};

function recv(clientId, topic) {
  let received = 0;
  const start = process.hrtime();
  const client = mqtt.connect(url, { clientId, clean: false, protocolVersion: 4, reconnectPeriod: 0 });
  client.on('error', fail);
  client.on('message', (t) => {
    if (t !== topic) return;
    if (++received === count) {
      done(start, received);
      process.exit(0); // measured; MQTT.js acks already went out synchronously with the message event
    }
  });
}

function pub(topic) {
  const payload = Buffer.alloc(100, 0x61);
  const client = mqtt.connect(url, { clean: true, protocolVersion: 4, reconnectPeriod: 0 });
  client.on('error', fail);
  client.on('connect', () => {
    const start = process.hrtime();
    let acked = 0;
    const finish = () => { done(start, count); process.exit(0); };
    if (qos === 0) {
      for (let i = 0; i < count; i++) client.publish(topic, payload, { qos: 0 });
      client.publish(topic, payload, { qos: 1 }, (err) => (err ? fail(err) : finish()));
      return;
    }
    // Same window as the C# side (MaxInflight 1000): MQTT.js has no limit of its own and stalls once its
    // 65535 message ids are used up.
    let sent = 0;
    const next = () => {
      if (sent >= count) return;
      sent++;
      client.publish(topic, payload, { qos }, (err) => {
        if (err) fail(err);
        if (++acked === count) finish();
        else next();
      });
    };
    for (let i = 0; i < 1000; i++) next();
  });
}

if (mode === 'recv') recv(rest[0], rest[1]);
else if (mode === 'pub') pub(rest[0]);
else fail(`unknown mode ${mode}`);
