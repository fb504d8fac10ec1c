/**
 * Splits a shell command line into words as sh does (quotes, backslashes, line continuations), keeping where
 * each word is in the source: offsets are indices into `text`, shifted by `base`.
 */
import type { ArgToken } from "../clusterFlags/clusterFlagCheck";

export function shellWords(text: string, base = 0): ArgToken[] {
  const words: ArgToken[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && (text[i] === " " || text[i] === "\t" || text[i] === "\n" || text[i] === "\r" || (text[i] === "\\" && text[i + 1] === "\n")))
      i += text[i] === "\\" ? 2 : 1;
    if (i >= n || text[i] === "#") break;
    let word = "";
    const start = i;
    let quotedWhole = text[i] === '"' || text[i] === "'";
    while (i < n && !/[\s]/.test(text[i])) {
      const c = text[i];
      if (c === "'") {
        const close = text.indexOf("'", i + 1);
        const end = close < 0 ? n : close;
        word += text.slice(i + 1, end);
        i = end + 1;
      } else if (c === '"') {
        i++;
        while (i < n && text[i] !== '"') {
          if (text[i] === "\\" && i + 1 < n && '"\\$`\n'.includes(text[i + 1])) {
            if (text[i + 1] !== "\n") word += text[i + 1];
            i += 2;
          } else word += text[i++];
        }
        i++;
      } else if (c === "\\" && i + 1 < n) {
        if (text[i + 1] !== "\n") word += text[i + 1];
        i += 2;
      } else {
        word += c;
        i++;
      }
      if (i < n && !/\s/.test(text[i])) quotedWhole = false;
    }
    const end = Math.min(i, n);
    // A word that is one quoted string: point at its content, so flag spans line up with the text.
    words.push(quotedWhole ? { text: word, start: base + start + 1, end: base + end - 1 } : { text: word, start: base + start, end: base + end });
  }
  return words;
}
