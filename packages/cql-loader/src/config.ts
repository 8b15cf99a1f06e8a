import { secret } from '@tributary/airbyte-protocol';
import { z } from 'zod';
import { CONSISTENCY_LEVELS } from './connection.js';

/** Cassandra refuses TTLs above 20 years. */
export const MAX_TTL_SECONDS = 630_720_000;
export const DEFAULT_WRITE_CONCURRENCY = 1024;
export const DEFAULT_REQUEST_TIMEOUT_MS = 12_000;

export const LAYOUTS = ['typed', 'raw'] as const;
export type Layout = (typeof LAYOUTS)[number];

/** `dc1:3,dc2:3` → { dc1: 3, dc2: 3 }; throws with a message naming the bad entry. */
export function parseDatacenterFactors(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const entry of value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9_.-]+)\s*:\s*(\d+)$/.exec(entry);
    if (!m || Number(m[2]) < 1) throw new Error(`"${entry}" is not <data centre>:<replication factor>`);
    out[m[1]!] = Number(m[2]);
  }
  if (Object.keys(out).length === 0) throw new Error('name at least one data centre, e.g. "dc1:3,dc2:3"');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building blocks: each destination composes its config object from these.
// ---------------------------------------------------------------------------------------------

export const keyspaceField = z.string().min(1).meta({
  title: 'Keyspace',
  description: 'Default keyspace to create data in (streams without a namespace).',
});

export const usernameField = z.string().optional().meta({
  title: 'Username',
  description: 'Username to use to access the cluster; leave empty when it has no authentication.',
});

export const passwordField = secret(
  z.string().optional().meta({ title: 'Password', description: 'Password associated with the username.' }),
);

export const addressField = z
  .string()
  .min(1)
  .meta({
    title: 'Address',
    description:
      'Address of the cluster: one or more contact points separated by commas, each a host name or IP, optionally with :port.',
    examples: ['localhost,127.0.0.1', 'node1.example.com:9042,node2.example.com:9042'],
  });

export const portField = z.int().min(0).max(65536).default(9042).meta({
  title: 'Port',
  description: 'Port of the CQL native transport (used for contact points without their own port).',
});

export const replicationField = z.int().min(1).default(1).meta({
  title: 'Replication factor',
  description: 'Replication factor of new keyspaces (SimpleStrategy).',
});

export const tlsField = z
  .object({
    enabled: z
      .boolean()
      .default(false)
      .meta({ title: 'Enabled', description: 'Connect with TLS (client-to-node encryption).' }),
    ca_certificate: z.string().optional().meta({
      title: 'CA certificate',
      description: 'PEM of the CA that signed the server certificates; empty to trust the system CAs.',
      multiline: true,
    }),
    client_certificate: z.string().optional().meta({
      title: 'Client certificate',
      description: 'PEM client certificate, when the cluster requires client authentication.',
      multiline: true,
    }),
    client_key: secret(
      z.string().optional().meta({
        title: 'Client key',
        description: 'PEM private key of the client certificate.',
        multiline: true,
      }),
    ),
    verify_hostname: z.boolean().default(true).meta({
      title: 'Verify host name',
      description: 'Check that the server certificate names the host connected to.',
    }),
  })
  .optional()
  .meta({ title: 'TLS', description: 'Encryption of the connection to the cluster.' });

export const consistencyField = z.enum(CONSISTENCY_LEVELS).default('LOCAL_QUORUM').meta({
  title: 'Write consistency',
  description: 'Consistency level of every write; a state is acknowledged only after its rows reached it.',
});

export const replicationStrategyField = z
  .enum(['SimpleStrategy', 'NetworkTopologyStrategy'])
  .default('SimpleStrategy')
  .meta({
    title: 'Replication strategy',
    description:
      'Strategy of keyspaces this connector creates: SimpleStrategy with the replication factor above, or NetworkTopologyStrategy with a factor per data centre.',
  });

export const datacentersField = z
  .string()
  .optional()
  .meta({
    title: 'Data centres',
    description: 'For NetworkTopologyStrategy: replication factor per data centre, e.g. "dc1:3,dc2:3".',
    examples: ['dc1:3,dc2:3'],
  });

export const requestTimeoutField = z.int().min(100).max(600_000).default(DEFAULT_REQUEST_TIMEOUT_MS).meta({
  title: 'Request timeout (ms)',
  description: 'Client-side timeout of one request; timed-out writes are retried.',
});

