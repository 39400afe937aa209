// Preloaded into a function's process (NODE_OPTIONS=--require) to run it as if it were later: every `new Date()` and
// `Date.now()` is shifted by CREDENTIAL_HYGIENE_TEST_CLOCK_SHIFT_MS. A test's way to advance a deployed function's
// clock (an acceptance expiring, reminders falling due) without a clock setting in the function itself.
const shift = Number(process.env.CREDENTIAL_HYGIENE_TEST_CLOCK_SHIFT_MS ?? 0);
const RealDate = Date;

class ShiftedDate extends RealDate {
  constructor(...args) {
    if (args.length === 0) super(RealDate.now() + shift);
    else super(...args);
  }

  static now() {
    return RealDate.now() + shift;
  }
}

globalThis.Date = ShiftedDate;
