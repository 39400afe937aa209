import type { EvidenceSourceCli } from '../cli-part';
import { cloudTrailCli } from './cloudtrail/cli';
import { hibpCli } from './hibp/cli';
import { pwnedPasswordsCli } from './pwned-passwords/cli';
import { zxcvbnCli } from './zxcvbn/cli';

/** The evidence sources a local scan can ask, as the CLI offers them: one line each. */
export const EVIDENCE_SOURCE_CLIS: readonly EvidenceSourceCli[] = [
  pwnedPasswordsCli,
  hibpCli,
  zxcvbnCli,
  cloudTrailCli,
];
