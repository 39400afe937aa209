import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { awsError } from './aws-errors';

type Item = Record<string, unknown>;

/**
 * Backs a mocked DynamoDB document client with a table in memory, honouring what the lifecycle store relies on:
 * queries by partition, batched puts, and the lock's conditional put and delete.
 */
export function serveTable(
  mock: AwsClientStub<DynamoDBDocumentClient>,
  clock: () => number = Date.now,
): Map<string, Item> {
  const table = new Map<string, Item>();
  const keyOf = (item: Item) => `${item.pk}|${item.sk}`;
  mock.on(QueryCommand).callsFake(async (input: { ExpressionAttributeValues: Record<string, unknown> }) => ({
    Items: [...table.values()].filter((item) => item.pk === input.ExpressionAttributeValues[':pk']),
  }));
  mock
    .on(BatchWriteCommand)
    .callsFake(async (input: { RequestItems: Record<string, { PutRequest: { Item: Item } }[]> }) => {
      for (const requests of Object.values(input.RequestItems)) {
        for (const request of requests) table.set(keyOf(request.PutRequest.Item), request.PutRequest.Item);
      }
      return { UnprocessedItems: {} };
    });
  mock.on(PutCommand).callsFake(async (input: { Item: Item }) => {
    const existing = table.get(keyOf(input.Item));
    if (existing && Number(existing.expiresAt) >= Math.floor(clock() / 1000)) {
      throw awsError('ConditionalCheckFailedException');
    }
    table.set(keyOf(input.Item), input.Item);
    return {};
  });
  mock.on(DeleteCommand).callsFake(async (input: { Key: Item; ExpressionAttributeValues: Record<string, unknown> }) => {
    const existing = table.get(keyOf(input.Key));
    if (existing?.lockHolder !== input.ExpressionAttributeValues[':holder'])
      throw awsError('ConditionalCheckFailedException');
    table.delete(keyOf(input.Key));
    return {};
  });
  return table;
}
