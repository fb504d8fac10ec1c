/**
 * The opening of every webview page of the extension, up to its own styles: a strict Content-Security-Policy
 * (nothing by default; only styles, and scripts when the page has any, that carry the page's nonce) and the
 * editor's colours and font for the body. Pure.
 */
export function webviewHead(nonce: string, o: { scripts: boolean }): string {
  const script = o.scripts ? ` script-src 'nonce-${nonce}';` : "";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'nonce-${nonce}';${script}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<style nonce="${nonce}">
  body { color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }`;
}
