import type { ConnectorContext } from '@tributary/airbyte-protocol';

/** The protocol logger the runner hands to connectors (pino). */
export type Logger = ConnectorContext['logger'];
