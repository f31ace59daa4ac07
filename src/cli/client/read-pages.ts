// The listing commands' paging: the first page, or with `all` every page, of a list endpoint. Items come
// back both parsed (for tables) and as the API sent them (for --json), with the cursor to go on from.
import type { z } from "zod";
import { pageOf } from "../../api/schemas/common.ts";
import type { ApiAnswer, ApiClient, Query } from "./api-client.ts";

export interface Pages<T> {
  items: T[];
  /** The items exactly as the API sent them, for --json. */
  jsonItems: unknown[];
  /** Where the next page starts; null when the last page was read. */
  nextCursor: string | null;
}

export async function readPages<S extends z.ZodType>(
  client: ApiClient,
  path: string,
  item: S,
  query: Query,
  all: boolean,
): Promise<Pages<z.output<S>>> {
  const pageSchema = pageOf(item);
  const items: z.output<S>[] = [];
  const jsonItems: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page: ApiAnswer<z.output<typeof pageSchema>> = await client.get(path, pageSchema, {
      ...query,
      ...(cursor === null ? {} : { cursor }),
    });
    items.push(...page.data.items);
    jsonItems.push(...(page.json as { items: unknown[] }).items);
    cursor = page.data.nextCursor;
  } while (all && cursor !== null);
  return { items, jsonItems, nextCursor: cursor };
}
