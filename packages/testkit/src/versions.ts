import type { ClasspathSpec } from './provision.js';

/**
 * Versions of the servers started as local processes. Bumping one gets a new cache folder; the old one
 * stays until deleted by hand.
 *
 * - Cassandra: the newest 5.0.x on Maven Central (5.0 is the first line that runs on JDK 17).
 * - Kafka: 3.9.x rather than 4.x because Kafka 4 removed the old protocol versions that kafkajs (the
 *   Node client used across the monorepo) still relies on for some requests.
 * - DynamoDB Local: 3.1.0, the newest 3.x whose AWS SDK dependencies all resolve from Maven Central
 *   (3.3.1 names software.amazon.awssdk 2.48.3 artifacts that the registry does not serve).
 */
export const CASSANDRA_VERSION = '5.0.9';
export const KAFKA_VERSION = '3.9.2';
export const DYNAMODB_LOCAL_VERSION = '3.1.0';

export const CASSANDRA_CLASSPATH: ClasspathSpec = {
  key: `cassandra-${CASSANDRA_VERSION}`,
  artifacts: [{ groupId: 'org.apache.cassandra', artifactId: 'cassandra-all', version: CASSANDRA_VERSION }],
};

export const KAFKA_CLASSPATH: ClasspathSpec = {
  key: `kafka-${KAFKA_VERSION}`,
  artifacts: [
    { groupId: 'org.apache.kafka', artifactId: 'kafka_2.13', version: KAFKA_VERSION },
    // Kafka 3.9 only declares the log4j 1 API at compile time; this binding makes the broker log.
    { groupId: 'org.slf4j', artifactId: 'slf4j-reload4j', version: '1.7.36' },
  ],
};

export const DYNAMODB_CLASSPATH: ClasspathSpec = {
  key: `dynamodb-${DYNAMODB_LOCAL_VERSION}`,
  artifacts: [
    { groupId: 'software.amazon.dynamodb', artifactId: 'DynamoDBLocal', version: DYNAMODB_LOCAL_VERSION },
  ],
};
