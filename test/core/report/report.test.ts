import MarkdownIt from 'markdown-it';
import { type Finding, finding } from '../../../lambdas/core/finding';
import { formatReport, reportChunks } from '../../../lambdas/core/report/format-report';
import { buildReport } from '../../../lambdas/core/report/report';
import type { ScanResult } from '../../../lambdas/core/scan';

const result: Pick<ScanResult, 'accounts' | 'findings'> = {
  accounts: [
    {
      id: 'press/x',
      platform: 'x.com',
      owner: 'press',
      status: 'at-risk',
      worstSeverity: 'critical',
      checks: { mfa: 'failed' },
    },
    {
      id: 'press/fb',
      platform: 'facebook.com',
      owner: null,
      status: 'at-risk',
      worstSeverity: 'medium',
      checks: { ownership: 'failed' },
    },
    { id: 'ok/one', platform: 'x.com', owner: 'press', status: 'ok', worstSeverity: null, checks: { mfa: 'passed' } },
  ],
  findings: [
    finding({
      accountId: 'press/x',
      check: 'mfa',
      kind: 'disabled',
      severity: 'critical',
      title: 'MFA is off',
      detail: 'Off | really',
      remediation: 'Turn it on.',
    }),
    finding({
      accountId: 'press/fb',
      check: 'ownership',
      kind: 'missing-owner',
      severity: 'medium',
      title: 'No owner',
      detail: 'Nobody.',
      remediation: 'Name one.',
    }),
  ],
};
const report = buildReport(result, new Date('2026-06-01T12:00:00Z'));

describe('Function: buildReport', () => {
  it('summarises accounts and findings by severity and status', () => {
    expect(report).toMatchObject({
      schemaVersion: 5,
      generatedAt: '2026-06-01T12:00:00.000Z',
      summary: {
        accounts: 3,
        findings: 2,
        bySeverity: { critical: 1, high: 0, medium: 1, low: 0, info: 0 },
        byStatus: { 'at-risk': 2, exposed: 0, incomplete: 0, invalid: 0, ok: 1 },
      },
    });
  });
});

