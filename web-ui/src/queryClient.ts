import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/problem';

/** Server state lives here only (STYLE.md §5): screens read it through one hook per resource. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: true,
      // 4xx answers will not change by asking again; network trouble may.
      retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
    },
  },
});
