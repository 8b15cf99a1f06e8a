export default {
  preset: '@tributary/testkit',
  globalSetup: '@tributary/testkit/jest/global-setup',
  globalTeardown: '@tributary/testkit/jest/global-teardown',
  globals: { tributaryServers: ['cassandra', 'dynamodb', 'kinesis'] },
};
