import { useSearchParams } from 'react-router';

/**
 * A list page's filters kept in the address (so a filtered view can be linked and survives a reload): the current
 * parameters, and a setter that removes a parameter when its value is empty.
 */
export function useFilterParams(options?: { replace?: boolean }): [URLSearchParams, (name: string, value: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string | null) =>
    setParams(
      (p) => {
        if (value) p.set(name, value);
        else p.delete(name);
        return p;
      },
      { replace: options?.replace },
    );
  return [params, set];
}
