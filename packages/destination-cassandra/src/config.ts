import { cqlConfigSchema, type CqlConfig } from '@tributary/cql-loader';
import { z } from 'zod';

/** Upstream 0.1.4 field, same name and default. */
export const datacenterField = z
  .string()
  .min(1)
  .default('datacenter1')
  .meta({ title: 'Datacenter', description: 'Local data centre: writes are routed to its replicas.' });

/** The destination-cassandra config: the upstream fields with their defaults, then the new ones. */
export const cassandraConfigSchema = cqlConfigSchema(datacenterField);

export type CassandraConfig = CqlConfig & { datacenter: string };
