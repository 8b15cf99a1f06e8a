// Public API of @tributary/testkit: real servers on 127.0.0.1 for tests, benchmarks and the main job.
export type {
  AwsEndpoint,
  CassandraEndpoint,
  EndpointOf,
  KafkaEndpoint,
  Server,
  ServerName,
  ServerSource,
  StartOptions,
} from './types.js';
export { SERVER_NAMES } from './types.js';
export {
  startCassandra,
  startDynamoDb,
  startKafka,
  startKinesis,
  startServer,
  startServers,
  type CassandraOptions,
  type DynamoDbOptions,
  type KafkaOptions,
  type KinesisOptions,
} from './start.js';
export { CASSANDRA_TEST_USER } from './servers/cassandra.js';
export {
  cassandraClient,
  cassandraClientOptions,
  dynamoDbClient,
  kafkaClient,
  kinesisClient,
} from './clients.js';
export { probeServer } from './probes.js';
export {
  ENV,
  allEnvNames,
  endpointFromEnv,
  envFor,
  envForEndpoint,
  exportLines,
  requireEndpoint,
} from './env.js';
export { setupServers, teardownServers } from './jest/servers.js';
export { type SuiteServers, startServersForSuite } from './suite.js';
export { PortInUseError, ServerStartError, ToolchainError } from './errors.js';
export { listEntries, pruneInstances, reapOrphans, type RegistryEntry } from './registry.js';
export { type ProvisionResult, provisionClasspath } from './provision.js';
export { provisionServer } from './provision-server.js';
export { CASSANDRA_VERSION, DYNAMODB_LOCAL_VERSION, KAFKA_VERSION } from './versions.js';
export {
  awsError,
  type FaultDecision,
  type FaultPolicy,
  type FaultProxy,
  passThrough,
  type ProxiedRequest,
  startFaultProxy,
} from './fault-proxy.js';
export {
  type ConnectorRun,
  globalStateLine,
  globalStateMessage,
  line,
  type LiveRun,
  type Message,
  type RecordOptions,
  type RunConnectorOptions,
  type RunInput,
  recordLine,
  recordMessage,
  runConnector,
  type StreamStatus,
  streamStateLine,
  streamStateMessage,
  streamStatusLine,
  streamStatusMessage,
  TEST_EMITTED_AT,
  tempDir,
  writeJsonFile,
} from './connector-run.js';
