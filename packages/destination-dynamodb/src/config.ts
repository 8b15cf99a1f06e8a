import { ConfigError, secret } from '@tributary/airbyte-protocol';
import { resolveEndpoint } from '@tributary/aws-common';
import { z } from 'zod';

/**
 * The regions of the upstream spec (0.1.8, with ap-southeast-3) followed by the ones AWS opened
 * since. "" means: the region of the AWS environment (AWS_REGION), or any region for a custom
 * endpoint. The list only grows, so every upstream config stays valid.
 */
export const AWS_REGIONS = [
  '',
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'af-south-1',
  'ap-east-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-southeast-3',
  'ca-central-1',
  'cn-north-1',
  'cn-northwest-1',
  'eu-central-1',
  'eu-north-1',
  'eu-south-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'sa-east-1',
  'me-south-1',
  'us-gov-east-1',
  'us-gov-west-1',
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'mx-central-1',
] as const;

export const LAYOUTS = ['typed', 'raw'] as const;
export type Layout = (typeof LAYOUTS)[number];

const capacityUnits = (title: string) =>
  z
    .int()
    .min(1)
    .max(40_000)
    .default(5)
    .meta({ title, description: `${title} of each table this destination creates.` });

const billingMode = z
  .discriminatedUnion('mode', [
    z
      .strictObject({
        mode: z.literal('on_demand'),
      })
      .meta({ title: 'On-demand', description: 'PAY_PER_REQUEST: no capacity to plan, billed per request.' }),
    z
      .strictObject({
        mode: z.literal('provisioned'),
        read_capacity_units: capacityUnits('Read capacity units'),
        write_capacity_units: capacityUnits('Write capacity units'),
      })
      .meta({
        title: 'Provisioned',
        description:
          'PROVISIONED with the given capacity. Writes beyond it are throttled and retried with backoff, so size the write capacity for the sync.',
      }),
  ])
  .default({ mode: 'on_demand' })
  .meta({
    title: 'Billing mode of created tables',
    description: 'How tables created by this destination are billed. Existing tables are used as they are.',
  });

function endpointRule(value: string, ctx: z.core.$RefinementCtx<string>): void {
  try {
    resolveEndpoint(value, 'dynamodb_endpoint');
  } catch (err) {
    ctx.addIssue({
      code: 'custom',
      message: err instanceof Error ? err.message.replace(/^dynamodb_endpoint: /, '') : String(err),
    });
  }
}

const ROLE_ARN = /^(arn:aws[a-z-]*:iam::\d{12}:role\/.+)?$/;
const ATTRIBUTE_NAME = /^[^\s].{0,254}$/su;

