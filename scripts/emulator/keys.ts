/** The HMAC keys the emulator accepts, and the changes tests make to them. */
import { randomBytes } from 'node:crypto';

export interface HmacKey {
  accessId: string;
  secret: string;
}

export class HmacKeyRing {
  private keys = new Map<string, string>();
  private readonly initial: ReadonlyArray<HmacKey>;

  constructor(initial: readonly HmacKey[]) {
    this.initial = initial.map((k) => ({ ...k }));
    this.restore();
  }

  secretFor(accessId: string): string | undefined {
    return this.keys.get(accessId);
  }

  accessIds(): string[] {
    return [...this.keys.keys()];
  }

  set(accessId: string, secret: string): void {
    this.keys.set(accessId, secret);
  }

  /** A new random secret: whoever holds the old one now gets SignatureDoesNotMatch. */
  rotate(accessId: string): boolean {
    if (!this.keys.has(accessId)) return false;
    this.keys.set(accessId, randomBytes(30).toString('base64'));
    return true;
  }

  remove(accessId: string): boolean {
    return this.keys.delete(accessId);
  }

  /** Back to the keys given at start. */
  restore(): void {
    this.keys = new Map(this.initial.map((k) => [k.accessId, k.secret]));
  }
}
