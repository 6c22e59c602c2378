import { useState, type FormEvent } from 'react';
import { ApiError } from '../../core/api/apiError';

/** Create is the state of an administration "new …" form. */
export interface Create {
  busy: boolean;
  error: unknown;
  /** created names what the last submit created, for the notice; null before or after a failure. */
  created: string | null;
  /** taken is true when the server answered that the key or email already exists. */
  taken: boolean;
  submit(e: FormEvent): Promise<void>;
}

/**
 * useCreate runs a create form's submit: create, then name(result) for the notice and
 * done() (clear the inputs, reload the list); a refusal is kept as error.
 */
export function useCreate<T>(create: () => Promise<T>, name: (created: T) => string, done: () => void): Create {
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(null);
    try {
      setCreated(name(await create()));
      done();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  const taken = error instanceof ApiError && error.code === 'already_exists';
  return { busy, error, created, taken, submit };
}
