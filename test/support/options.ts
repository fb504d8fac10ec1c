/** `--name VALUE` from the command line of a long-run driver (chaos, fuzz, soak), checked; exit 2 when bad. */
export function numberOption(
  name: string,
  fallback: number,
  valid: (v: number) => boolean = (v) => Number.isInteger(v) && v >= 0,
  what = "a whole number",
): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!valid(v)) {
    console.error(`--${name} takes ${what}`);
    process.exit(2);
  }
  return v;
}
