import {
  type AttributeValue as SdkAttributeValue,
  ScanCommand,
  type ScanCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TruncatePlan } from '@tributary/airbyte-protocol';
import type { RequestGate, WriteEntry } from './batch-writer.js';
import type { AttributeMap } from './item-mapping/attribute-value.js';
import type { KeyAttribute } from './item-mapping/keys.js';
import { META } from './item-mapping/mapper.js';

export interface PurgeResult {
  readonly scanned: number;
  readonly deleted: number;
}

/** Delete requests sent per round while scanning (a few BatchWriteItem calls in parallel). */
const DELETE_CHUNK = 500;

/**
 * The scan filter selecting what a truncate removes:
 * - `below_generation`: items of a generation below the minimum (and items written before
 *   generations existed, which have no `_airbyte_generation_id`);
 * - `loaded_before`: items loaded before this sync started (upstream items have no
 *   `_airbyte_loaded_at` and are removed too).
 */
export function truncateFilter(
  plan: TruncatePlan,
): Pick<ScanCommandInput, 'FilterExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'> {
  if (plan.kind === 'below_generation') {
    return {
      FilterExpression: 'attribute_not_exists(#g) OR #g < :g',
      ExpressionAttributeNames: { '#g': META.generationId },
      ExpressionAttributeValues: { ':g': { N: String(plan.generation) } },
    };
  }
  return {
    FilterExpression: 'attribute_not_exists(#l) OR #l < :t',
    ExpressionAttributeNames: { '#l': META.loadedAt },
    ExpressionAttributeValues: { ':t': { N: String(plan.syncStartedAt) } },
  };
}

/**
 * Removes the items a truncate replaces, after the stream's COMPLETE: a parallel scan (strongly
 * consistent, so every item this sync wrote is seen with its new generation and load time, and
 * only its key projected) feeding BatchWriteItem deletes through the shared request gate. An
 * interrupted sync never gets here, so the prior data stays until a sync completes.
 */
export async function purgeOldItems(
  gate: RequestGate,
  table: string,
  key: readonly KeyAttribute[],
  plan: TruncatePlan,
  segments: number,
): Promise<PurgeResult> {
  const filter = truncateFilter(plan);
  const names: Record<string, string> = { ...filter.ExpressionAttributeNames };
  const projection = key.map((k, i) => {
    names[`#k${i}`] = k.name;
    return `#k${i}`;
  });
  let scanned = 0;
  let deleted = 0;
  const scanSegment = async (segment: number): Promise<void> => {
    let startKey: Record<string, SdkAttributeValue> | undefined;
    let pending: WriteEntry[] = [];
    do {
      const input: ScanCommandInput = {
        TableName: table,
        Segment: segment,
        TotalSegments: segments,
        ConsistentRead: true,
        ProjectionExpression: projection.join(', '),
        FilterExpression: filter.FilterExpression,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: filter.ExpressionAttributeValues,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      };
      const out = await gate.call('Scan', table, () => gate.client.send(new ScanCommand(input)));
      scanned += out.ScannedCount ?? 0;
      for (const item of out.Items ?? []) {
        pending.push({ delete: item as AttributeMap, wire: 2_200 });
      }
      if (pending.length >= DELETE_CHUNK) {
        const chunk = pending;
        pending = [];
        await gate.batchWrite(table, chunk);
        deleted += chunk.length;
      }
      startKey = out.LastEvaluatedKey;
    } while (startKey);
    if (pending.length > 0) {
      await gate.batchWrite(table, pending);
      deleted += pending.length;
    }
  };
  await Promise.all(Array.from({ length: segments }, (_, i) => scanSegment(i)));
  return { scanned, deleted };
}
