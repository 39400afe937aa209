import { daysBetween, parseIsoDate } from '../../lambdas/core/iso-date';

describe('Function: parseIsoDate', () => {
  it.each([
    ['2025-01-31', '2025-01-31T00:00:00.000Z'],
    ['2024-02-29', '2024-02-29T00:00:00.000Z'],
    ['2025-01-31T09:30:00Z', '2025-01-31T09:30:00.000Z'],
    ['2025-01-31T09:30Z', '2025-01-31T09:30:00.000Z'],
    ['2025-01-31T09:30:00.123456+02:00', '2025-01-31T07:30:00.123Z'],
  ])('reads %s', (text, iso) => {
    expect(parseIsoDate(text)?.toISOString()).toBe(iso);
  });

  it.each([
    '2025-02-29',
    '2025-13-01',
    '2025-1-5',
    '31/01/2025',
    '2025-01-31T25:00:00Z',
    '2025-01-31T09:30:00',
    '',
    'yesterday',
    // Year 10000 in UTC: a day the project could not write back.
    '9999-12-31T23:59:59-14:00',
    '0000-01-01',
  ])('refuses %p', (text) => {
    expect(parseIsoDate(text)).toBeUndefined();
  });
});

describe('Function: daysBetween', () => {
  it('counts whole days', () => {
    expect(daysBetween(new Date('2025-01-01T00:00:00Z'), new Date('2025-01-31T23:59:59Z'))).toBe(30);
  });
});
