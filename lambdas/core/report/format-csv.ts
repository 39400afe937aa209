import { kindOf } from '../finding';
import { actionId } from './actions';
import { changeLabels, type Report } from './report';
import { plainText } from './safe-text';

/** The columns, in order: what a platform team's spreadsheet of findings keeps, and the id to join with the JSON. */
const COLUMNS = [
  'severity',
  'change',
  'account',
  'owner',
  'platform',
  'check',
  'kind',
  'title',
  'detail',
  'what_to_do',
  'link',
  'action',
  'action_rank',
  'accepted_until',
  'accepted_by',
  'accepted_reason',
  'finding_id',
] as const;

/**
 * A cell a spreadsheet would read as a formula (or as the start of one, after a tab or a carriage return): a login id
 * or an owner from outside could otherwise run `=HYPERLINK(…)` or `=cmd|…` on the reader's machine (OWASP's "CSV
 * injection"). Such a cell is written with a leading `'`, which spreadsheets show as text and do not evaluate.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field, RFC 4180: quoted when it holds a comma, a quote or a line break, with each quote doubled. */
function field(value: string): string {
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const row = (cells: readonly string[]) => `${cells.map(field).join(',')}\r\n`;

/**
 * `--format csv`: one row per finding, worst first, accepted ones included (with who accepted them and until when),
 * under a header row; RFC 4180 (comma-separated, CRLF line ends, UTF-8). Each open finding names the action that fixes
 * it (its own login's, or for a derived one its root's: `action`) and that action's place in the ranking
 * (`action_rank`, 1 first), so that sorting by it puts the root causes first. Nothing else: the summary, the takeover
 * paths and what was fixed are in the other formats.
 */
export function csvChunks(report: Report): string[] {
  const tracked = report.lifecycle.tracked;
  const rankOf = new Map(report.actions.map((action, index) => [action.id, index + 1]));
  const changeOf = changeLabels(report);
  const accountOf = new Map(report.accounts.map((account) => [account.id, account]));
  const chunks = [row(COLUMNS)];
  for (const found of report.findings) {
    const account = accountOf.get(found.accountId);
    const change = tracked ? changeOf(found.id) : '';
    const action = found.accepted === undefined ? (found.rootAction ?? actionId(found.accountId)) : undefined;
    const rank = action === undefined ? undefined : rankOf.get(action);
    chunks.push(
      row(
        [
          found.severity,
          change === '-' ? '' : change.toLowerCase(),
          found.accountId,
          account?.owner ?? '',
          account?.platform ?? '',
          found.check,
          kindOf(found),
          found.title,
          found.detail,
          found.remediation,
          found.link ?? '',
          rank === undefined ? '' : (action as string),
          rank === undefined ? '' : String(rank),
          found.accepted?.expires ?? '',
          found.accepted?.acceptedBy ?? '',
          found.accepted?.reason ?? '',
          found.id,
        ].map(plainText),
      ),
    );
  }
  return chunks;
}
