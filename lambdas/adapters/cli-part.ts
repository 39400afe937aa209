import type { NotificationChannel } from '../core/notification/owner-notices';
import type { EvidenceParts } from './evidence-sources/combined-evidence';
import type { EvidenceSourceKinds } from './evidence-sources/source-module';

/** An option an adapter (an evidence source, a channel's report format) adds to the CLI's `scan`, in commander's terms. */
export interface CliOptionSpec {
  /** `--hibp-rate <rpm>`: commander names the parsed value by the flag (`hibpRate`). */
  readonly flags: string;
  readonly description: string;
  /** Reads one value; for an option given more than once, adds it to the ones before. Throws InvalidValue to refuse it. */
  readonly parse?: (value: string, previous: unknown) => unknown;
  readonly defaultValue?: unknown;
}

/** What a source gives a local scan (its identity source's budget is the CLI's `--hibp-budget`, when given). */
export type CliEvidence = EvidenceParts<{
  readonly source: EvidenceSourceKinds['identity']['source'];
  readonly budget?: number;
}>;

/**
 * A source as the CLI asks it: its options, the variable its credential is read from (a key is never a flag, so it
 * stays out of shell history), the lines it adds to `--help`, and what it gives a scan from the parsed options. Its
 * problems are SafeToShowErrors naming the option; the CLI exits 2 with them.
 */
export interface EvidenceSourceCli {
  readonly options: readonly CliOptionSpec[];
  readonly credentialVariable?: string;
  readonly helpText?: string;
  /** The files among its options' values: a report never overwrites an input of its run. */
  inputFiles?(
    options: Readonly<Record<string, unknown>>,
  ): readonly { readonly option: string; readonly path: string }[];
  open(
    options: Readonly<Record<string, unknown>>,
    env: Readonly<Record<string, string | undefined>>,
  ): Promise<CliEvidence>;
}

/** A value commander's parser refuses, with what it must be. */
export class InvalidValue extends Error {
  override readonly name = 'InvalidValue';
}

/** A parser for a whole number of at least 1. */
export function wholePositive(what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < 1) throw new InvalidValue(`must be ${what}`);
    return number;
  };
}

/**
 * A channel as a report of the CLI (`--format asff`): what it would have delivered, written as its own format. Its
 * options (where the findings are for), what `--format` says of it, and the channel it records with; a problem with
 * its options is a SafeToShowError naming the option, and the CLI exits 2 with it.
 */
export interface ChannelCliFormat {
  readonly format: string;
  /** What `--help` says of the format, after its name. */
  readonly description: string;
  readonly options: readonly CliOptionSpec[];
  open(options: Readonly<Record<string, unknown>>): {
    readonly channel: NotificationChannel;
    /** What it recorded, in pieces to write one after another. */
    document(): readonly string[];
  };
}
