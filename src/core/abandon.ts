/**
 * How the core tells a backend fetch that it gave up on it (the deadline won), so whatever the
 * fetch still holds is let go instead of draining a dripping origin for minutes.
 *
 * Not an AbortSignal: Compute's runtime has no AbortController, so the core cannot create one. Each
 * platform maps this to what it can do: the Node host aborts the HTTP request (closing the socket);
 * on Compute the core can only cancel the response body once there is one.
 */
export interface Abandonment {
  readonly abandoned: boolean;
  /** Runs `release` when the attempt is abandoned, or at once if it already was. */
  onAbandon(release: () => void): void;
}

export interface AbandonmentControl extends Abandonment {
  abandon(): void;
}

export function createAbandonment(): AbandonmentControl {
  const releases: Array<() => void> = [];
  let abandoned = false;
  const runSafely = (release: () => void) => {
    try {
      release();
    } catch {
      // Letting go is best effort: the attempt's result is already discarded.
    }
  };
  return {
    get abandoned() {
      return abandoned;
    },
    onAbandon(release) {
      if (abandoned) runSafely(release);
      else releases.push(release);
    },
    abandon() {
      if (abandoned) return;
      abandoned = true;
      for (const release of releases.splice(0)) runSafely(release);
    },
  };
}
