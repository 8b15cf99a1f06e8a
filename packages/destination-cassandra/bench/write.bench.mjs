// pnpm bench: records/s of `destination-cassandra write` beside the driver-alone ceiling and the
// upstream algorithm. Knobs: BENCH_RECORDS, BENCH_SMALL_RECORDS, BENCH_RECORD_BYTES,
// BENCH_CONCURRENCY, BENCH_UPSTREAM_RECORDS, BENCH_LAYOUT (typed|raw).
import { fileURLToPath } from 'node:url';
import { runWriteBench } from '../../cql-loader/bench/write-bench.mjs';

await runWriteBench({
  name: 'destination-cassandra',
  bin: fileURLToPath(new URL('../dist/bin.js', import.meta.url)),
});