describe('Function: formatReport', () => {
  it('json is the report document itself', () => {
    expect(JSON.parse(formatReport(report, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
  });

  it('table has a header, one row per finding worst first with its remediation, and a summary line', () => {
    const all = formatReport(report, 'table').trimEnd().split('\n');
    const lines = all.slice(all.findIndex((line) => line.startsWith('SEVERITY')));

    expect(all[0]).toBe('What to do first (2 actions, the one that fixes most first):');
    expect(all[1]).toBe('  1. CRITICAL Fix press/x: turn on a second factor (owner: press)');
    expect(lines[0]).toMatch(/^SEVERITY\s+ACCOUNT\s+OWNER\s+CHECK\s+FINDING\s+WHAT TO DO$/);
    expect(lines[1]).toMatch(/^CRITICAL\s+press\/x\s+press\s+mfa\s+MFA is off\s+Turn it on\.$/);
    expect(lines[2]).toMatch(/^MEDIUM\s+press\/fb\s+-\s+ownership\s+No owner\s+Name one\.$/);
    expect(lines.at(-1)).toBe('3 accounts (2 at risk, 1 ok); 2 findings: 1 critical, 1 medium');
  });

  it('table shows what changed and what was fixed when the lifecycle is tracked', () => {
    const tracked = buildReport(result, new Date('2026-06-01T12:00:00Z'), {
      tracked: true,
      new: ['press/x#mfa:disabled'],
      worsened: [],
      reminded: [],
      unchanged: ['press/fb#ownership:missing-owner'],
      reopened: [],
      accepted: [],
      resolved: ['press/li#mfa:no-evidence'],
    });

    const all = formatReport(tracked, 'table').trimEnd().split('\n');
    const lines = all.slice(all.findIndex((line) => line.startsWith('SEVERITY')));

    expect(lines[0]).toMatch(/^SEVERITY\s+CHANGE\s+ACCOUNT/);
    expect(lines[1]).toMatch(/^CRITICAL\s+NEW\s+press\/x/);
    expect(lines[2]).toMatch(/^MEDIUM\s+-\s+press\/fb/);
    expect(lines.slice(-4)).toEqual([
      'Fixed since the last run:',
      '  press/li#mfa:no-evidence',
      '',
      '3 accounts (2 at risk, 1 ok); 2 findings: 1 critical, 1 medium; since the last run: 1 new, 1 fixed',
    ]);
    expect(formatReport(tracked, 'markdown')).toContain('| **critical** | NEW | `press/x` |');
  });

  it('table says so plainly when there is nothing to fix', () => {
    const clean = buildReport(
      { accounts: [result.accounts[2] as ScanResult['accounts'][number]], findings: [] },
      new Date(0),
    );

    expect(formatReport(clean, 'table')).toBe('1 account (1 ok); no findings\n');
  });

  it('markdown is a table a ticket can hold, with pipes in text escaped', () => {
    const markdown = formatReport(report, 'markdown');

    expect(markdown).toContain('| Severity | Account | Owner | Check | Finding | What to do |');
    expect(markdown).toContain(
      '| **critical** | `press/x` | press | `mfa` | **MFA is off**: Off \\| really | Turn it on. |',
    );
    expect(markdown.split('\n').filter((line) => line.startsWith('| **'))).toHaveLength(2);
  });
});

describe('Hostile text in every format: printed, never obeyed', () => {
  const hostile = {
    id: 'press/`x` | [click](https://evil.example) ![img](https://evil.example/p.png) <b>bold</b> *em*',
    owner: 'press\u202e-office',
    detail: 'a \u001b[2J clear, a zero\u200bwidth, a line\u2028separator and [a link](https://evil.example)',
  };
  const hostileReport = buildReport(
    {
      accounts: [
        {
          id: hostile.id,
          platform: 'x.com',
          owner: hostile.owner,
          status: 'at-risk',
          worstSeverity: 'high',
          checks: { mfa: 'failed' },
        },
      ],
      findings: [
        finding({
          accountId: hostile.id,
          check: 'mfa',
          kind: 'no-evidence',
          severity: 'high',
          title: 'No evidence',
          detail: hostile.detail,
          remediation: 'Turn it on.',
        }),
      ],
    },
    new Date('2026-06-01T12:00:00Z'),
  );

  it('markdown: an id stays inside its code span, and no text becomes a link, an image, HTML or emphasis', () => {
    const row = formatReport(hostileReport, 'markdown')
      .split('\n')
      .find((line) => line.startsWith('| **high**')) as string;

    // The id's backticks cannot close its span: the fence is longer than any run inside it.
    expect(row).toContain(
      '``press/`x` \\| [click](https://evil.example) ![img](https://evil.example/p.png) <b>bold</b> *em*``',
    );
    // In running text, the syntax is escaped, and a bare URL is code, which no renderer makes a link.
    expect(row).toContain('\\[a link\\](`https://evil.example`)');
    expect(row).not.toMatch(/[^\\]\[a link\]/);
    // Every | but the cell separators is escaped: the row keeps its 6 cells.
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(6);
  });

  it.each(['table', 'markdown'] as const)(
    '%s: control, invisible and reordering characters are shown as codes',
    (format) => {
      const text = formatReport(hostileReport, format);

      // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for them is the point
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e\u2028]/);
      // Markdown escapes the code's backslash too, so that a reader sees the same `\u{202e}`.
      expect(text).toContain(format === 'table' ? 'press\\u{202e}-office' : 'press\\\\u{202e}-office');
      if (format === 'markdown') expect(text).toContain('a \\\\u{1b}\\[2J clear');
    },
  );
});

describe('The text formats, with accepted risks', () => {
  const acceptance = { reason: 'vendor | *migration*', acceptedBy: 'Head of Digital', expires: '2026-06-10' };
  const [critical, medium] = result.findings as [Finding, Finding];
  const withAccepted = buildReport(
    {
      ...result,
      findings: [critical, { ...medium, accepted: acceptance }],
      exceptions: [
        {
          account: 'press/fb',
          check: 'ownership',
          ...acceptance,
          status: 'active',
          matched: [medium.id],
          stale: false,
        },
        { account: 'gone/*', check: 'mfa', ...acceptance, status: 'active', matched: [], stale: true },
      ],
    },
    new Date('2026-06-01T12:00:00Z'),
  );

  it('lists an accepted finding apart in the table, not among the findings, and names the stale exception', () => {
    const table = formatReport(withAccepted, 'table');
    const [findingRows] = table.split('\n\n');

    expect(findingRows).not.toContain('No owner');
    expect(table).toContain(
      'Accepted until 2026-06-10 (ends within 14 days): press/fb ownership (medium): No owner; by Head of Digital: vendor | *migration*',
    );
    expect(table).toContain('Matched no finding: gone/* mfa (accepted by Head of Digital)');
    expect(table).toContain('1 finding: 1 critical; 1 accepted');
  });

  it('gives accepted risks a section of their own in Markdown, with outside text escaped', () => {
    const markdown = formatReport(withAccepted, 'markdown');

    expect(markdown).toContain('## Accepted risks');
    expect(markdown).toContain('vendor \\| \\*migration\\*');
    expect(markdown.split('## Accepted risks')[0]).not.toContain('No owner');
  });
});

describe('The Markdown report, rendered as GitHub would', () => {
  // markdown-it with linkify finds bare URLs, www. addresses and emails as GitHub's autolinks do.
  const renderer = new MarkdownIt({ linkify: true });
  renderer.linkify.set({ fuzzyLink: true, fuzzyEmail: true });
  const urls = [
    'https://evil.example/login',
    'www.evil.com',
    'boss@evil.example',
    'mailto:boss@evil.example',
    'ftp://evil.example/x',
  ];

  it.each(urls)('makes no live link of %s in an owner or in who accepted a risk', (url) => {
    const withUrls = buildReport(
      {
        accounts: [{ ...result.accounts[0], owner: `press ${url}` } as ScanResult['accounts'][number]],
        findings: [
          {
            ...(result.findings[0] as Finding),
            accepted: { reason: `see ${url}`, acceptedBy: `Head of Digital (${url})`, expires: '2026-07-01' },
          },
        ],
      },
      new Date('2026-06-01T12:00:00Z'),
    );
    const open = buildReport(
      {
        accounts: [{ ...result.accounts[0], owner: url } as ScanResult['accounts'][number]],
        findings: result.findings,
      },
      new Date('2026-06-01T12:00:00Z'),
    );

    for (const markdown of [formatReport(withUrls, 'markdown'), formatReport(open, 'markdown')]) {
      const html = renderer.render(markdown);
      expect(html).not.toMatch(/<a [^>]*evil/);
      expect(html).toContain(url.replaceAll('&', '&amp;'));
    }
  });
});

describe('The JSON report, in pieces', () => {
  it('is JSON.stringify of the report, byte for byte, each account and finding a piece of its own', () => {
    const tracked = buildReport(result, new Date('2026-06-01T12:00:00Z'), {
      tracked: true,
      new: ['press/x#mfa:disabled'],
      worsened: [],
      reminded: [],
      unchanged: [],
      reopened: [],
      accepted: [],
      resolved: ['gone#mfa:disabled'],
    });
    const empty = buildReport({ accounts: [], findings: [] }, new Date('2026-06-01T12:00:00Z'));

    for (const each of [report, tracked, empty]) {
      const chunks = reportChunks(each, 'json');
      expect(chunks.join('')).toBe(`${JSON.stringify(each, null, 2)}\n`);
      expect(chunks.length).toBeGreaterThanOrEqual(each.accounts.length + each.findings.length);
    }
  });
});

describe('Takeover chains in the report, from their structure', () => {
  const takeover = finding({
    accountId: 'press/x',
    check: 'recovery',
    kind: 'exposed-chain',
    severity: 'critical',
    title: 'Can be taken over through another login',
    detail: 'd',
    remediation: 'r',
    evidence: {
      chains: [{ logins: ['press/x', 'm0 <- fake', 'm39'], hidden: 37 }],
      fixFirst: 'm39',
      links: ['m39: breached-password:breached (critical)'],
    },
  });
  const withChain = buildReport(
    {
      accounts: [
        { id: 'press/x', platform: 'x.com', owner: 'press', status: 'at-risk', worstSeverity: 'critical', checks: {} },
      ],
      findings: [takeover],
    },
    new Date('2026-06-01T12:00:00Z'),
  );

  it('draws each login as its own box, the left-out links as one, and never splits an id at its arrow', () => {
    const html = formatReport(withChain, 'html');

    expect(html).toContain('<span class="link hidden-links">37 more</span>');
    expect(html).toContain('<code>m0 &lt;- fake</code>');
    expect(html.match(/class="arrow"/g)).toHaveLength(3);
  });

  it('writes the chain in text with the id that holds the separator quoted', () => {
    expect(formatReport(withChain, 'table')).toContain('press/x <- "m0 <- fake" <- (37 more) <- m39');
  });
});
