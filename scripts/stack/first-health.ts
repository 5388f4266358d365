/** Asks the canary what a user's first curl would get, for the start-up banner. */

export interface FirstHealth {
  status: string;
  reason: string;
  output: string;
}

export async function firstHealth(canaryUrl: string, path = '/health'): Promise<FirstHealth> {
  try {
    const response = await fetch(`${canaryUrl}${path}`, { headers: { accept: 'application/health+json' } });
    const body = (await response.json()) as Partial<FirstHealth>;
    return { status: body.status ?? `HTTP ${response.status}`, reason: body.reason ?? 'unknown', output: body.output ?? '' };
  } catch (error) {
    return { status: 'unreachable', reason: 'unknown', output: error instanceof Error ? error.message : String(error) };
  }
}
