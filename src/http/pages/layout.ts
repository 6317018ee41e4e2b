/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
  body { font: 16px/1.5 system-ui, sans-serif; background: #f4f5f7; color: #1d2129; margin: 0; }
  main { max-width: 26rem; margin: 4rem auto; background: #fff; padding: 2rem;
         border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
  h1 { font-size: 1.35rem; margin-top: 0; }
  label { display: block; margin: 1rem 0 .25rem; font-weight: 600; }
  input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .6rem;
         border: 1px solid #c4c8cf; border-radius: 4px; font-size: 1rem; }
  button { margin-top: 1.25rem; padding: .6rem 1.2rem; font-size: 1rem; border-radius: 4px;
         border: 0; background: #2457d6; color: #fff; cursor: pointer; }
  button.secondary { background: #e3e6eb; color: #1d2129; }
  .error { background: #fdecea; color: #8a1c12; padding: .75rem; border-radius: 4px; }
  .muted { color: #5d6470; font-size: .9rem; }
  ul.scopes { padding-left: 1.2rem; }
`;

/** A whole page: inline style only, no external assets, no scripts. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Authly</title><style>${STYLE}</style></head>
<body><main>${body}</main></body></html>`;
}

/** The error page shown when the client cannot be trusted with a redirect. */
export function errorPage(title: string, message: string): string {
  return page(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(message)}</p>`,
  );
}
