import { createHash } from 'node:crypto';

/** The platforms a team's logins are spread over, cycled: broadcast channels, a few services. */
const PLATFORMS = [
  'x.com',
  'facebook.com',
  'instagram.com',
  'linkedin.com',
  'tiktok.com',
  'youtube.com',
  'bsky.app',
  'mastodon.social',
  'reddit.com',
  'snapchat.com',
  'pinterest.com',
] as const;

/** In examples/pwned-passwords.txt: the corpus the example scans against. */
export const BREACHED_PASSWORD = 'Northshire2019!';

/** A password no corpus holds, the same for the same name on every run (a generated estate is reproducible). */
function strongPassword(name: string): string {
  return createHash('sha256').update(name).digest('base64url').slice(0, 22);
}

/**
 * An estate as a platform team has one: `teams` teams, each with a shared mailbox and `loginsPerTeam - 1` logins
 * whose password resets go to it. Every third team's mailbox has a breached password and no recorded second factor
 * (its logins fall with it); every fourth login has an old password of its own; the rest are well kept. An inventory
 * file's document (examples/pwned-passwords.txt is its corpus).
 */
export function generatedEstate(teams: number, loginsPerTeam = 12): { accounts: Record<string, unknown>[] } {
  const accounts: Record<string, unknown>[] = [];
  for (let team = 0; team < teams; team++) {
    const name = `team-${String(team).padStart(3, '0')}`;
    const address = `${name}@force.example`;
    const exposed = team % 3 === 0;
    accounts.push({
      id: `${name}/mailbox`,
      platform: 'outlook.com',
      owner: name,
      username: address,
      email: address,
      password: exposed ? BREACHED_PASSWORD : strongPassword(`${name}/mailbox`),
      passwordChangedAt: '2026-05-01',
      ...(!exposed && { mfa: { status: 'enabled', attestedAt: '2026-05-01' } }),
    });
    for (let n = 1; n < loginsPerTeam; n++) {
      const id = `${name}/${PLATFORMS[(n - 1) % PLATFORMS.length]}-${n}`;
      accounts.push({
        id,
        platform: PLATFORMS[(n - 1) % PLATFORMS.length],
        owner: name,
        username: id.replace('/', '-'),
        email: address,
        password: strongPassword(id),
        passwordChangedAt: n % 4 === 0 ? '2023-01-10' : '2026-05-01',
        mfa: { status: 'enabled', attestedAt: '2026-05-01' },
      });
    }
  }
  return { accounts };
}