export const writeConcurrencyField = z.int().min(1).max(8192).default(DEFAULT_WRITE_CONCURRENCY).meta({
  title: 'Write concurrency',
  description: 'Rows being written at once across all streams (a batch counts its rows).',
});

export const DEFAULT_BATCH_ROWS = 16;

export const batchRowsField = z.int().min(1).max(100).default(DEFAULT_BATCH_ROWS).meta({
  title: 'Rows per batch',
  description:
    'Rows sent together in one unlogged batch (at most about 4 KiB of values) when every node of the local data centre holds every row of the keyspace (one node, or a replication factor at least the node count), so a batch costs no extra hop. Otherwise, and with 1, each row is its own token-aware write.',
});

export const layoutField = z.enum(LAYOUTS).optional().meta({
  title: 'Table layout',
  description:
    '"typed": one column per top-level field of the stream schema plus Airbyte metadata columns. "raw": the upstream layout, the record as JSON in _airbyte_data. Configs without this key (made for the upstream connector) keep "raw".',
  default: 'typed',
});

export const ttlField = z
  .int()
  .min(1)
  .max(MAX_TTL_SECONDS)
  .optional()
  .meta({ title: 'TTL (seconds)', description: 'Time to live of written rows; empty keeps rows forever.' });

export const nativeCollectionsField = z.boolean().default(false).meta({
  title: 'Native collections',
  description:
    'Typed layout: store arrays and maps of primitive values as CQL list/map columns instead of JSON text.',
});

/** The shape both destinations share; `datacenter` differs and is passed in. */
export function cqlConfigShape<D extends z.ZodType<string | undefined>>(datacenter: D) {
  return {
    keyspace: keyspaceField,
    username: usernameField,
    password: passwordField,
    address: addressField,
    port: portField,
    datacenter,
    replication: replicationField,
    tls: tlsField,
    consistency: consistencyField,
    replication_strategy: replicationStrategyField,
    datacenters: datacentersField,
    request_timeout_ms: requestTimeoutField,
    write_concurrency: writeConcurrencyField,
    write_batch_rows: batchRowsField,
    layout: layoutField,
    ttl_seconds: ttlField,
    native_collections: nativeCollectionsField,
  };
}

/** Cross-field checks: NetworkTopologyStrategy needs `datacenters`, a client certificate needs its key. */
export function refineCqlConfig(value: CqlConfig, ctx: z.core.$RefinementCtx): void {
  if (value.replication_strategy === 'NetworkTopologyStrategy') {
    if (!value.datacenters) {
      ctx.addIssue({
        code: 'custom',
        path: ['datacenters'],
        message: 'NetworkTopologyStrategy needs a replication factor per data centre, e.g. "dc1:3,dc2:3"',
      });
    } else {
      try {
        parseDatacenterFactors(value.datacenters);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['datacenters'], message: (err as Error).message });
      }
    }
  }
  if (value.tls?.client_certificate && !value.tls.client_key) {
    ctx.addIssue({
      code: 'custom',
      path: ['tls', 'client_key'],
      message: 'a client certificate needs its private key',
    });
  }
}

/** The config both destinations parse into (Scylla's `datacenter` may be absent). */
export interface CqlConfig {
  keyspace: string;
  username?: string | undefined;
  password?: string | undefined;
  address: string;
  port: number;
  datacenter?: string | undefined;
  replication: number;
  tls?:
    | {
        enabled: boolean;
        ca_certificate?: string | undefined;
        client_certificate?: string | undefined;
        client_key?: string | undefined;
        verify_hostname: boolean;
      }
    | undefined;
  consistency: (typeof CONSISTENCY_LEVELS)[number];
  replication_strategy: 'SimpleStrategy' | 'NetworkTopologyStrategy';
  datacenters?: string | undefined;
  request_timeout_ms: number;
  write_concurrency: number;
  write_batch_rows: number;
  layout?: Layout | undefined;
  ttl_seconds?: number | undefined;
  native_collections: boolean;
  [extra: string]: unknown;
}

/** Builds a destination's config schema: the shared shape, unknown keys kept (as upstream). */
export function cqlConfigSchema<D extends z.ZodType<string | undefined>>(datacenter: D) {
  return z
    .looseObject(cqlConfigShape(datacenter))
    .superRefine((v, ctx) => refineCqlConfig(v as CqlConfig, ctx));
}

/** The layout a config asks for: absent means an upstream config, which keeps the upstream raw layout. */
export function effectiveLayout(config: Pick<CqlConfig, 'layout'>): Layout {
  return config.layout ?? 'raw';
}
