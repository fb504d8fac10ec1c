import { parse } from "../../../language-server/src/alloy/syntax";

/** Diagnostics of `src` as Alloy prints them: `LINE:COLUMN: MESSAGE` (byte column). */
export function diagnosticsOf(src: string | Uint8Array): string[] {
  const r = parse(src);
  return r.diagnostics.map((d) => {
    const p = r.source.position(d.start);
    return `${p.line}:${p.column}: ${d.message}`;
  });
}
