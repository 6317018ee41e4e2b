/** The sign-in page. */
import { escapeHtml, page } from './layout.js';

export interface LoginPageInput {
  /** Absolute URL the form posts to (the issuer's /login). */
  action: string;
  /** The application's registered name. */
  clientName: string;
  /** The pending authorization request, as hidden fields (see src/oauth/authorize/pending.ts). */
  hiddenFields: string;
  csrfToken: string;
  /** Pre-filled username: what the user typed before, or the request's login_hint. */
  username?: string;
  /** One message above the form (a failed or throttled attempt). */
  error?: string;
}

/** A plain HTML form, no script; the password field is never pre-filled. */
export function loginPage(input: LoginPageInput): string {
  const error = input.error
    ? `<p class="error" role="alert">${escapeHtml(input.error)}</p>`
    : '';
  return page(
    'Sign in',
    `<h1>Sign in</h1>
<p class="muted">to continue to <strong>${escapeHtml(input.clientName)}</strong></p>
${error}
<form method="post" action="${escapeHtml(input.action)}">
${input.hiddenFields}
<input type="hidden" name="csrf_token" value="${escapeHtml(input.csrfToken)}">
<label for="username">Username or email</label>
<input type="text" id="username" name="username" autocomplete="username" required autofocus
  value="${escapeHtml(input.username ?? '')}">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>`,
  );
}
