/** A signing input that cannot produce a request the origin would accept; the message names the field. */
export class SigningInputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'SigningInputError';
    this.field = field;
  }
}

export function assertValidDate(date: Date): void {
  if (Number.isNaN(date.getTime())) throw new SigningInputError('date', 'is not a valid date');
}
