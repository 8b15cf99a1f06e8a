import { cqlConfigSchema, type CqlConfig } from '@tributary/cql-loader';
import { z } from 'zod';

/**
 * Not in the upstream Scylla spec: optional here, and when absent the data centre of the first
 * reachable contact point (its `system.local` row) is used.
 */
export const datacenterField = z.string().min(1).optional().meta({
  title: 'Datacenter',
  description:
    'Local data centre: writes are routed to its replicas. Empty: detected from the contact point.',
});

/** The destination-scylla config: the upstream fields with their defaults, then the new ones. */
export const scyllaConfigSchema = cqlConfigSchema(datacenterField);

export type ScyllaConfig = CqlConfig;
