import { secret } from '@tributary/airbyte-protocol';
import { z } from 'zod';

const TABLE_NAME = /^[a-zA-Z0-9_]{1,48}\.[a-zA-Z0-9_]{1,48}$/;
const PLACEMENTS = ['kafka-key', 'payload-after', 'payload-before', 'payload-key', 'kafka-headers'] as const;
const CONSISTENCY_LEVELS = [
  'ANY',
  'ONE',
  'TWO',
  'THREE',
  'QUORUM',
  'ALL',
  'LOCAL_QUORUM',
  'EACH_QUORUM',
  'SERIAL',
  'LOCAL_SERIAL',
  'LOCAL_ONE',
] as const;

const ms = (title: string, description: string, def: number) =>
  z.int().min(0).default(def).meta({ title, description });

/**
 * The source's config: the Scylla CDC Source Connector's property names as keys (so an existing
 * connector config carries over), with the connector's defaults, plus a few `tributary.*` keys.
 */
export const scyllaCdcConfigSchema = z
  .object({
    'topic.prefix': z
      .string()
      .regex(/^[a-zA-Z0-9_.-]+$/)
      .optional()
      .meta({
        title: 'Topic prefix (logical name)',
        description:
          'Unique name of the Scylla cluster, used in `source.name` of every event (the connector calls it ' +
          '`topic.prefix` since 1.2.3 and `scylla.name` before). One of the two is required.',
        always_show: true,
      }),
    'scylla.name': z
      .string()
      .regex(/^[a-zA-Z0-9_.-]+$/)
      .optional()
      .meta({
        title: 'Logical name (before 1.2.3)',
        description: 'The older name of `topic.prefix`; used when `topic.prefix` is not set.',
      }),
    'scylla.cluster.ip.addresses': z
      .string()
      .min(1)
      .meta({
        title: 'Contact points',
        description: 'Comma-separated `host:port` pairs of Scylla nodes to open the first connections to.',
        examples: ['127.0.0.1:9042,127.0.0.2:9042'],
      }),
    'scylla.table.names': z
      .string()
      .min(1)
      .meta({
        title: 'Tables',
        description: 'Comma-separated `keyspace.table` names of CDC-enabled tables to read.',
        examples: ['ks.my_table'],
      }),
    'scylla.user': z
      .string()
      .optional()
      .meta({ title: 'User', description: 'User name; no authentication when unset.' }),
    'scylla.password': secret(
      z.string().optional().meta({ title: 'Password', description: 'Password of the user.' }),
    ),
    'scylla.consistency.level': z
      .enum(CONSISTENCY_LEVELS)
      .default('QUORUM')
      .meta({ title: 'Consistency level', description: 'Consistency of the CDC log reads.' }),
    'scylla.local.dc': z.string().optional().meta({
      title: 'Local data centre',
      description: 'Prefer nodes of this data centre. Unset: the data centre of the first contact point.',
    }),
    'scylla.query.time.window.size': ms(
      'Query time window (ms)',
      'Width of the time window one query reads. Catch-up grows windows while they are sparse (see tributary.catch.up.row.budget).',
      30_000,
    ),
    'scylla.confidence.window.size': ms(
      'Confidence window (ms)',
      'Changes younger than this are not read yet, so that writes still arriving at replicas are not missed. Do not set it ' +
        'below the write timeout. The lag once caught up is about this plus tributary.idle.poll.interval.ms.',
      30_000,
    ),
    'scylla.minimal.wait.for.window.time': ms(
      'Minimal wait between windows (ms)',
      'Pause after each window of a vnode group; the main throttle while catching up. 0 = none.',
      0,
    ),
    'scylla.query.options.fetch.size': z.int().min(0).default(0).meta({
      title: 'Fetch size',
      description: 'Rows per page of a log query; 0 = driver default (5000).',
    }),
    'scylla.initial.lookback.ms': ms(
      'Initial lookback (ms)',
      'Without saved state, start this far back from now instead of at the oldest change the log still holds. 0 = oldest.',
      0,
    ),
    'cdc.output.format': z.enum(['legacy', 'advanced']).default('legacy').meta({
      title: 'Output format',
      description:
        '`legacy`: non-key columns wrapped in `{"value": ...}` Cells. `advanced`: direct values, image modes, key placement.',
    }),
    'experimental.preimages.enabled': z.boolean().default(false).meta({
      title: 'Preimages (legacy format)',
      description: "Legacy format only: fill `before` from the table's preimages.",
    }),
    'cdc.include.before': z.enum(['none', 'full', 'only-updated']).default('none').meta({
      title: 'Include before',
      description: 'Advanced format: `before` from preimages (needs the table option preimage).',
    }),
    'cdc.include.after': z
      .enum(['none', 'full', 'only-updated'])
      .default('none')
      .meta({
        title: 'Include after',
        description:
          'Advanced format: `after` from postimages (needs the table option postimage). With `none`, `after` carries the ' +
          'change itself (the key and the modified columns).',
      }),
    'cdc.include.primary-key.placement': z
      .string()
      .default('kafka-key,payload-after,payload-before')
      .meta({
        title: 'Primary key placement',
        description:
          "Advanced format: comma-separated places for the key columns: kafka-key (the record's `_key`), payload-after, " +
          'payload-before, payload-key, kafka-headers.',
      }),
    'cdc.include.primary-key.payload-key-name': z.string().min(1).default('key').meta({
      title: 'Payload key name',
      description: 'Advanced format: name of the top-level key object when placement includes payload-key.',
    }),
    'cdc.incomplete.task.timeout.ms': z
      .int()
      .min(1)
      .default(15_000)
      .meta({
        title: 'Incomplete task timeout (ms)',
        description:
          'Accepted for compatibility and not used: a write is complete when its cdc$end_of_batch row arrives, so no change ' +
          'is ever dropped waiting for an image.',
      }),
    'poll.interval.ms': z.int().min(1).default(500).meta({
      title: 'Poll interval (ms)',
      description: 'How long the output waits for the first change of a batch when the queue is empty.',
    }),
    'max.batch.size': z.int().min(1).default(2048).meta({
      title: 'Max batch size',
      description: 'Changes taken from the queue per batch.',
    }),
    'max.queue.size': z.int().min(1).default(8192).meta({
      title: 'Max queue size',
      description: 'Changes buffered between the log readers and the output; readers wait when it is full.',
    }),
    'offset.flush.interval.ms': z.int().min(1).default(60_000).meta({
      title: 'Offset flush interval (ms)',
      description: 'How often a STATE with the resume positions is emitted.',
    }),
    'snapshot.mode': z
      .enum(['never', 'initial'])
      .default('never')
      .meta({
        title: 'Snapshot mode',
        description:
          '`initial`: on the first read, emit every existing row (op `r`, scanned by token ranges), then the changes made ' +
          'since the snapshot started. `never`: changes only.',
      }),
    'tributary.read.until': z
      .string()
      .optional()
      .meta({
        title: 'Read until',
        description:
          "Stop once every change up to this time is emitted: `now` (the read's start), an ISO 8601 time or epoch ms. " +
          'Unset: read until stopped.',
      }),
    'tributary.idle.poll.interval.ms': z.int().min(10).default(1000).meta({
      title: 'Idle poll interval (ms)',
      description: 'Once caught up, how often each vnode group looks for new changes.',
    }),
    'tributary.catch.up.row.budget': z
      .int()
      .min(100)
      .default(50_000)
      .meta({
        title: 'Catch-up row budget',
        description:
          'Rows a vnode group reads per window at most (each stream its share, as a LIMIT); while windows stay under half ' +
          'of it they grow: few large queries instead of many small ones.',
      }),
    'tributary.reader.concurrency': z.int().min(1).max(1024).default(8).meta({
      title: 'Groups read at once',
      description: 'Vnode groups (or tablet streams) whose windows are read at the same time.',
    }),
    'tributary.query.concurrency': z.int().min(1).max(4096).default(32).meta({
      title: 'Queries in flight',
      description: 'CQL queries in flight at most (log reads and snapshot scans).',
    }),
    'tributary.generation.refresh.interval.ms': z.int().min(100).default(5000).meta({
      title: 'Generation refresh interval (ms)',
      description: 'How often new CDC generations (topology changes) are looked up.',
    }),
    'tributary.lag.log.interval.ms': z.int().min(100).default(30_000).meta({
      title: 'Lag log interval (ms)',
      description: 'How often the lag (now minus the time of the last emitted change) is logged.',
    }),
    'tributary.system.keyspace': z
      .string()
      .optional()
      .meta({
        title: 'Emulated system keyspace (tests)',
        description:
          'For tests against an emulation only: read generations, streams and CDC options from this keyspace instead of ' +
          'system_distributed, system_schema and system.',
        airbyte_hidden: true,
      }),
  })
  .superRefine((c, ctx) => {
    if (!c['topic.prefix'] && !c['scylla.name']) {
      ctx.addIssue({ code: 'custom', path: ['topic.prefix'], message: 'set topic.prefix (or scylla.name)' });
    }
    for (const t of splitList(c['scylla.table.names'])) {
      if (!TABLE_NAME.test(t)) {
        ctx.addIssue({
          code: 'custom',
          path: ['scylla.table.names'],
          message: `"${t}" is not a keyspace.table name (letters, digits and _ only)`,
        });
      }
    }
    for (const p of splitList(c['cdc.include.primary-key.placement'])) {
      if (!(PLACEMENTS as readonly string[]).includes(p)) {
        ctx.addIssue({
          code: 'custom',
          path: ['cdc.include.primary-key.placement'],
          message: `unknown placement "${p}"; expected some of ${PLACEMENTS.join(', ')}`,
        });
      }
    }
    if (c['cdc.output.format'] === 'advanced' && c['experimental.preimages.enabled']) {
      ctx.addIssue({
        code: 'custom',
        path: ['experimental.preimages.enabled'],
        message:
          'experimental.preimages.enabled applies to the legacy format; use cdc.include.before with advanced',
      });
    }
    if (c['cdc.output.format'] === 'legacy') {
      for (const k of ['cdc.include.before', 'cdc.include.after'] as const) {
        if (c[k] !== 'none') {
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: `${k} applies to the advanced format (cdc.output.format=advanced)`,
          });
        }
      }
    }
    if ((c['scylla.user'] === undefined) !== (c['scylla.password'] === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['scylla.user'],
        message: 'set both scylla.user and scylla.password, or neither',
      });
    }
    const until = c['tributary.read.until'];
    if (until !== undefined && parseUntil(until, 0) === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['tributary.read.until'],
        message: `"${until}" is not "now", an ISO 8601 time or epoch milliseconds`,
      });
    }
  });

export type ScyllaCdcConfig = z.output<typeof scyllaCdcConfigSchema>;

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** `tributary.read.until` as epoch ms: "now" is `nowMs`. */
export function parseUntil(value: string, nowMs: number): number | undefined {
  const v = value.trim();
  if (v === 'now') return nowMs;
  if (/^\d+$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
}

export interface TableName {
  readonly keyspace: string;
  readonly table: string;
}

export function tableNames(config: ScyllaCdcConfig): TableName[] {
  return splitList(config['scylla.table.names']).map((t) => {
    const [keyspace, table] = t.split('.') as [string, string];
    return { keyspace, table };
  });
}

export function logicalName(config: ScyllaCdcConfig): string {
  return config['topic.prefix'] ?? config['scylla.name'] ?? 'scylla';
}

/** Contact points as the driver takes them, and a port when they all share one. */
export function contactPoints(config: ScyllaCdcConfig): string[] {
  return splitList(config['scylla.cluster.ip.addresses']);
}
