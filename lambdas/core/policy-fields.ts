import * as z from './zod';

/** A number of days a policy sets (a threshold, a cap): whole, positive, and at most a century. */
export const days = z
  .number({ error: 'must be a number of days' })
  .check(
    z.int({ error: 'must be a whole number of days' }),
    z.positive({ error: 'must be more than 0' }),
    z.lte(36500, { error: 'must be at most 36500 days' }),
  );
