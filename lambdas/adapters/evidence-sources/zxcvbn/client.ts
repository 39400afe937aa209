import { ZxcvbnStrengthEstimator } from '../../zxcvbn-strength-estimator';
import type { EvidenceSourceFactory } from '../source-module';

export const zxcvbnEstimator: EvidenceSourceFactory<'strength', Record<string, never>> = () =>
  new ZxcvbnStrengthEstimator();
