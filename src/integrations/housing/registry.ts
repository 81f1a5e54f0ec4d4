// The housing registry (不动产登记): whether a person (and spouse) owns housing in the city, for rent
// withdrawal (rules.md §5.1). One interface; the in-process simulator serves the demo and the tests.
import { AppError } from '../../domain/errors.ts';
import type { HousingCheck } from '../../domain/withdrawals.ts';

export interface HousingQuery {
  depositorId: string;
  /** The ID number's keyed hash (never the number itself). */
  idNumberHash: string;
}

export interface HousingRegistry {
  /** Throws HOUSING_REGISTRY_UNAVAILABLE when the registry does not answer in time. */
  ownsHousing(query: HousingQuery): Promise<boolean>;
}

/** Asks the registry and turns "no answer" into a reason for review instead of a failure. */
export async function checkHousing(registry: HousingRegistry, query: HousingQuery): Promise<HousingCheck> {
  try {
    return (await registry.ownsHousing(query)) ? 'owns_housing' : 'no_housing';
  } catch (error) {
    if (error instanceof AppError && error.code === 'HOUSING_REGISTRY_UNAVAILABLE') return 'unavailable';
    throw error;
  }
}

export type HousingAnswer = 'owns' | 'none' | 'timeout';

/**
 * The simulated registry: answers "none" unless told otherwise, per depositor or for everyone;
 * `timeout` waits `timeoutMs` and then fails as a real registry call would.
 */
export class InProcessHousingRegistry implements HousingRegistry {
  private readonly answers = new Map<string, HousingAnswer>();
  private fallback: HousingAnswer = 'none';
  readonly queries: HousingQuery[] = [];
  constructor(private readonly timeoutMs = 20) {}

  set(depositorId: string | bigint, answer: HousingAnswer | null): void {
    if (answer) this.answers.set(String(depositorId), answer);
    else this.answers.delete(String(depositorId));
  }

  setDefault(answer: HousingAnswer): void {
    this.fallback = answer;
  }

  async ownsHousing(query: HousingQuery): Promise<boolean> {
    this.queries.push(query);
    const answer = this.answers.get(query.depositorId) ?? this.fallback;
    if (answer === 'timeout') {
      await new Promise((resolve) => setTimeout(resolve, this.timeoutMs));
      throw new AppError('HOUSING_REGISTRY_UNAVAILABLE', { details: { timeoutMs: this.timeoutMs } });
    }
    return answer === 'owns';
  }
}

let sharedRegistry: InProcessHousingRegistry | undefined;

/** The simulator used when no registry is configured (demo, development): one per process. */
export function defaultHousingRegistry(): InProcessHousingRegistry {
  sharedRegistry ??= new InProcessHousingRegistry();
  return sharedRegistry;
}
