// The center's business date (会计日期) for a screen's defaults: what the server's calendar says, never
// the browser's clock (a center may run days behind or ahead of the calendar).
import { useApi, type Loaded } from '../lib/useApi.ts';
import { call } from './call.ts';

export function useBusinessDate(): Loaded<string> {
  return useApi(
    (signal) =>
      call<{ businessDate: string }>('GET', '/calendar', undefined, signal).then((r) => r.businessDate),
    [],
  );
}

/** The calendar year of a business date ("2025-03-03" → 2025). */
export function yearOf(businessDate: string): number {
  return Number(businessDate.slice(0, 4));
}