export const configSchema = z
  .strictObject({
    dynamodb_endpoint: z
      .string()
      .default('')
      .superRefine(endpointRule)
      .meta({
        title: 'Endpoint',
        description:
          'This is your DynamoDB endpoint url.(if you are working with AWS DynamoDB, just leave empty). ' +
          'Must be https:// unless it is a loopback address such as http://127.0.0.1:8000.',
        examples: ['http://localhost:9000'],
      }),
    dynamodb_table_name_prefix: z.string().meta({
      title: 'DynamoDB table name prefix',
      description:
        'The prefix to use when naming DynamoDB tables. A stream is written to the table <prefix>_<namespace>_<stream>.',
      examples: ['airbyte_sync'],
    }),
    dynamodb_region: z.enum(AWS_REGIONS).default('').meta({
      title: 'DynamoDB Region',
      description:
        "The region of the DynamoDB. Empty: the AWS environment's region (AWS_REGION), or us-east-1 with a custom endpoint.",
    }),
    access_key_id: secret(z.string().optional()).meta({
      title: 'DynamoDB Key Id',
      description:
        'The access key id to access the DynamoDB. Airbyte requires Read and Write permissions to the DynamoDB. ' +
        'Leave empty (with the secret access key) to use the AWS default credential chain: environment, shared profile, web identity, container or instance role.',
      examples: ['A012345678910EXAMPLE'],
    }),
    secret_access_key: secret(z.string().optional()).meta({
      title: 'DynamoDB Access Key',
      description: 'The corresponding secret to the access key id.',
      examples: ['a012345678910ABCDEFGH/AbCdEfGhEXAMPLEKEY'],
    }),
    session_token: secret(z.string().optional()).meta({
      title: 'Session token',
      description: 'Session token of temporary credentials (optional, with the access key id and secret).',
    }),
    role_arn: z
      .string()
      .refine((v) => ROLE_ARN.test(v.trim()), {
        message: 'expected an IAM role ARN like arn:aws:iam::123456789012:role/airbyte-dynamodb',
      })
      .optional()
      .meta({
        pattern: ROLE_ARN.source,
        title: 'IAM role to assume',
        description:
          'Optional. The credentials above (or those of the default chain) assume this role, e.g. arn:aws:iam::123456789012:role/airbyte-dynamodb.',
        examples: ['arn:aws:iam::123456789012:role/airbyte-dynamodb'],
      }),
    external_id: z.string().optional().meta({
      title: 'External id',
      description: 'External id required by the trust policy of the role to assume (optional).',
    }),
    layout: z
      .enum(LAYOUTS)
      .optional()
      .meta({
        title: 'Item layout',
        default: 'typed',
        description:
          "typed: each top-level field of a record is an item attribute, the stream's primary key is the table key (append_dedup), " +
          'with the Destinations V2 metadata attributes. raw: the upstream layout (_airbyte_ab_id, sync_time, _airbyte_data map, _airbyte_emitted_at). ' +
          'A config without this field (written for the upstream connector) keeps raw.',
      }),
    billing_mode: billingMode,
    ttl_seconds: z
      .int()
      .min(1)
      .optional()
      .meta({
        title: 'Item time to live (seconds)',
        description:
          'Optional. Items expire this many seconds after they are loaded: each item gets the TTL attribute (epoch seconds) and TTL is enabled on the tables.',
        examples: [2_592_000],
      }),
    ttl_attribute: z
      .string()
      .regex(ATTRIBUTE_NAME, 'an attribute name of 1 to 255 characters not starting with a space')
      .default('_airbyte_expires_at')
      .meta({
        title: 'TTL attribute',
        description: 'Name of the attribute holding the expiry time when a time to live is set.',
      }),
    max_concurrent_requests: z.int().min(1).max(512).default(48).meta({
      title: 'Concurrent requests',
      description:
        'BatchWriteItem requests in flight at once, across all streams. Raise it for large on-demand tables, lower it for small provisioned ones.',
    }),
    retry_max_attempts: z.int().min(1).max(50).default(10).meta({
      title: 'Attempts per request',
      description:
        'How many times a throttled or failed request (or its UnprocessedItems) is tried, with exponential backoff and jitter, before the sync fails.',
    }),
  })
  .superRefine((config, ctx) => {
    const hasKey = Boolean(config.access_key_id?.trim());
    const hasSecret = Boolean(config.secret_access_key?.trim());
    if (hasKey !== hasSecret) {
      ctx.addIssue({
        code: 'custom',
        path: [hasKey ? 'secret_access_key' : 'access_key_id'],
        message:
          'give both access_key_id and secret_access_key, or neither (to use the AWS default credential chain)',
      });
    }
    if (config.session_token?.trim() && !hasKey) {
      ctx.addIssue({
        code: 'custom',
        path: ['session_token'],
        message: 'a session token needs access_key_id and secret_access_key',
      });
    }
    if (config.external_id?.trim() && !config.role_arn?.trim()) {
      ctx.addIssue({ code: 'custom', path: ['external_id'], message: 'an external id needs role_arn' });
    }
  });

export type DynamoDbConfig = z.output<typeof configSchema>;

export interface ResolvedConnection {
  readonly endpoint: string | undefined;
  readonly region: string;
}

/** Endpoint and region the client uses. */
export function resolveConnection(
  config: DynamoDbConfig,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedConnection {
  const endpoint = resolveEndpoint(config.dynamodb_endpoint, 'dynamodb_endpoint');
  const region =
    config.dynamodb_region || env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : '');
  if (!region) {
    throw new ConfigError(
      'dynamodb_region is empty and the environment names no AWS region (AWS_REGION): choose the region of your tables',
    );
  }
  return { endpoint, region };
}

/** The layout, and whether it was chosen explicitly (a config without `layout` is an upstream one). */
export function resolveLayout(config: DynamoDbConfig): { layout: Layout; explicit: boolean } {
  return config.layout === undefined
    ? { layout: 'raw', explicit: false }
    : { layout: config.layout, explicit: true };
}
