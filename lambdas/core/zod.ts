// zod as every schema of the project uses it: its tree-shakable functional form, `zod/mini`. The method-chaining
// form defines every schema class and method whether used or not, which cost each function about 20 ms of module
// init (docs/performance.md). `zod/mini` sets no locale, so its issues would all read "Invalid input": the English
// messages the full form configures on import are configured here, once, before anything is parsed.
import { config } from 'zod/mini';
import { en } from 'zod/v4/locales';

config(en());

export * from 'zod/mini';
