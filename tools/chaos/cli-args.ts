/**
 * Reads `--name value` flags. Unknown flags and values that are not what the
 * flag needs are errors that say what was wrong, so a typo never runs a
 * different experiment than intended.
 */
export function parseFlags(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') ? arg.slice(2).split('=', 2) : [undefined, undefined];
    if (name === undefined || !known.includes(name)) {
      throw new Error(`Unknown argument "${arg}". Known flags: ${known.map((flag) => `--${flag}`).join(', ')}.`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`--${name} needs a value.`);
    flags.set(name, value);
  }
  return flags;
}

/** A whole number in [min, max] from a flag, or the default when the flag is absent. */
export function integerFlag(flags: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`--${name} ${text}: give a whole number from ${min} to ${max}.`);
  }
  return value;
}

/** A positive number (fractions allowed) from a flag. */
export function numberFlag(flags: Map<string, string>, name: string, fallback: number, min: number, max: number): number {
  const text = flags.get(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max) throw new Error(`--${name} ${text}: give a number from ${min} to ${max}.`);
  return value;
}
