/** The consent page. */
import { escapeHtml, page } from './layout.js';

export interface ConsentPageInput {
  /** Absolute URL the form posts to (the issuer's /consent). */
  action: string;
  clientName: string;
  /** Who is signed in, as shown to them. */
  userName: string;
  /** The requested scopes in plain words. */
  scopes: { name: string; description: string }[];
  /** The pending authorization request, as hidden fields. */
  hiddenFields: string;
  csrfToken: string;
}

/** Lists what the application asks for; two buttons send `decision=approve` or `decision=deny`. */
export function consentPage(input: ConsentPageInput): string {
  const scopes = input.scopes
    .map((s) => `<li title="${escapeHtml(s.name)}">${escapeHtml(s.description)}</li>`)
    .join('\n');
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(input.clientName)} access?</h1>
<p class="muted">Signed in as ${escapeHtml(input.userName)}</p>
<p><strong>${escapeHtml(input.clientName)}</strong> asks to:</p>
<ul class="scopes">
${scopes}
</ul>
<form method="post" action="${escapeHtml(input.action)}">
${input.hiddenFields}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<button type="submit" name="decision" value="approve">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</form>`,
  );
}
