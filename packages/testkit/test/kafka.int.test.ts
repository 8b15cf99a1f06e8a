import { kafkaClient } from '../src/clients.js';
import { startKafka } from '../src/start.js';
import type { KafkaEndpoint, Server } from '../src/types.js';
import { stopAndVerify, uniqueName } from './helpers.js';

describe('Kafka (KRaft) as a local process', () => {
  let server: Server<KafkaEndpoint>;

  beforeAll(async () => {
    const t0 = Date.now();
    server = await startKafka({ source: 'process' });
    process.stderr.write(`kafka ready in ${Date.now() - t0} ms\n`);
  }, 300_000);
  afterAll(() => server?.stop(), 60_000);

  test('advertises one broker on 127.0.0.1', () => {
    expect(server.endpoint.brokers).toEqual([expect.stringMatching(/^127\.0\.0\.1:\d+$/)]);
  });

  test('creates a topic, produces one message and consumes it', async () => {
    const kafka = kafkaClient(server.endpoint);
    const topic = uniqueName('topic');
    const admin = kafka.admin();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: uniqueName('group') });
    try {
      await admin.connect();
      expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(
        true,
      );
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'k1', value: 'hello from testkit' }] });
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const received = await new Promise<{ key?: string; value?: string }>((resolve) => {
        void consumer.run({
          eachMessage: async ({ message }) =>
            resolve({ key: message.key?.toString(), value: message.value?.toString() }),
        });
      });
      expect(received).toEqual({ key: 'k1', value: 'hello from testkit' });
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await admin.disconnect();
    }
  }, 60_000);

  test('stops cleanly', async () => {
    const port = Number(server.endpoint.brokers[0]?.split(':')[1]);
    await stopAndVerify(server, port);
  }, 60_000);
});
