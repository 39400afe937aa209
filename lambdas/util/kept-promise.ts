/**
 * A value made on first use and kept, such as a client built from a secret. A failed attempt is not kept: the next use
 * tries again, so one throttled or refused call does not last a warm container's life.
 */
export class KeptPromise<T> {
  private kept: Promise<T> | undefined;

  constructor(private readonly make: () => Promise<T>) {}

  get(): Promise<T> {
    if (this.kept) return this.kept;
    const making = this.make();
    this.kept = making;
    making.catch(() => {
      if (this.kept === making) this.kept = undefined;
    });
    return making;
  }

  /** Drops the kept value (a token the service refused); the next use makes a new one. */
  forget(): void {
    this.kept = undefined;
  }
}
