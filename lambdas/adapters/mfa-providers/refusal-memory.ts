import { MfaLookupError } from '../../core/evidence-sources';

/**
 * A refusal no retry will change (credentials refused, a permission missing), remembered so that the lookups after
 * it fail at once instead of each asking again, and forgotten after `forMs`, so that a warm function tries again once
 * the setup may have been fixed.
 */
export class RefusalMemory {
  private refusal: { readonly error: MfaLookupError; readonly until: number } | undefined;

  constructor(
    private readonly forMs = 5 * 60_000,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Throws the remembered refusal, while it lasts. */
  check(): void {
    if (this.refusal && this.clock() < this.refusal.until) throw this.refusal.error;
  }

  remember(message: string): MfaLookupError {
    const error = new MfaLookupError(message);
    this.refusal = { error, until: this.clock() + this.forMs };
    return error;
  }
}
