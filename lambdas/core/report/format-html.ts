import type { TakeoverChain } from '../check';
import { CHECK_IDS, type CheckId, type Finding } from '../finding';
import { appendTo } from '../grouping';
import type { TrendPoint } from '../lifecycle/trend';
import type { AccountResult, CheckOutcome, MfaEvidence } from '../scan';
import { SEVERITIES, type Severity, worstOf } from '../severity';
import { byCodeUnits } from '../text-order';
import type { Action } from './actions';
import {
  acceptanceLines,
  changeLabels,
  memberLines,
  type OwnerScore,
  type Report,
  summaryLine,
  TOP_ACTIONS,
  takeoverPaths,
} from './report';
import { htmlText } from './safe-text';

/**
 * One self-contained page for a person: the estate's headline, charts of findings by severity, by check and of MFA
 * evidence, a matrix of accounts (grouped by owner) by checks, then every finding with what to do. Inline CSS and SVG
 * only: no script, no font, no image fetched from anywhere (its Content-Security-Policy forbids it), readable with
 * scripts off and printable. Every piece of outside text goes through `htmlText`; the report holds no secret material.
 */
export function formatHtml(report: Report): string {
  return htmlChunks(report).join('');
}

/** The page in pieces, each finding one: a report of a million findings is never one string. */
export function htmlChunks(report: Report): string[] {
  const open = report.findings.filter((found) => found.accepted === undefined);
  const { summary } = report;
  const sections = [
    ['actions', 'What to do first'],
    ['owners', 'Owners'],
    ...(report.lifecycle.tracked ? [['changes', 'Since the last run']] : []),
    ['charts', 'Charts'],
    ['accounts', 'Accounts by check'],
    ...(takeoverPaths(report).length > 0 ? [['takeovers', 'Takeover paths']] : []),
    ['findings', 'Findings'],
    ...(report.findings.some((found) => found.accepted !== undefined) || (report.exceptions ?? []).length > 0
      ? [['accepted', 'Accepted risks']]
      : []),
    ...(report.members !== undefined ? [['members', 'Member accounts']] : []),
  ];
  const head = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Credential hygiene report, ${htmlText(report.generatedAt.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>Credential hygiene report</h1>
<p class="muted">Generated ${htmlText(report.generatedAt)}. ${htmlText(summaryLine(report))}.</p>
<nav aria-label="Contents" class="contents">${sections.map(([id, label]) => `<a href="#${id}">${label}</a>`).join(' · ')}</nav>
</header>
<section aria-label="Headline" class="cards">
${card('Accounts', summary.accounts, 'accounts')}
${card('At risk', summary.byStatus['at-risk'], 'at-risk')}
${card('Exposed through another login', summary.exposed, 'exposed')}
${card('Unchecked', summary.unchecked, 'unchecked')}
${card('Critical findings', summary.bySeverity.critical, 'critical')}
${summary.accepted > 0 ? card('Accepted risks', summary.accepted, 'accepted') : ''}
${knownByLeavers(report)}
</section>
<div class="first-screen">
${actionsSection(report)}
${scorecard(report)}
</div>
${changesSection(report)}
<section id="charts" aria-label="Charts" class="charts">
<figure><figcaption>Findings by severity</figcaption>${barChart(
    'chart-severity',
    SEVERITIES.filter((severity) => severity !== 'info' || summary.bySeverity.info > 0).map((severity) => ({
      label: severity,
      value: summary.bySeverity[severity],
      tone: severity,
    })),
  )}</figure>
<figure><figcaption>Findings by check</figcaption>${barChart('chart-check', byCheck(open))}</figure>
${mfaChart(summary.byMfaEvidence)}
${trendChart(report.lifecycle.trend)}
</section>
${matrix(report)}
${takeoverSection(report)}
<section id="findings" aria-labelledby="findings-heading">
<h2 id="findings-heading">Findings, worst first (${open.length})</h2>
`;
  const article = findingArticle(report);
  const body: string[] = [];
  if (open.length === 0) body.push('<p>No findings need attention.</p>\n');
  // Folded by owner, the worst owner first: a page of thousands of findings opens at a list a person can scan.
  const byOwner = new Map<string | null, Finding[]>();
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner]));
  for (const found of open) appendTo(byOwner, ownerOf.get(found.accountId) ?? null, found);
  for (const score of report.summary.byOwner) {
    const findings = byOwner.get(score.owner);
    if (findings === undefined) continue;
    body.push(
      `<details class="owner-findings" data-owner="${htmlText(score.owner ?? '')}"><summary>${ownerName(score.owner)}: ${findings.length} finding${findings.length === 1 ? '' : 's'}, worst ${findings[0]?.severity}</summary>\n`,
    );
    for (const found of findings) body.push(`${article(found)}\n`);
    body.push('</details>\n');
  }
  const tail = `</section>
${acceptedSection(report)}
${membersSection(report)}
</body>
</html>
`;
  return [head, ...body, tail];
}

/** The members of the estate scanned, skipped and failed (each listed: an organisation has hundreds, not millions). */
function membersSection(report: Report): string {
  const lines = memberLines(report, htmlText);
  if (lines.length === 0) return '';
  return `<section id="members" aria-labelledby="members-heading">
<h2 id="members-heading">Member accounts</h2>
<ul>${lines.map((line) => `<li>${line}</li>`).join('')}</ul>
</section>`;
}

/** Who knows a login's password, where the knowers check ran: how many read it, and who of them has left. */
function knowersNote(account: AccountResult): string {
  const knowers = account.knowers;
  if (knowers === undefined) return '';
  const left = knowers.left.map((person) => htmlText(person.name));
  return ` <span class="small muted knowers">${knowers.people} ${knowers.people === 1 ? 'knows' : 'know'} it${left.length > 0 ? `; left: ${left.join(', ')}` : ''}</span>`;
}

/** The headline card of logins someone who has left knows the password of, where the knowers check ran. */
function knownByLeavers(report: Report): string {
  const knowing = report.accounts.filter((account) => account.knowers !== undefined);
  if (knowing.length === 0) return '';
  return card(
    'Known to someone who left',
    knowing.filter((account) => (account.knowers?.left.length ?? 0) > 0).length,
    'known-to-leavers',
  );
}

/** An owner as a heading names it. */
function ownerName(owner: string | null): string {
  return owner === null ? 'No owner' : `Owner: ${htmlText(owner)}`;
}

/** A link to a platform's page: opened without telling the page where it came from. */
function pageLink(url: string, label: string): string {
  return `<a class="fix-link" href="${htmlText(url)}" rel="noreferrer noopener">${label}</a>`;
}

/** How many owners the scorecard shows before the rest fold. */
const SCORECARD_ROWS = 10;

/** The ranked actions: the first ten on the first screen, the rest folded beneath them. */
function actionsSection(report: Report): string {
  // Two short lines each, so that ten fit the first screen beside the scorecard; the logins an action exposes fold
  // into its second line.
  const item = (action: Action) => {
    const exposed = action.exposes.length;
    const logins = `${exposed} login${exposed === 1 ? '' : 's'}`;
    return `<li class="action ${action.severity}" data-action="${htmlText(action.id)}"><span class="badge ${action.severity}">${action.severity}</span> ${htmlText(action.title)}<br><span class="small muted">${action.owner === null ? 'no owner' : htmlText(action.owner)} · fixes ${action.fixes.length} finding${action.fixes.length === 1 ? '' : 's'}${action.link === undefined ? '' : ` · ${pageLink(action.link, 'where to fix it')}`}${exposed === 0 ? '' : ` · <details class="exposes"><summary>exposes ${logins}</summary>: ${action.exposes.map((id) => `<code>${htmlText(id)}</code>`).join(', ')}</details>`}</span></li>`;
  };
  const top = report.actions.slice(0, TOP_ACTIONS);
  const rest = report.actions.slice(TOP_ACTIONS);
  return `<section id="actions" aria-labelledby="actions-heading" class="actions">
<h2 id="actions-heading">What to do first</h2>
${
  top.length === 0
    ? '<p>Nothing to do: no finding needs attention.</p>'
    : `<ol class="actions">${top.map(item).join('')}</ol>${
        rest.length === 0
          ? ''
          : `<details class="more-actions"><summary>and ${rest.length} more</summary><ol start="${TOP_ACTIONS + 1}" class="actions">${rest.map(item).join('')}</ol></details>`
      }`
}
</section>`;
}

/** Owners ranked by their worst open finding, then by how many: who needs help first. */
function scorecard(report: Report): string {
  const row = (score: OwnerScore) =>
    `<tr data-owner="${htmlText(score.owner ?? '')}"><th scope="row">${score.owner === null ? 'No owner' : htmlText(score.owner)}</th><td>${score.worst === null ? '<span class="muted">none</span>' : `<span class="badge ${score.worst}">${score.worst}</span>`}</td><td>${score.findings}</td><td>${score.atRisk}</td><td>${score.exposed}</td><td>${score.accounts}</td></tr>`;
  const head =
    '<thead><tr><th scope="col">Owner</th><th scope="col">Worst</th><th scope="col">Findings</th><th scope="col">At risk</th><th scope="col">Exposed</th><th scope="col">Logins</th></tr></thead>';
  const scores = report.summary.byOwner;
  const rest = scores.slice(SCORECARD_ROWS);
  return `<section id="owners" aria-labelledby="owners-heading" class="owners">
<h2 id="owners-heading">Owners, worst first</h2>
<table class="scorecard">${head}<tbody>${scores.slice(0, SCORECARD_ROWS).map(row).join('')}</tbody></table>${
    rest.length === 0
      ? ''
      : `<details class="more-owners"><summary>and ${rest.length} more owners</summary><table class="scorecard">${head}<tbody>${rest.map(row).join('')}</tbody></table></details>`
  }
</section>`;
}

const OUTCOME_MARKS: Readonly<Record<CheckOutcome | 'not-run', { readonly mark: string; readonly word: string }>> = {
  failed: { mark: '✗', word: 'finding' },
  error: { mark: '!', word: 'could not run' },
  pending: { mark: '…', word: 'pending' },
  accepted: { mark: '≈', word: 'accepted' },
  passed: { mark: '✓', word: 'passed' },
  'not-run': { mark: '–', word: 'not run' },
};

/** Ids listed per kind of change in "Since the last run"; the JSON report has them all. */
const MAX_LISTED_CHANGES = 100;

const MFA_EVIDENCE_ORDER: readonly MfaEvidence[] = ['verified', 'vault', 'attested', 'none'];
const MFA_EVIDENCE_WORDS: Readonly<Record<MfaEvidence, string>> = {
  verified: 'verified by the identity provider',
  vault: 'a working TOTP seed is held',
  attested: 'the owner says so',
  none: 'no evidence',
};

function card(label: string, value: number, tone: string): string {
  return `<div class="card ${tone}" data-headline="${tone}"><span class="value">${value}</span><span class="label">${htmlText(label)}</span></div>`;
}

interface Bar {
  readonly label: string;
  readonly value: number;
  readonly tone?: string;
}

/** A horizontal bar chart as inline SVG, each bar labelled with its name and count (readable without colour). */
function barChart(id: string, bars: readonly Bar[]): string {
  if (bars.length === 0) return '<p class="muted">None.</p>';
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const row = 24;
  const labelWidth = 170;
  const barWidth = 260;
  const height = bars.length * row + 4;
  const rows = bars.map((bar, index) => {
    const y = index * row + 2;
    const width = bar.value === 0 ? 0 : Math.max(2, Math.round((bar.value / max) * barWidth));
    return `<g><text x="0" y="${y + 16}" class="bar-label">${htmlText(bar.label)}</text><rect x="${labelWidth}" y="${y + 3}" width="${width}" height="${row - 8}" class="bar ${bar.tone ?? 'neutral'}"></rect><text x="${labelWidth + width + 6}" y="${y + 16}" class="bar-value">${bar.value}</text></g>`;
  });
  return `<svg id="${id}" role="img" aria-label="${htmlText(bars.map((bar) => `${bar.label}: ${bar.value}`).join(', '))}" viewBox="0 0 ${labelWidth + barWidth + 60} ${height}" width="${labelWidth + barWidth + 60}" height="${height}" xmlns="http://www.w3.org/2000/svg">${rows.join('')}</svg>`;
}

function byCheck(findings: readonly Finding[]): Bar[] {
  const counts = new Map<CheckId, number>();
  for (const found of findings) counts.set(found.check, (counts.get(found.check) ?? 0) + 1);
  return CHECK_IDS.flatMap((check) => {
    const value = counts.get(check);
    return value === undefined ? [] : [{ label: check, value, tone: 'check' }];
  });
}

/**
 * Open findings by severity over the runs the kept state knows of, as stacked columns (the worst at the bottom), the
 * counts in the chart's label for a reader that cannot see it.
 */
function trendChart(trend: readonly TrendPoint[] | undefined): string {
  if (trend === undefined || trend.length < 2) return '';
  const shown = SEVERITIES.filter((severity) => trend.some((point) => point.open[severity] > 0));
  const total = (point: TrendPoint) => shown.reduce((sum, severity) => sum + point.open[severity], 0);
  const max = Math.max(1, ...trend.map(total));
  const column = 18;
  const gap = 6;
  const height = 120;
  const columns = trend.map((point, index) => {
    let y = height;
    const x = index * (column + gap);
    const parts = shown.map((severity) => {
      const h = Math.round((point.open[severity] / max) * (height - 4));
      y -= h;
      return h === 0 ? '' : `<rect x="${x}" y="${y}" width="${column}" height="${h}" class="bar ${severity}"></rect>`;
    });
    return `<g><title>${htmlText(point.at.slice(0, 10))}: ${total(point)} open</title>${parts.join('')}</g>`;
  });
  const width = trend.length * (column + gap);
  const label = trend
    .map(
      (point) =>
        `${point.at.slice(0, 10)}: ${shown.map((severity) => `${point.open[severity]} ${severity}`).join(', ')}`,
    )
    .join('; ');
  const first = trend[0]?.at.slice(0, 10) ?? '';
  const last = trend.at(-1)?.at.slice(0, 10) ?? '';
  return `<figure><figcaption>Open findings over the last ${trend.length} changes (${htmlText(first)} to ${htmlText(last)})</figcaption><svg id="chart-trend" role="img" aria-label="${htmlText(label)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">${columns.join('')}</svg><p class="small muted">Each column a run that changed something, the worst severity at the bottom; a finding counts with its latest severity.</p></figure>`;
}

function mfaChart(byMfaEvidence: Report['summary']['byMfaEvidence']): string {
  if (byMfaEvidence === undefined) return '';
  const bars = MFA_EVIDENCE_ORDER.map((evidence) => ({
    label: evidence,
    value: byMfaEvidence[evidence] ?? 0,
    tone: `mfa-${evidence}`,
  }));
  const legend = MFA_EVIDENCE_ORDER.map((evidence) => `<li><b>${evidence}</b>: ${MFA_EVIDENCE_WORDS[evidence]}</li>`);
  return `<figure><figcaption>Evidence of a second factor, by account</figcaption>${barChart('chart-mfa', bars)}<ul class="legend small">${legend.join('')}</ul></figure>`;
}

function changesSection(report: Report): string {
  const { lifecycle } = report;
  if (!lifecycle.tracked) return '';
  const counts = [
    ['new', lifecycle.new.length],
    ['worse', lifecycle.worsened.length],
    ['reopened', lifecycle.reopened.length],
    ['reminders', lifecycle.reminded.length],
    ['fixed', lifecycle.resolved.length],
  ] as const;
  // A page lists what a person can read: the first ids of each change, and how many more there are.
  const list = (title: string, ids: readonly string[]) =>
    ids.length === 0
      ? ''
      : `<h3>${title}</h3><ul class="ids">${ids
          .slice(0, MAX_LISTED_CHANGES)
          .map((id) => `<li><code>${htmlText(id)}</code></li>`)
          .join(
            '',
          )}${ids.length > MAX_LISTED_CHANGES ? `<li>and ${ids.length - MAX_LISTED_CHANGES} more</li>` : ''}</ul>`;
  return `<section id="changes" aria-labelledby="changes-heading" class="changes">
<h2 id="changes-heading">Since the last run</h2>
<p>${counts.map(([label, count]) => `<span class="change" data-change="${label}"><b>${count}</b> ${label}</span>`).join(' ')}</p>
${list('New', lifecycle.new)}${list('Open again: an acceptance ended', lifecycle.reopened)}${list('Fixed', lifecycle.resolved)}${escalations(report)}
</section>`;
}

/** Each escalation contact and the findings it was told of (at most MAX_LISTED_CHANGES each). */
function escalations(report: Report): string {
  const digests = report.notices ?? [];
  if (digests.length === 0) return '';
  const items = digests.map(({ to, findings }) => {
    const whom =
      to === null
        ? 'To nobody (their owners name no <code>escalateTo</code>, and there is no platform team here)'
        : `To ${htmlText(to)}`;
    const listed = findings
      .slice(0, MAX_LISTED_CHANGES)
      .map(
        (each) =>
          `<li><code>${htmlText(each.accountId)}</code> (owner ${each.owner === null ? 'nobody' : htmlText(each.owner)}): ${htmlText(each.title)} <span class="badge ${each.severity}">${each.severity}</span>, open ${each.openDays} days</li>`,
      )
      .join('');
    const more =
      findings.length > MAX_LISTED_CHANGES ? `<li>and ${findings.length - MAX_LISTED_CHANGES} more</li>` : '';
    return `<li>${whom}<ul class="ids">${listed}${more}</ul></li>`;
  });
  return `<h3>Escalated: left open past the policy's days, told once</h3><ul>${items.join('')}</ul>`;
}

/**
 * Accounts (rows) by the checks that ran (columns), each cell its outcome as mark, word and colour; one folded table
 * per owner, the worst owner first and each owner's worst login first.
 */
function matrix(report: Report): string {
  const ran = new Set<string>(report.accounts.flatMap((account) => Object.keys(account.checks)));
  const columns = CHECK_IDS.filter((check) => ran.has(check));
  const worst = new Map<string, Severity>();
  for (const found of report.findings) {
    if (found.accepted !== undefined) continue;
    const key = `${found.accountId}\u0000${found.check}`;
    const before = worst.get(key);
    worst.set(key, before === undefined ? found.severity : (worstOf([before, found.severity]) as Severity));
  }
  const byOwner = new Map<string | null, AccountResult[]>();
  for (const account of report.accounts) appendTo(byOwner, account.owner, account);
  const rank = (account: AccountResult) =>
    account.worstSeverity === null ? SEVERITIES.length : SEVERITIES.indexOf(account.worstSeverity);
  const statusRank: Readonly<Record<AccountResult['status'], number>> = {
    invalid: 0,
    'at-risk': 1,
    exposed: 2,
    incomplete: 3,
    ok: 4,
  };
  const byRisk = (a: AccountResult, b: AccountResult) =>
    rank(a) - rank(b) || statusRank[a.status] - statusRank[b.status] || byCodeUnits(a.id, b.id);
  const cell = (account: AccountResult, check: CheckId) => {
    const outcome = account.checks[check];
    if (outcome === 'failed') {
      const severity = worst.get(`${account.id}\u0000${check}`);
      if (severity !== undefined) {
        return `<td class="cell failed ${severity}" data-outcome="failed"><span aria-hidden="true">${OUTCOME_MARKS.failed.mark}</span> ${severity}</td>`;
      }
    }
    // An account that could be read has passed invalid-secret, though no check of that name ran on it.
    const shown = outcome ?? (check === 'invalid-secret' ? 'passed' : 'not-run');
    const { mark, word } = OUTCOME_MARKS[shown];
    return `<td class="cell ${shown}" data-outcome="${shown}"><span aria-hidden="true">${mark}</span> ${word}</td>`;
  };
  const thead = `<thead><tr><th scope="col">Account</th><th scope="col">Platform</th>${columns.map((check) => `<th scope="col">${check.replaceAll('-', '-<wbr>')}</th>`).join('')}</tr></thead>`;
  const groups = report.summary.byOwner.flatMap((score) => {
    const accounts = byOwner.get(score.owner);
    if (accounts === undefined) return [];
    const rows = [...accounts]
      .sort(byRisk)
      .map(
        (account) =>
          `<tr class="account ${account.status}" data-account="${htmlText(account.id)}"><th scope="row"><code>${htmlText(account.id)}</code>${account.status === 'exposed' ? ' <span class="small muted">exposed</span>' : ''}${knowersNote(account)}</th><td class="platform">${htmlText(account.platform ?? '?')}</td>${columns.map((check) => cell(account, check)).join('')}</tr>`,
      );
    return [
      `<details class="owner-group" data-owner="${htmlText(score.owner ?? '')}"><summary><span class="owner-name">${ownerName(score.owner)}</span>: ${score.accounts} login${score.accounts === 1 ? '' : 's'}, ${score.findings} finding${score.findings === 1 ? '' : 's'}${score.worst === null ? '' : `, worst ${score.worst}`}</summary>
<div class="scroll"><table class="matrix">${thead}<tbody>
${rows.join('\n')}
</tbody></table></div></details>`,
    ];
  });
  const legend = (['failed', 'error', 'pending', 'accepted', 'passed', 'not-run'] as const).map(
    (outcome) =>
      `<li><span class="swatch ${outcome === 'failed' ? 'high' : outcome}" aria-hidden="true">${OUTCOME_MARKS[outcome].mark}</span> ${outcome === 'failed' ? 'a finding, with its severity (critical, high, medium, low)' : OUTCOME_MARKS[outcome].word}</li>`,
  );
  return `<section id="accounts" aria-labelledby="matrix-heading">
<h2 id="matrix-heading">Accounts by check</h2>
<p class="muted small">One table per owner, the worst owner first; open one to see its logins, the worst first.</p>
<ul class="legend">${legend.join('')}</ul>
${groups.join('\n')}
</section>`;
}

function findingArticle(report: Report): (found: Finding) => string {
  const change = changeLabels(report);
  const ownerOf = new Map(report.accounts.map((account) => [account.id, account.owner]));
  return (found) => {
    const label = report.lifecycle.tracked ? change(found.id) : '-';
    const owner = ownerOf.get(found.accountId);
    return `<article class="finding ${found.severity}">
<h3><span class="badge ${found.severity}">${found.severity}</span>${label === '-' ? '' : ` <span class="badge change">${htmlText(label)}</span>`} ${htmlText(found.title)}</h3>
<p class="meta"><code>${htmlText(found.accountId)}</code> · ${found.check} · owner: ${owner ? htmlText(owner) : 'none'}</p>
<p>${htmlText(found.detail)}</p>
<p class="todo"><b>What to do:</b> ${htmlText(found.remediation)}${found.link === undefined ? '' : ` ${pageLink(found.link, 'Where to fix it')}`}</p>
</article>`;
  };
}

/**
 * The takeover paths, grouped by the link to fix first (the mailbox behind fourteen logins is one line, not
 * fourteen), each group folded with its chains drawn as boxes: the login, then each login that can reset it.
 */
function takeoverSection(report: Report): string {
  const paths = takeoverPaths(report);
  if (paths.length === 0) return '';
  const box = (id: string, index: number, fixFirst: string) =>
    `<span class="link${index === 0 ? ' target' : ''}${id === fixFirst ? ' fix-first' : ''}"><code>${htmlText(id)}</code>${id === fixFirst ? ' <b>fix first</b>' : ''}</span>`;
  const arrow = '<span class="arrow" aria-label="can be reset by"> ← </span>';
  const chainOf = (chain: TakeoverChain, fixFirst: string) => {
    const boxes = chain.logins.map((id, index) => box(id, index, fixFirst));
    if (chain.hidden !== undefined) {
      boxes.splice(-1, 0, `<span class="link hidden-links">${chain.hidden} more</span>`);
    }
    return `<li class="chain">${boxes.join(arrow)}</li>`;
  };
  const byRoot = new Map<string, (typeof paths)[number][]>();
  for (const path of paths) appendTo(byRoot, path.fixFirst, path);
  const groups = [...byRoot]
    .sort(([a, first], [b, second]) => second.length - first.length || byCodeUnits(a, b))
    .map(([root, group]) => {
      const severity = worstOf(group.map((path) => path.severity)) ?? 'info';
      return `<details class="takeover-group" data-fix-first="${htmlText(root)}"><summary><span class="badge ${severity}">${severity}</span> Fix <code>${htmlText(root)}</code> first: it can take over ${group.length} login${group.length === 1 ? '' : 's'}</summary><ul class="chains">${group
        .flatMap(({ chains, fixFirst }) => chains.map((chain) => chainOf(chain, fixFirst)))
        .join('')}</ul></details>`;
    });
  const radius = (report.summary.mostExposing ?? [])
    .map(
      ({ id, exposes }) =>
        `<li><code>${htmlText(id)}</code> can reset ${exposes} other login${exposes === 1 ? '' : 's'}</li>`,
    )
    .join('');
  return `<section id="takeovers" aria-labelledby="takeover-heading" class="takeovers">
<h2 id="takeover-heading">Takeover paths</h2>
<p class="muted">A login falls with the login its password resets go to. Each chain reads: this login ← the login that can reset it ← …</p>
${radius === '' ? '' : `<h3>Most exposing</h3><ul>${radius}</ul>`}
${groups.join('\n')}
</section>`;
}

function acceptedSection(report: Report): string {
  const { accepted, exceptions } = acceptanceLines(report, htmlText);
  if (accepted.length === 0 && exceptions.length === 0) return '';
  const list = (title: string, lines: readonly string[]) =>
    lines.length === 0 ? '' : `<h3>${title}</h3><ul>${lines.map((line) => `<li>${line}</li>`).join('')}</ul>`;
  return `<section id="accepted" aria-labelledby="accepted-heading">
<h2 id="accepted-heading">Accepted risks</h2>
<p class="muted">Accepted by policy exceptions: not counted above and told to no one until the day after their date.</p>
${list('Accepted', accepted)}${list('Policy exceptions to review', exceptions)}
</section>`;
}

const STYLE = `
:root{--critical:#b71c1c;--high:#e65100;--medium:#f9a825;--low:#1565c0;--info:#546e7a;--passed:#2e7d32;--ink:#1b1b1b;--muted:#5f6368;--line:#d0d4d9}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--ink);margin:0 auto;max-width:1200px;padding:16px 24px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:20px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:16px;margin:12px 0 4px}
.muted{color:var(--muted)}.small{font-size:13px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:12px 0}
.card{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:6px;padding:6px 14px;min-width:140px;display:flex;flex-direction:column}
.card .value{font-size:24px;font-weight:700}.card .label{color:var(--muted)}
.card.at-risk{border-left-color:var(--high)}.card.known-to-leavers{border-left-color:var(--critical)}.card.exposed{border-left-color:var(--medium)}.card.critical{border-left-color:var(--critical)}.card.unchecked{border-left-color:var(--medium)}.card.accepted{border-left-color:var(--low)}
.charts{display:flex;flex-wrap:wrap;gap:24px}.charts figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}
.bar-label,.bar-value{font-size:13px;fill:var(--ink)}
.bar.critical{fill:var(--critical)}.bar.high{fill:var(--high)}.bar.medium{fill:var(--medium)}.bar.low{fill:var(--low)}.bar.info{fill:var(--info)}.bar.check,.bar.neutral{fill:#455a64}
.bar.mfa-verified{fill:var(--passed)}.bar.mfa-vault{fill:#558b2f}.bar.mfa-attested{fill:var(--medium)}.bar.mfa-none{fill:var(--critical)}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:6px 18px;margin:8px 0}
.swatch{display:inline-block;width:22px;text-align:center;border-radius:3px;color:#fff;font-weight:700}
.scroll{overflow-x:auto}
.matrix{border-collapse:collapse;font-size:12px;width:100%}
.matrix th,.matrix td{border:1px solid var(--line);padding:3px 5px;text-align:left;white-space:nowrap}
.matrix thead th{background:#eceff1;white-space:normal;vertical-align:bottom}
.matrix tr.owner th{background:#f5f5f5;font-weight:600}
.cell.failed.critical,.swatch.critical{background:var(--critical);color:#fff}.cell.failed.high,.swatch.high{background:var(--high);color:#fff}
.cell.failed.medium{background:var(--medium);color:#000}.cell.failed.low{background:var(--low);color:#fff}.cell.failed.info{background:var(--info);color:#fff}
.cell.passed,.swatch.passed{background:#e8f5e9;color:#1b5e20}.cell.error,.swatch.error{background:#fff3e0;color:#7a3e00;font-weight:600}
.cell.pending,.swatch.pending{background:#eceff1;color:#37474f}.cell.accepted,.swatch.accepted{background:#e3f2fd;color:#0d47a1}
.cell.not-run,.swatch.not-run{background:#fff;color:var(--muted)}
.swatch.passed,.swatch.error,.swatch.pending,.swatch.accepted,.swatch.not-run{border:1px solid var(--line)}
.finding{border:1px solid var(--line);border-left:6px solid var(--info);border-radius:6px;padding:8px 14px;margin:10px 0;break-inside:avoid}
.finding.critical{border-left-color:var(--critical)}.finding.high{border-left-color:var(--high)}.finding.medium{border-left-color:var(--medium)}.finding.low{border-left-color:var(--low)}
.finding .meta{color:var(--muted);margin:0}.finding p{margin:6px 0}
.badge{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;text-transform:uppercase;color:#fff;background:var(--info);vertical-align:middle}
.badge.critical{background:var(--critical)}.badge.high{background:var(--high)}.badge.medium{background:var(--medium);color:#000}.badge.low{background:var(--low)}.badge.change{background:#37474f}
.change{margin-right:14px}.ids{columns:2;font-size:13px}
.chains{list-style:none;padding:0}.chain{margin:6px 0}.link{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:2px 6px}
.link.target{background:#eceff1}.link.fix-first{border:2px solid var(--critical)}.arrow{color:var(--muted)}
.contents{margin:6px 0 0;font-size:14px}.contents a{color:#0b57d0}
.first-screen{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:24px;align-items:start}
.first-screen h2{margin-top:8px}
ol.actions{margin:0;padding-left:26px;font-size:14px;line-height:1.35}li.action{margin:0 0 5px}
details.exposes{display:inline}details.exposes>summary{display:inline;padding:0}details.exposes>summary::before{content:'▸ '}details.exposes[open]>summary::before{content:'▾ '}
.scorecard{border-collapse:collapse;font-size:13px;width:100%}.scorecard th,.scorecard td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left}
.scorecard thead th{background:#eceff1}
details>summary{cursor:pointer;padding:4px 0}details.owner-group,details.owner-findings,details.takeover-group{border-bottom:1px solid var(--line)}
.matrix{table-layout:fixed}.matrix th:first-child{width:22%}.matrix td.platform{width:9%}
@media (max-width:900px){.first-screen{grid-template-columns:1fr}}
@media print{details::details-content{content-visibility:visible;display:contents}details>summary{list-style:none}body{max-width:none;padding:0;font-size:11pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}.scroll{overflow:visible}.matrix{font-size:9pt}.matrix th,.matrix td{white-space:normal}h2{break-after:avoid}.card,.finding,figure{break-inside:avoid}}
`;
