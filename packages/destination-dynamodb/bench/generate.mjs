#!/usr/bin/env node
// Writes N Airbyte RECORD messages (about 200 bytes of data each) for one stream to stdout, with a
// STREAM state after every 10,000, respecting backpressure. Used by write.bench.mjs as the source.
import { fileURLToPath } from 'node:url';

/** The record data: about 200 bytes of JSON. */
export function data(i) {
  return {
    id: i,
    name: `customer ${i}`,
    email: `customer${i}@example.com`,
    amount: Math.round(i * 13.37) / 100,
    active: i % 3 !== 0,
    created_at: new Date(1_600_000_000_000 + i * 1000).toISOString(),
    country: ['NZ', 'FR', 'BR', 'JP'][i % 4],
  };
}

async function generate(n, stream) {
  for (let i = 0; i < n; ) {
    let chunk = '';
    for (let j = 0; j < 500 && i < n; j++, i++) {
      chunk += `${JSON.stringify({ type: 'RECORD', record: { stream, data: data(i), emitted_at: 1_700_000_000_000 } })}\n`;
      if (i % 10_000 === 9_999) {
        chunk += `${JSON.stringify({ type: 'STATE', state: { type: 'STREAM', stream: { stream_descriptor: { name: stream }, stream_state: { upTo: i } } } })}\n`;
      }
    }
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await generate(Number(process.argv[2] ?? 200_000), process.argv[3] ?? 'bench');
}
