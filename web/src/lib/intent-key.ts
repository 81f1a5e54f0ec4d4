// One idempotency key per intent for money and platform commands (console and portal): the same values
// reuse the key (a retry of the same submission answers the first result), other values or a success get
// a new one.
import { useCallback, useRef } from 'react';
import { newIdempotencyKey } from './idempotency.ts';

export function useIntentKey(prefix: string) {
  const ref = useRef<{ what: string; key: string }>(undefined);
  const keyFor = useCallback(
    (what: string) => {
      if (ref.current?.what !== what) ref.current = { what, key: newIdempotencyKey(prefix) };
      return ref.current.key;
    },
    [prefix],
  );
  const done = useCallback(() => {
    ref.current = undefined;
  }, []);
  return { keyFor, done };
}
