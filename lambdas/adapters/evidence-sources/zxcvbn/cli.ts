import type { EvidenceSourceCli } from '../../cli-part';
import { ZxcvbnStrengthEstimator } from '../../zxcvbn-strength-estimator';

/** The strength estimator of a local scan: no options. */
export const zxcvbnCli: EvidenceSourceCli = {
  options: [],
  open: async () => ({ strengthEstimator: new ZxcvbnStrengthEstimator() }),
};
