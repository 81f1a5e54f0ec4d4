// One form submission: sending, the server's refusal (shown with ErrorAlert), the answer.
import { useCallback, useState } from 'react';

export interface Submission<A extends unknown[], T> {
  submit(...args: A): Promise<T | undefined>;
  sending: boolean;
  error: unknown;
  result: T | undefined;
  reset(): void;
}

export function useSubmit<A extends unknown[], T>(send: (...args: A) => Promise<T>): Submission<A, T> {
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<unknown>();
  const [result, setResult] = useState<T>();
  const submit = useCallback(
    async (...args: A) => {
      setSending(true);
      setError(undefined);
      try {
        const value = await send(...args);
        setResult(value);
        return value;
      } catch (e) {
        setError(e);
        setResult(undefined);
        return undefined;
      } finally {
        setSending(false);
      }
    },
    [send],
  );
  const reset = useCallback(() => {
    setError(undefined);
    setResult(undefined);
  }, []);
  return { submit, sending, error, result, reset };
}
