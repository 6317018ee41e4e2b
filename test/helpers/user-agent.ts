/**
 * A browser without a rendering engine, for suites that drive /authorize, the sign-in and consent
 * pages and logout over real HTTP: a cookie jar, redirects left to the test, and the steps a
 * person takes on the pages (sign in, approve).
 */
import assert from 'node:assert/strict';

/** Where the server is: its issuer, and the address it listens on when that differs. */
export interface Origin {
  issuer: string;
  /** The listening base URL; defaults to the issuer. */
  base?: string;
}

/** An answer as the agent saw it. */
export interface Visit {
  response: Response;
  text: string;
}

/** A cookie jar and fetch with manual redirects. */
export class UserAgent {
  readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header seen, for flag checks. */
  readonly setCookies: string[] = [];
  readonly issuer: string;
  private readonly base: string;

  constructor(origin: Origin) {
    this.issuer = origin.issuer;
    this.base = origin.base ?? origin.issuer;
  }

  /** Requests a URL of the issuer, or a path of it, keeping cookies; `form` makes it a POST. */
  async fetch(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const local = url.startsWith('/') ? `${this.base}${url}` : url.replace(this.issuer, this.base);
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    }
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(local, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      this.setCookies.push(line);
      const [pair] = line.split(';');
      const at = pair.indexOf('=');
      const value = pair.slice(at + 1);
      if (value === '' || /max-age=0/i.test(line)) this.cookies.delete(pair.slice(0, at));
      else this.cookies.set(pair.slice(0, at), value);
    }
    return { response, text: await response.text() } satisfies Visit;
  }
}

/** The hidden fields of the forms in `html`, unescaped. */
export function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2]
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
  return fields;
}

/** Where a 303 points, relative to the issuer ("/login?…", "/consent?…") or absolute. */
export function redirectedTo(origin: { issuer: string }, response: Response): string {
  assert.equal(response.status, 303, `expected a 303, got ${response.status}`);
  const location = response.headers.get('location') ?? '';
  return location.startsWith(origin.issuer) ? location.slice(origin.issuer.length) : location;
}

/** Signs in on the page `loginPath` points to; answers the answer to the form's POST. */
export async function signIn(
  agent: UserAgent,
  loginPath: string,
  username: string,
  password: string,
): Promise<Visit> {
  const page = await agent.fetch(loginPath);
  assert.equal(page.response.status, 200, page.text);
  return agent.fetch('/login', { form: { ...hiddenFields(page.text), username, password } });
}

/** Approves the consent page `consentPath` points to. */
export async function approve(agent: UserAgent, consentPath: string): Promise<Visit> {
  const page = await agent.fetch(consentPath);
  assert.equal(page.response.status, 200, page.text);
  return agent.fetch('/consent', { form: { ...hiddenFields(page.text), decision: 'approve' } });
}

/**
 * Follows the authorization request `url` as a person would: signs in when the sign-in page
 * comes, approves when the consent page comes. Answers the last answer: the redirect to the
 * client, or the form_post page.
 */
export async function authorizeAs(
  agent: UserAgent,
  url: string,
  username: string,
  password: string,
): Promise<Visit> {
  let step = await agent.fetch(url);
  if (step.response.status === 303 && redirectedTo(agent, step.response).startsWith('/login?')) {
    step = await signIn(agent, redirectedTo(agent, step.response), username, password);
  }
  if (step.response.status === 303 && redirectedTo(agent, step.response).startsWith('/consent?')) {
    step = await approve(agent, redirectedTo(agent, step.response));
  }
  return step;
}
