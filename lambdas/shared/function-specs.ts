import type { EvidenceSourceKind } from '../adapters/evidence-sources/source-module';
import type { Check } from '../core/check';
import {
  breachedPasswordCheck,
  mfaCheck,
  ownershipCheck,
  passwordAgeCheck,
  recoveryCheck,
  reusedPasswordCheck,
  rotationCheck,
  weakPasswordCheck,
} from '../core/checks';

/**
 * What a function does with the shared password records: nothing, read them (to age passwords by remembered dates),
 * or record them (fingerprint passwords, and keep the identity records too: the breach-exposure function).
 */
export type PasswordRecordAccess = 'none' | 'read' | 'record';

/**
 * One scheduled function, as data: the handler runs it and the stack deploys it from this one declaration, so that
 * its checks, its grants and its environment cannot drift apart.
 */
export interface FunctionSpec {
  /** `password-age`: the function's name in messages, logs and metrics, its lifecycle partition and its source folder. */
  readonly family: string;
  readonly checks: readonly Check[];
  /** Whether it reads secret values (passwords, seeds); without, its role has no GetSecretValue at all. */
  readonly readsValues: boolean;
  readonly passwords: PasswordRecordAccess;
  /**
   * The kinds of evidence source it asks (see adapters/evidence-sources): `breach`, the password breach corpora;
   * `identity`, where one is configured, for the breached-identity check; `strength`, the strength estimator.
   */
  readonly sourceKinds?: readonly EvidenceSourceKind[];
  /** Asks the configured identity providers about MFA (`mfaProviders`). */
  readonly asksMfaProviders?: boolean;
  /**
   * Runs the knowers check where the reads of the secrets are recorded (cdk.json `knowers.enabled`): it queries the
   * recorded reads, and needs no secret value.
   */
  readonly knowsReaders?: boolean;
  /**
   * The other functions whose open findings it reads (never writes) from the lifecycle table: a check of the `estate`
   * phase judges a login by them (recovery: a chain is as exposed as its weakest link's MFA).
   */
  readonly readsFindingsOf?: readonly string[];
  /** What cdk.json's `functions.<name>` overrides. */
  readonly defaults: { readonly schedule: string; readonly memoryMb: number; readonly timeoutMinutes: number };
}

/** The three functions, by their key in cdk.json's `functions`. */
export const FUNCTION_SPECS = {
  passwordAge: {
    family: 'password-age',
    checks: [passwordAgeCheck, rotationCheck, ownershipCheck],
    readsValues: false,
    passwords: 'read',
    knowsReaders: true,
    defaults: { schedule: 'rate(1 day)', memoryMb: 256, timeoutMinutes: 5 },
  },
  breachExposure: {
    family: 'breach-exposure',
    // It sees every login's password verdicts and reads mfa-status's: where the takeover chains are judged.
    checks: [breachedPasswordCheck, weakPasswordCheck, reusedPasswordCheck, recoveryCheck],
    readsValues: true,
    passwords: 'record',
    readsFindingsOf: ['mfa-status'],
    sourceKinds: ['breach', 'identity', 'strength'],
    defaults: { schedule: 'rate(1 day)', memoryMb: 1024, timeoutMinutes: 15 },
  },
  mfaStatus: {
    family: 'mfa-status',
    checks: [mfaCheck],
    readsValues: true,
    passwords: 'none',
    asksMfaProviders: true,
    defaults: { schedule: 'rate(7 days)', memoryMb: 256, timeoutMinutes: 5 },
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTION_SPECS;
export const FUNCTION_NAMES = Object.keys(FUNCTION_SPECS) as FunctionName[];
