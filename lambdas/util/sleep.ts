/** The real wait behind every adapter's injectable `sleep`: tests pass their own. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
