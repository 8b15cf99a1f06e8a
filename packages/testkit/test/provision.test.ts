import { generatePom } from '../src/provision.js';
import { parseServerNames } from '../src/jest/servers.js';
import { CASSANDRA_CLASSPATH, KAFKA_CLASSPATH } from '../src/versions.js';

describe('generated pom', () => {
  test('names every artifact with its version', () => {
    const pom = generatePom(KAFKA_CLASSPATH);
    expect(pom).toContain('<artifactId>kafka_2.13</artifactId><version>3.9.2</version>');
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(pom).toContain('<packaging>pom</packaging>');
    expect(generatePom(CASSANDRA_CLASSPATH)).toMatch(/cassandra-all<\/artifactId><version>5\.0\.\d+</);
  });
});

describe('server names for jest globalSetup', () => {
  test('accepts arrays and comma lists', () => {
    expect(parseServerNames(['cassandra', 'kafka'])).toEqual(['cassandra', 'kafka']);
    expect(parseServerNames('dynamodb, kinesis')).toEqual(['dynamodb', 'kinesis']);
    expect(parseServerNames(undefined)).toEqual([]);
  });

  test('rejects unknown names', () => {
    expect(() => parseServerNames(['scylla'])).toThrow('unknown server "scylla"');
  });
});
