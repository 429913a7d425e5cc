import { useInfiniteQuery } from '@tanstack/react-query';
import { api, data } from '../api/client';
import type { AuditEntryView } from '../api/types';

export interface AuditFilters {
  project?: string;
  flag?: string;
  actor?: string;
  since?: string;
  until?: string;
}

const PAGE = 50;

/** The audit log, newest first, a page at a time (`beforeId` = the smallest id of the previous page). */
export function useAudit(filters: AuditFilters) {
  const query = useInfiniteQuery({
    queryKey: ['audit', filters],
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) =>
      (await data(
        api.GET('/api/v1/audit', {
          params: { query: { ...clean(filters), beforeId: pageParam, limit: PAGE } },
        }),
      )) as AuditEntryView[],
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1].id : undefined),
  });
  return {
    entries: query.data?.pages.flat() ?? [],
    loading: query.isPending,
    error: query.error,
    more: query.hasNextPage,
    loadMore: () => query.fetchNextPage(),
    loadingMore: query.isFetchingNextPage,
  };
}

function clean(filters: AuditFilters) {
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v)) as AuditFilters;
}
