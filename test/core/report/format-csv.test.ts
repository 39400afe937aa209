import { parse } from 'csv-parse/sync';
import { finding } from '../../../lambdas/core/finding';
import { formatReport, reportChunks } from '../../../lambdas/core/report/format-report';
import { buildReport } from '../../../lambdas/core/report/report';

const NOW = new Date('2026-06-01T12:00:00Z');

/** A report of one finding on one account, its text fields as given. */
function reportOf(fields: { id?: string; owner?: string; title?: string; detail?: string; remediation?: string }) {
  const id = fields.id ?? 'press/x';
  return buildReport(
    {
      accounts: [
        {
          id,
          platform: 'x.com',
          owner: fields.owner ?? 'press',
          status: 'at-risk',
          worstSeverity: 'high',
          checks: { mfa: 'failed' },
        },
      ],
      findings: [
        finding({
          accountId: id,
          check: 'mfa',
          kind: 'no-evidence',
          severity: 'high',
          title: fields.title ?? 'No evidence of a second factor',
          detail: fields.detail ?? 'X supports it, but nothing says it is on.',
          remediation: fields.remediation ?? 'Turn it on.',
        }),
      ],
    },
    NOW,
  );
}

/** The CSV as an independent RFC 4180 parser (csv-parse, strict about quotes) reads it: one record per row. */
const records = (csv: string): Record<string, string>[] =>
  parse(csv, { columns: true, record_delimiter: '\r\n', relax_quotes: false, relax_column_count: false });

describe('The CSV report', () => {
  it('is one row per finding under a header, each field read back as written', () => {
    const csv = formatReport(
      reportOf({ detail: 'Seen "twice", in two places', remediation: 'Change it, then record the date.' }),
      'csv',
    );

    expect(csv.startsWith('severity,change,account,owner,platform,check,kind,title,detail,what_to_do,')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(records(csv)).toEqual([
      {
        severity: 'high',
        change: '',
        account: 'press/x',
        owner: 'press',
        platform: 'x.com',
        check: 'mfa',
        kind: 'no-evidence',
        title: 'No evidence of a second factor',
        detail: 'Seen "twice", in two places',
        what_to_do: 'Change it, then record the date.',
        link: '',
        action: 'fix:press/x',
        action_rank: '1',
        accepted_until: '',
        accepted_by: '',
        accepted_reason: '',
        finding_id: 'press/x#mfa:no-evidence',
      },
    ]);
  });

  it.each([['=HYPERLINK("https://evil.example","x")'], ['+1+cmd|" /C calc"!A0'], ['-2+3'], ['@SUM(1,2)']])(
    'writes a cell a spreadsheet would evaluate (%s) as text, with a leading quote',
    (hostile) => {
      const [row] = records(formatReport(reportOf({ id: hostile, owner: hostile, title: hostile }), 'csv'));

      expect(row).toMatchObject({ account: `'${hostile}`, owner: `'${hostile}`, title: `'${hostile}` });
      expect(row?.finding_id?.startsWith(`'${hostile}`)).toBe(true);
    },
  );

  it('shows a tab, a carriage return or a line break as a code, so no cell starts a formula or a new row', () => {
    const csv = formatReport(reportOf({ owner: '\tpress', detail: 'one\r\n=two' }), 'csv');
    const [row, ...more] = records(csv);

    expect(more).toEqual([]);
    expect(row?.owner).toBe('\\u{9}press');
    expect(row?.detail).toBe('one\\u{d}\\u{a}=two');
  });

  it('is written a row at a time', () => {
    expect(reportChunks(reportOf({}), 'csv')).toHaveLength(2);
  });
});
