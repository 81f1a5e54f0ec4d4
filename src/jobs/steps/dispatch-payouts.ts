// Close step: sends every payout still waiting (the day's standing rent orders, and any left unsent or
// unanswered by the services' own dispatch) with its own request number, whatever its retry time.
import type { CloseContext } from '../close-day.ts';
import { dispatchPayouts } from '../../services/payouts/dispatch-payouts.ts';

export async function dispatchPayoutsStep({ db, bank }: CloseContext): Promise<Record<string, unknown>> {
  const result = await dispatchPayouts({ db, bank, ignoreBackoff: true });
  // The in-process bank answers results asynchronously; wait so the day's books are complete.
  await (bank as Partial<{ idle(): Promise<void> }>).idle?.();
  return result;
}
