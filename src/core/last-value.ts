/**
 * The last answer of an async derivation, kept while its input stays the same: the settings of a
 * canary rarely change, and each crypto.subtle call is a round trip to a worker thread that every
 * /health would otherwise pay for (see `npm run bench`, overhead).
 */
export function lastValueCache<T>(derive: (input: string) => Promise<T>): (input: string) => Promise<T> {
  let last: { input: string; value: Promise<T> } | null = null;
  return (input) => {
    if (last?.input !== input) {
      const value = derive(input);
      last = { input, value };
      // A failed derivation must not be remembered.
      value.catch(() => {
        if (last?.value === value) last = null;
      });
    }
    return last.value;
  };
}
