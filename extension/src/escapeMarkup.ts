/** Text made safe inside HTML or SVG, in content and in quoted attributes alike. Pure. */
export const escapeMarkup = (s: string): string => s.replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]};`);
