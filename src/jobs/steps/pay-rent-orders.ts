// Close step: pays the standing monthly rent orders due on the closed date (rules.md §5.1), set-based.
import type { CloseContext } from '../close-day.ts';
import { payRentOrders } from '../../services/withdrawals/pay-rent-orders.ts';

export function payRentOrdersStep(ctx: CloseContext): Promise<Record<string, unknown>> {
  return payRentOrders(ctx);
}
